package dev.cct.testing.e2b;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart/form-data body part by part, copying each part's content straight to where it
 * goes: an upload is streamed to disk, never buffered whole.
 */
final class MultipartReader {

    /** The body is not well-formed multipart (as opposed to the connection failing). */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private boolean finished;
    /** True while content remains before the next delimiter; the preamble counts as such. */
    private boolean inPart = true;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary has no CRLF before it; pretending it had one makes every delimiter alike.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary parameter of a multipart Content-Type, or null. */
    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /**
     * Moves to the next part and returns its headers (names lower-cased), or null after the last
     * one. Whatever of the previous part was not copied is skipped.
     */
    Map<String, String> nextPart() throws IOException {
        if (finished) {
            return null;
        }
        if (inPart) {
            copyPart(OutputStream.nullOutputStream());
        }
        if (!fill(2)) {
            throw new MalformedException("multipart body ends after a boundary");
        }
        if (buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            return null;
        }
        readLine(); // the end of the boundary line
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        inPart = true;
        return headers;
    }

    /** Copies the rest of the current part's content up to the next delimiter, which is consumed. */
    void copyPart(OutputStream out) throws IOException {
        while (inPart) {
            int at = indexOfDelimiter();
            if (at >= 0) {
                out.write(buf, start, at - start);
                start = at + delimiter.length;
                inPart = false;
                return;
            }
            // Keep a tail that could be the beginning of the delimiter.
            int safe = Math.max(start, end - delimiter.length + 1);
            out.write(buf, start, safe - start);
            start = safe;
            if (!fill(end - start + 1)) {
                throw new MalformedException("multipart body ends without its closing boundary");
            }
        }
    }

    private int indexOfDelimiter() {
        outer:
        for (int i = start; i <= end - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The part header line at the cursor (headers are ASCII; a part header never spans the buffer). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!fill(1)) {
                throw new MalformedException("multipart body ends inside part headers");
            }
            char c = (char) (buf[start++] & 0xff);
            if (c == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append(c);
        }
    }

    /** Ensures at least {@code n} unread bytes in the buffer; false if the body ends first. */
    private boolean fill(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
        while (end < n && !eof) {
            int r = in.read(buf, end, buf.length - end);
            if (r < 0) {
                eof = true;
            } else {
                end += r;
            }
        }
        return end >= n;
    }
}
