package dev.cct.sandbox.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The engine's archive endpoints spoken directly over its Unix socket with the JDK's own socket channel. The
 * general client's socket transport moves bulk data several times slower than the engine can send it (about
 * 40 MB/s here, where {@code docker cp} does 140 MB/s), and results and uploads are the bulk of every run.
 * Plain HTTP/1.1, one request per connection.
 */
final class EngineSocket {
    private static final int BUFFER = 1 << 20;

    private final Path socket;

    EngineSocket(Path socket) {
        this.socket = socket;
    }

    /** The socket behind a {@code unix://} engine address, or null for other transports. */
    static EngineSocket forHost(String dockerHost) {
        return dockerHost != null && dockerHost.startsWith("unix://") ? new EngineSocket(Path.of(dockerHost.substring("unix://".length()))) : null;
    }

    /** {@code GET /containers/{id}/archive?path=...}: the folder as a tar stream, read as it arrives. */
    InputStream downloadArchive(String container, String path) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        try {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head("GET", archiveTarget(container, path), "").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return body(channel, "download " + path);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** {@code PUT /containers/{id}/archive?path=...}: unpacks a tar stream under {@code path}, sent as it is read. */
    void uploadArchive(String container, String path, InputStream tar) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head("PUT", archiveTarget(container, path), "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = tar.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buffer, 0, n);
                out.write(CRLF);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try (InputStream body = body(channel, "upload to " + path)) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static String archiveTarget(String container, String path) {
        return "/containers/" + URLEncoder.encode(container, StandardCharsets.UTF_8) + "/archive?path="
                + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static String head(String method, String target, String headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: cct\r\nConnection: close\r\n" + headers + "\r\n";
    }

    /** Reads the status and headers; a refusal becomes an {@link EngineRefusal} carrying the engine's message. */
    private static InputStream body(SocketChannel channel, String action) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), BUFFER);
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new ProtocolException("the Docker engine answered '" + status + "' to " + action);
        }
        int code = Integer.parseInt(parts[1]);
        boolean chunked = false;
        long length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Limited(in, length) : in;
        if (code / 100 != 2) {
            String message;
            try (body) {
                message = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            throw new EngineRefusal(code, message);
        }
        return new java.io.FilterInputStream(body) {
            @Override
            public void close() throws IOException {
                // The channel first: that cuts a read in progress on another thread at once (a second Ctrl-C),
                // where the streams' own close could wait for that read to end.
                try {
                    channel.close();
                } finally {
                    super.close();
                }
            }
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the Docker engine closed the connection in a response head");
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 16 * 1024) {
                throw new ProtocolException("a response head line from the Docker engine is too long");
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The engine refused: its HTTP status and the message of its JSON error body. */
    static final class EngineRefusal extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        EngineRefusal(int status, String body) {
            super(messageOf(body, status));
            this.status = status;
        }

        private static String messageOf(String body, int status) {
            int start = body.indexOf("\"message\":\"");
            if (start >= 0) {
                int end = body.indexOf('"', start + 11);
                return end > start ? body.substring(start + 11, end) : body;
            }
            return body.isEmpty() ? "HTTP " + status : body;
        }
    }

    /** A response body read from the connection's buffered stream; closing it closes the connection. */
    private abstract static class Body extends InputStream {
        final InputStream in;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A body of known length. */
    private static final class Limited extends Body {
        private long left;

        Limited(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the Docker engine closed the connection " + left + " bytes early");
            }
            left -= n;
            return n;
        }

    }

    /** A chunked body (RFC 9112 section 7.1), trailers ignored. */
    private static final class Chunked extends Body {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (left == 0) {
                    for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                        // Trailers carry nothing cct uses.
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the Docker engine closed the connection inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in);
            }
            return n;
        }

    }
}
