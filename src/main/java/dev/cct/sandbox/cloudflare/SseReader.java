package dev.cct.sandbox.cloudflare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small Server-Sent Events parser (the WHATWG rules that matter here) over a plain byte stream, so the client
 * needs no SSE library. Lines end with LF, CRLF or CR, wherever reads happen to cut them; lines starting with ':'
 * are comments; several {@code data:} lines make one multi-line payload; {@code id:} is remembered across events
 * as the spec says. An event the stream cut before its blank line is dropped, never half-delivered.
 */
final class SseReader {
    /** A line this long means a broken or hostile server, not a chunk of output. */
    static final int MAX_LINE_BYTES = 32 * 1024 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean previousWasCarriageReturn;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private String lastEventId = "";
    private boolean first = true;

    SseReader(InputStream in) {
        this.in = in;
    }

    /** The next complete event, or null when the stream ended. */
    SseEvent next() throws IOException {
        String name = null;
        StringBuilder data = null;
        for (String text = readLine(); text != null; text = readLine()) {
            if (text.isEmpty()) {
                if (data != null) {
                    return new SseEvent(lastEventId, name == null ? "message" : name, data.toString());
                }
                name = null; // a blank line without data dispatches nothing, and resets the event type
                continue;
            }
            if (text.startsWith(":")) {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventId = value;
                    }
                }
                default -> {
                    // "retry" and unknown fields: nothing for this client to do.
                }
            }
        }
        return null;
    }

    /** The id of the last event that carried one. */
    String lastEventId() {
        return lastEventId;
    }

    /** One line without its terminator, decoded as UTF-8 once whole (bytes of a character may span reads). */
    private String readLine() throws IOException {
        String text = readRawLine();
        if (first && text != null) {
            first = false;
            // The spec lets a stream start with a byte order mark; it is not part of the first field name.
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        return text;
    }

    private String readRawLine() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return null; // an unterminated last line is part of an event that never ended
                }
            }
            byte b = buffer[position++];
            if (previousWasCarriageReturn) {
                previousWasCarriageReturn = false;
                if (b == '\n') {
                    continue; // the LF of a CRLF
                }
            }
            if (b == '\n' || b == '\r') {
                previousWasCarriageReturn = b == '\r';
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("an event stream line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }
}
