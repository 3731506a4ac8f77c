package dev.cct.testing.e2b;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on raw sockets, so the fake controls the wire exactly: keep-alive,
 * Content-Length and chunked request bodies read as streams (a 100 MB upload is never held in
 * memory), fixed-length and chunked responses flushed per chunk, and an abrupt TCP close without
 * the terminating chunk for fault injection. One thread per connection.
 */
final class HttpLite implements AutoCloseable {

    interface Handler {
        void handle(Request request, Exchange exchange) throws IOException;
    }

    /** A parsed request head and its body as a stream; header names are lower-cased. */
    static final class Request {
        final String method;
        final String path;
        final String rawQuery;
        final Map<String, String> headers;
        final InputStream body;

        Request(String method, String target, Map<String, String> headers, InputStream body) {
            this.method = method;
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.rawQuery = q < 0 ? "" : target.substring(q + 1);
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The first value of a query parameter, form-decoded, or null. */
        String query(String name) {
            List<String> all = queryAll(name);
            return all.isEmpty() ? null : all.get(0);
        }

        List<String> queryAll(String name) {
            List<String> out = new ArrayList<>();
            if (rawQuery.isEmpty()) {
                return out;
            }
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                    out.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            return out;
        }

        /** The whole body; only for the small JSON bodies of REST and unary RPC calls. */
        byte[] bodyBytes() throws IOException {
            return body.readAllBytes();
        }

        static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
    }

    /** The response side of one request: exactly one of the send/stream methods is used. */
    static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean responded;
        private boolean closeAfter;

        Exchange(Socket socket, OutputStream out, boolean closeAfter) {
            this.socket = socket;
            this.out = out;
            this.closeAfter = closeAfter;
        }

        void send(int status, Map<String, String> headers, byte[] body) throws IOException {
            boolean hasBody = status != 204 && status != 304;
            writeHead(status, headers, hasBody ? "Content-Length: " + body.length : null);
            if (hasBody) {
                out.write(body);
            }
            out.flush();
        }

        /**
         * Exactly {@code length} bytes copied from a stream (downloads; a file that grows meanwhile
         * must not overrun its Content-Length). A stream that ends early breaks the connection.
         */
        void send(int status, Map<String, String> headers, long length, InputStream body) throws IOException {
            writeHead(status, headers, "Content-Length: " + length);
            byte[] buf = new byte[64 * 1024];
            long copied = 0;
            int n;
            while (copied < length && (n = body.read(buf, 0, (int) Math.min(buf.length, length - copied))) > 0) {
                out.write(buf, 0, n);
                copied += n;
            }
            out.flush();
            if (copied != length) {
                abort();
            }
        }

        /** Starts a chunked body; every write is one chunk, flushed at once. */
        ChunkedBody stream(int status, Map<String, String> headers) throws IOException {
            writeHead(status, headers, "Transfer-Encoding: chunked");
            out.flush();
            return new ChunkedBody();
        }

        /**
         * Breaks the connection mid-response: what was written still reaches the client (FIN after the data, never
         * a reset that could discard it), then the client sees a broken stream.
         */
        void abort() {
            closeAfter = true;
            try {
                out.flush();
                socket.shutdownOutput();
            } catch (IOException ignored) {
                // the client is already gone
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        private void writeHead(int status, Map<String, String> headers, String framing) throws IOException {
            responded = true;
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\nDate: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                    .append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (framing != null) {
                head.append(framing).append("\r\n");
            }
            if (closeAfter) {
                head.append("Connection: close\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A chunked response body. */
        final class ChunkedBody extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int off, int len) throws IOException {
                if (len == 0) {
                    return;
                }
                out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(data, off, len);
                out.write('\r');
                out.write('\n');
                out.flush();
            }

            /** Writes the terminating chunk; the connection stays usable. */
            @Override
            public void close() throws IOException {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }

    private final ServerSocket server;
    private final ExecutorService pool;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Handler handler;
    private volatile boolean closed;

    HttpLite(int port, Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-e2b-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            while (!closed && !s.isClosed()) {
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                String[] parts = requestLine.split(" ");
                Map<String, String> headers = readHeaders(in);
                if (parts.length < 3 || headers == null) {
                    return;
                }
                if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                InputStream body = bodyStream(in, headers);
                boolean closeAfter = "close".equalsIgnoreCase(headers.get("connection")) || parts[2].equals("HTTP/1.0");
                Exchange exchange = new Exchange(s, out, closeAfter);
                try {
                    handler.handle(new Request(parts[0], parts[1], headers, body), exchange);
                } catch (RuntimeException e) {
                    if (exchange.responded) {
                        return;
                    }
                    exchange.send(500, Map.of("Content-Type", "application/json"), FakeJson.restError(500,
                            "fake e2b: " + e).getBytes(StandardCharsets.UTF_8));
                }
                if (!exchange.responded || exchange.closeAfter) {
                    return;
                }
                // Whatever the handler left unread belongs to this request, not to the next one.
                body.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            // the peer went away, or a fault closed the connection on purpose
        } finally {
            open.remove(s);
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return line == null ? null : headers;
    }

    private static InputStream bodyStream(InputStream in, Map<String, String> headers) {
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInput(in);
        }
        String cl = headers.get("content-length");
        return new LengthInput(in, cl == null ? 0 : Long.parseLong(cl.trim()));
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** A Content-Length body: ends after exactly that many bytes. */
    private static final class LengthInput extends InputStream {
        private final InputStream in;
        private long left;

        LengthInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed inside the request body");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body, decoded; trailers are read and ignored. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("connection closed inside a chunked body");
                }
                int semi = sizeLine.indexOf(';');
                chunkLeft = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (chunkLeft == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (trailer != null && !trailer.isEmpty());
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in);
            }
            return n;
        }
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 206: return "Partial Content";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 416: return "Range Not Satisfiable";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status";
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
