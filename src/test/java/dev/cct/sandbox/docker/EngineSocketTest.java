package dev.cct.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive endpoints over a Unix socket, against a server that answers as the engine does, byte for byte. */
class EngineSocketTest {
    @TempDir
    Path dir;

    /** Serves one connection: reads the whole request head (and body, for PUT) and answers what {@code reply} says. */
    private CompletableFuture<String> serveOnce(Path socket, Function<String, byte[]> reply) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel client = server.accept()) {
                InputStream in = Channels.newInputStream(client);
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                while (!endsWith(request, "\r\n\r\n")) {
                    request.write(in.read());
                }
                String head = request.toString(StandardCharsets.ISO_8859_1);
                if (head.startsWith("PUT")) {
                    byte[] buffer = new byte[65536];
                    while (!endsWith(request, "\r\n0\r\n\r\n")) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        request.write(buffer, 0, n);
                    }
                }
                OutputStream out = Channels.newOutputStream(client);
                out.write(reply.apply(head));
                out.flush();
                return request.toString(StandardCharsets.ISO_8859_1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\nX-Trailer: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void downloadsAChunkedArchiveByteForByte() throws Exception {
        byte[] tar = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(tar);
        Path socket = dir.resolve("d.sock");
        CompletableFuture<String> request = serveOnce(socket, head -> chunked(tar, 65_519));
        try (InputStream in = new EngineSocket(socket).downloadArchive("c0ffee", "/home/claude/workspace/.")) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        assertThat(request.get()).startsWith("GET /containers/c0ffee/archive?path=%2Fhome%2Fclaude%2Fworkspace%2F. HTTP/1.1\r\n");
    }

    @Test
    void aRefusalCarriesTheEnginesStatusAndMessage() throws Exception {
        Path socket = dir.resolve("r.sock");
        String body = "{\"message\":\"Could not find the file /nope in container c0ffee\"}";
        serveOnce(socket, head -> ("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new EngineSocket(socket).downloadArchive("c0ffee", "/nope"))
                .isInstanceOfSatisfying(EngineSocket.EngineRefusal.class, e -> {
                    assertThat(e.status).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("Could not find the file /nope in container c0ffee");
                });
    }

    @Test
    void uploadsAnArchiveAsChunks() throws Exception {
        byte[] tar = new byte[2 * 1024 * 1024 + 5];
        new Random(9).nextBytes(tar);
        Path socket = dir.resolve("u.sock");
        CompletableFuture<String> request = serveOnce(socket, head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        new EngineSocket(socket).uploadArchive("c0ffee", "/home/claude", new ByteArrayInputStream(tar));
        String sent = request.get();
        assertThat(sent).startsWith("PUT /containers/c0ffee/archive?path=%2Fhome%2Fclaude HTTP/1.1\r\n").contains("Transfer-Encoding: chunked\r\n");
        byte[] raw = sent.substring(sent.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int eol = indexOf(raw, at);
            int size = Integer.parseInt(new String(raw, at, eol - at, StandardCharsets.ISO_8859_1), 16);
            if (size == 0) {
                break;
            }
            decoded.write(raw, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        assertThat(decoded.toByteArray()).isEqualTo(tar);
    }

    @Test
    void onlyUnixAddressesUseTheSocket() {
        assertThat(EngineSocket.forHost("unix:///var/run/docker.sock")).isNotNull();
        assertThat(EngineSocket.forHost("tcp://127.0.0.1:2376")).isNull();
        assertThat(EngineSocket.forHost(null)).isNull();
    }

    private static boolean endsWith(ByteArrayOutputStream bytes, String suffix) {
        if (bytes.size() < suffix.length()) {
            return false;
        }
        byte[] all = bytes.toByteArray();
        return new String(all, all.length - suffix.length(), suffix.length(), StandardCharsets.ISO_8859_1).equals(suffix);
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no line end after " + from);
    }

    /** A second Ctrl-C closes the download from another thread: the reader stops at once, the engine sees it gone. */
    @Test
    void closingADownloadFromAnotherThreadCutsAReadInProgress() throws Exception {
        Path socket = dir.resolve("engine.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CompletableFuture<Throwable> engine = CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel client = server.accept()) {
                OutputStream out = Channels.newOutputStream(client);
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: 100000000000\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] block = new byte[65536];
                while (true) {
                    out.write(block);
                }
            } catch (Exception e) {
                return e;
            }
        });
        InputStream download = new EngineSocket(socket).downloadArchive("c1", "/home/x/.");
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[8192];
            try {
                while (download.read(buffer) >= 0) {
                    // keep reading, as an extraction would
                }
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        CompletableFuture.runAsync(() -> {
            try {
                download.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reader.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class);
        assertThat(engine.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class);
    }
}
