package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.sandbox.http.RawServer;
import dev.cct.sandbox.http.RecordingSleeper;
import dev.cct.sandbox.http.RetryAfterTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EnvdTest {
    private static final String ID = "ivy3k2m9q0w8e7r6t5y4u";
    private static final String TOKEN = "tok-9f8e7d6c5b4a3210";
    private static final String GONE = "{\"sandboxId\":\"" + ID + "\",\"message\":\"The sandbox was not found\",\"code\":502}";

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;

    EnvdTest() throws IOException {
        server = LocalServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Envd envd(String version) {
        return envd(server.url(), version);
    }

    private Envd envd(HttpUrl base, String version) {
        HttpCalls<ApiError> calls = new HttpCalls<>(LocalServer.CLIENT, E2bRetries.ENVD, E2bRetries.POLICY, sleeper, RetryAfterTest.CLOCK);
        return new Envd(calls, LocalServer.CLIENT, base, ID, TOKEN, EnvdVersion.parse(version));
    }

    private static ProcessSpec spec(Duration timeout, String user) {
        return new ProcessSpec("/bin/bash", List.of("-l", "-c", "echo hi && exit 3"), Map.of(), null, null, timeout, user);
    }

    private static byte[] frame(String json) {
        return Envelope.message(json.getBytes(StandardCharsets.UTF_8)).encode();
    }

    private static byte[] endOfStream(String json) {
        return new Envelope(Envelope.END_OF_STREAM, json.getBytes(StandardCharsets.UTF_8)).encode();
    }

    /** Streams {@code chunks} as a Connect response, flushing (and pausing briefly) after each, so reads split them. */
    private static LocalServer.Handler stream(byte[]... chunks) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/connect+json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte[] chunk : chunks) {
                    out.write(chunk);
                    out.flush();
                    pause();
                }
            }
        };
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ProcessStream.Item> drain(ProcessStream stream) throws InterruptedException {
        List<ProcessStream.Item> items = new ArrayList<>();
        while (true) {
            ProcessStream.Item item = stream.next();
            items.add(item);
            if (!(item instanceof ProcessStream.Event)) {
                return items;
            }
        }
    }

    private static ProcessEvent event(ProcessStream.Item item) {
        assertThat(item).isInstanceOf(ProcessStream.Event.class);
        return ((ProcessStream.Event) item).event();
    }

    private static Map<String, String> query(LocalServer.Seen seen) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : seen.rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }

    private static void assertEnvdHeaders(LocalServer.Seen seen, String basic) {
        assertThat(seen.header("E2b-Sandbox-Id")).isEqualTo(ID);
        assertThat(seen.header("E2b-Sandbox-Port")).isEqualTo("49983");
        assertThat(seen.header("X-Access-Token")).isEqualTo(TOKEN);
        assertThat(seen.header("Authorization")).isEqualTo(basic);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] content() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 7);
        }
        return data;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    // --- process streams -------------------------------------------------------------------------------------------

    @Test
    void startSendsOneEnvelopeWithTheRightHeadersAndDeliversFramesInOrder() throws Exception {
        byte[] start = frame("{\"event\":{\"start\":{\"pid\":412}}}");
        byte[] all = concat(start, frame("{\"event\":{\"data\":{\"stdout\":\"aGkK\"}}}"));
        server.then(stream(
                Arrays.copyOfRange(all, 0, 3), Arrays.copyOfRange(all, 3, start.length + 2), Arrays.copyOfRange(all, start.length + 2, all.length),
                frame("{\"event\":{\"data\":{\"stderr\":\"ZXJyCg==\"}}}"),
                frame("{\"event\":{\"keepalive\":{}}}"),
                concat(frame("{\"event\":{\"end\":{\"exitCode\":3,\"exited\":true,\"status\":\"exit status 3\",\"error\":\"exit status 3\"}}}"),
                        endOfStream("{}"))));
        ProcessSpec spec = spec(null, Envd.USER);

        List<ProcessStream.Item> items;
        try (ProcessStream stream = envd("0.6.13").start(spec)) {
            items = drain(stream);
        }

        assertThat(items).hasSize(6);
        assertThat(event(items.get(0))).isEqualTo(new ProcessEvent.Started(412));
        assertThat(new String(((ProcessEvent.Output) event(items.get(1))).stdout(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
        assertThat(new String(((ProcessEvent.Output) event(items.get(2))).stderr(), StandardCharsets.UTF_8)).isEqualTo("err\n");
        assertThat(event(items.get(3))).isInstanceOf(ProcessEvent.Keepalive.class);
        assertThat(event(items.get(4))).isEqualTo(new ProcessEvent.Ended(3, true, "exit status 3", "exit status 3"));
        assertThat(items.get(5)).isEqualTo(new ProcessStream.Finished(null));

        LocalServer.Seen seen = server.onlyRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/process.Process/Start");
        assertEnvdHeaders(seen, "Basic dXNlcjo=");
        assertThat(seen.header("Connect-Protocol-Version")).isEqualTo("1");
        assertThat(seen.header("Keepalive-Ping-Interval")).isEqualTo("50");
        assertThat(seen.header("Content-Type")).startsWith("application/connect+json");
        assertThat(seen.headers().containsKey("Connect-Timeout-Ms")).isFalse();
        assertThat(seen.body()).isEqualTo(Envelope.message(spec.startRequest()).encode());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void manyFramesReachASlowReaderInOrder() throws Exception {
        int count = 1000;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(frame("{\"event\":{\"start\":{\"pid\":5}}}"));
        for (int i = 0; i < count; i++) {
            String chunk = java.util.Base64.getEncoder().encodeToString(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            wire.writeBytes(frame("{\"event\":{\"data\":{\"stdout\":\"" + chunk + "\"}}}"));
        }
        wire.writeBytes(frame("{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}"));
        wire.writeBytes(endOfStream("{}"));
        server.then(LocalServer.reply(200, "application/connect+json", wire.toByteArray()));
        StringBuilder out = new StringBuilder();
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            List<ProcessStream.Item> items = drain(stream);
            for (ProcessStream.Item item : items) {
                if (item instanceof ProcessStream.Event e && e.event() instanceof ProcessEvent.Output o) {
                    out.append(new String(o.stdout(), StandardCharsets.UTF_8));
                }
            }
            assertThat(items).hasSize(count + 3).last().isEqualTo(new ProcessStream.Finished(null));
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < count; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertThat(out.toString()).isEqualTo(expected.toString());
    }

    @Test
    void aTimeoutBecomesConnectTimeoutMsAndTheUserBasicAuth() throws Exception {
        server.then(stream(endOfStream("{}"))).then(stream(endOfStream("{}")));
        try (ProcessStream stream = envd("0.6.13").start(spec(Duration.ofSeconds(90), Envd.ROOT))) {
            assertThat(drain(stream)).containsExactly(new ProcessStream.Finished(null));
        }
        try (ProcessStream stream = envd("0.6.13").start(spec(Duration.ZERO, Envd.USER))) {
            drain(stream);
        }
        assertThat(server.requests().get(0).header("Connect-Timeout-Ms")).isEqualTo("90000");
        assertEnvdHeaders(server.requests().get(0), "Basic cm9vdDo=");
        // 0 would mean "already expired" to envd.
        assertThat(server.requests().get(1).header("Connect-Timeout-Ms")).isEqualTo("1");
    }

    @Test
    void theEndOfStreamErrorIsDelivered() throws Exception {
        server.then(stream(frame("{\"event\":{\"start\":{\"pid\":9}}}"),
                endOfStream("{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"context deadline exceeded\"},\"metadata\":{}}")));
        try (ProcessStream stream = envd("0.6.13").start(spec(Duration.ofSeconds(1), Envd.USER))) {
            assertThat(drain(stream)).last()
                    .isEqualTo(new ProcessStream.Finished(new ConnectError("deadline_exceeded", "context deadline exceeded")));
        }
    }

    @Test
    void aStreamThatEndsWithoutItsEndOfStreamFrameIsCut() throws Exception {
        server.then(stream(frame("{\"event\":{\"start\":{\"pid\":9}}}")));
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            List<ProcessStream.Item> items = drain(stream);
            assertThat(items).hasSize(2);
            assertThat(items.get(1)).isInstanceOfSatisfying(ProcessStream.Cut.class, cut -> {
                assertThat(cut.requestSent()).isTrue();
                assertThat(cut.cause()).isInstanceOf(EOFException.class);
            });
        }
    }

    @Test
    void aConnectionCutInsideAFrameIsCut() throws Exception {
        byte[] start = frame("{\"event\":{\"start\":{\"pid\":9}}}");
        byte[] data = frame("{\"event\":{\"data\":{\"stdout\":\"aGkK\"}}}");
        try (RawServer raw = new RawServer(socket -> {
            RawServer.readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/connect+json\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(start);
            out.write(data, 0, 7);
            out.flush();
        })) {
            try (ProcessStream stream = envd(HttpUrl.get(raw.url()), "0.6.13").start(spec(null, Envd.USER))) {
                List<ProcessStream.Item> items = drain(stream);
                assertThat(event(items.get(0))).isEqualTo(new ProcessEvent.Started(9));
                assertThat(items).hasSize(2);
                assertThat(items.get(1)).isInstanceOfSatisfying(ProcessStream.Cut.class, cut -> assertThat(cut.requestSent()).isTrue());
            }
        }
    }

    @Test
    void aStartIsNeverSentTwiceWhenTheConnectionDropsAfterTheRequest() throws Exception {
        try (RawServer raw = new RawServer(socket -> RawServer.readRequest(socket))) {
            try (ProcessStream stream = envd(HttpUrl.get(raw.url()), "0.6.13").start(spec(null, Envd.USER))) {
                assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Cut.class, cut -> assertThat(cut.requestSent()).isTrue());
            }
            assertThat(raw.connections()).isEqualTo(1);
        }
    }

    @Test
    void aStartOnAReusedConnectionThatDropsIsNotSentAgain() throws Exception {
        byte[] answer = concat(frame("{\"event\":{\"start\":{\"pid\":1}}}"), endOfStream("{}"));
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        try (RawServer raw = new RawServer(socket -> {
            OutputStream out = socket.getOutputStream();
            while (true) {
                RawServer.readRequest(socket);
                if (starts.incrementAndGet() == 2) {
                    return; // the second Start reached the server, which then dropped the connection
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/connect+json\r\nContent-Length: " + answer.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        })) {
            Envd envd = envd(HttpUrl.get(raw.url()), "0.6.13");
            try (ProcessStream first = envd.start(spec(null, Envd.USER))) {
                assertThat(drain(first)).last().isEqualTo(new ProcessStream.Finished(null));
            }
            try (ProcessStream second = envd.start(spec(null, Envd.USER))) {
                assertThat(drain(second)).last().isInstanceOfSatisfying(ProcessStream.Cut.class,
                        cut -> assertThat(cut.requestSent()).isTrue());
            }
            assertThat(starts.get()).as("Start requests the server received").isEqualTo(2);
        }
    }

    @Test
    void aStartAnswered503WithRetryAfterZeroIsNotResent() throws Exception {
        server.thenJson(503, "{\"code\":\"unavailable\",\"message\":\"busy\"}", "Retry-After", "0")
                .then(stream(endOfStream("{}")));
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            assertThat(stream.next()).isInstanceOf(ProcessStream.Refused.class);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void nothingListeningIsACutBeforeSending() throws Exception {
        HttpUrl closed = HttpUrl.get("http://127.0.0.1:" + RawServer.closedPort() + "/");
        try (ProcessStream stream = envd(closed, "0.6.13").start(spec(null, Envd.USER))) {
            assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Cut.class, cut -> assertThat(cut.requestSent()).isFalse());
        }
    }

    @Test
    void aGoneSandboxRefusesTheStream() throws Exception {
        server.thenJson(502, GONE);
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Refused.class, refused -> {
                assertThat(refused.error().sandboxGone()).isTrue();
                assertThat(E2bErrors.envd("run", new CallException(refused.error())).getMessage()).isEqualTo(E2bErrors.EXPIRED);
            });
        }
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aRefusalThatEchoesTheTokenDoesNotLeakIt() throws Exception {
        server.thenJson(401, "{\"code\":401,\"message\":\"unauthorized access: token " + TOKEN + " is invalid\"}");
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Refused.class, refused -> {
                assertThat(refused.error().unauthorized()).isTrue();
                assertThat(refused.error().message()).doesNotContain(TOKEN).contains("****");
            });
        }
        for (int i = 0; i < E2bRetries.POLICY.maxAttempts(); i++) {
            server.thenJson(500, "{\"code\":500,\"message\":\"cannot open " + TOKEN + "\"}");
        }
        assertThatThrownBy(() -> envd("0.6.13").openFile("/f", Envd.USER)).isInstanceOfSatisfying(SandboxException.class, e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
            }
        });
    }

    @Test
    void connectReattachesByPidOrTag() throws Exception {
        server.then(stream(frame("{\"event\":{\"start\":{\"pid\":412}}}"), endOfStream("{}")))
                .thenJson(404, "{\"code\":\"not_found\",\"message\":\"process with tag t not found\"}");
        try (ProcessStream stream = envd("0.6.13").connect(412, null, Envd.USER)) {
            assertThat(drain(stream)).hasSize(2);
        }
        try (ProcessStream stream = envd("0.6.13").connect(null, "t", Envd.ROOT)) {
            assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Refused.class,
                    refused -> assertThat(refused.error().notFound()).isTrue());
        }
        LocalServer.Seen byPid = server.requests().get(0);
        assertThat(byPid.path()).isEqualTo("/process.Process/Connect");
        assertThat(byPid.body()).isEqualTo(frame("{\"process\":{\"pid\":412}}"));
        assertThat(byPid.header("Keepalive-Ping-Interval")).isEqualTo("50");
        assertEnvdHeaders(byPid, "Basic dXNlcjo=");
        assertThat(server.requests().get(1).body()).isEqualTo(frame("{\"process\":{\"tag\":\"t\"}}"));
    }

    @Test
    void closingAStreamStopsAWaitingReader() throws Exception {
        server.then(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(frame("{\"event\":{\"start\":{\"pid\":1}}}"));
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long begin = System.nanoTime();
        ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER));
        assertThat(event(stream.next())).isEqualTo(new ProcessEvent.Started(1));
        stream.close();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void reattachingToAnExitedProcessEndsTheStreamWithNotFound() throws Exception {
        // Connect streams report errors in the end-of-stream frame of an HTTP 200, not as an HTTP status.
        server.then(stream(endOfStream("{\"error\":{\"code\":\"not_found\",\"message\":\"process with pid 412 not found\"}}")));
        try (ProcessStream stream = envd("0.6.13").connect(412, null, Envd.USER)) {
            assertThat(stream.next()).isEqualTo(
                    new ProcessStream.Finished(new ConnectError(ConnectError.NOT_FOUND, "process with pid 412 not found")));
        }
    }

    @Test
    void aBadFrameCutsTheStream() throws Exception {
        server.then(stream(frame("{\"event\":{\"data\":{\"stdout\":\"%%%\"}}}")));
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            assertThat(stream.next()).isInstanceOfSatisfying(ProcessStream.Cut.class,
                    cut -> assertThat(cut.cause()).isInstanceOf(java.net.ProtocolException.class));
        }
    }

    @Test
    void aReaderWaitingForTheNextItemCanBeInterrupted() throws Exception {
        server.then(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (ProcessStream stream = envd("0.6.13").start(spec(null, Envd.USER))) {
            Thread reader = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                pause();
                reader.interrupt();
            });
            interrupter.start();
            assertThatThrownBy(stream::next).isInstanceOf(InterruptedException.class);
            interrupter.join();
        }
    }

    // --- files -----------------------------------------------------------------------------------------------------

    @Test
    void writeFileSendsARawBodyFromEnvd057() throws Exception {
        server.thenJson(200, "[{\"path\":\"/home/user/a.txt\",\"name\":\"a.txt\",\"type\":\"file\"}]");
        byte[] data = content();
        envd("0.5.7").writeFile("/home/user/a.txt", new ByteArrayInputStream(data), Envd.USER);
        LocalServer.Seen seen = server.onlyRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/files");
        assertThat(query(seen)).containsExactly(Map.entry("path", "/home/user/a.txt"), Map.entry("username", "user"));
        assertThat(seen.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(seen.body()).isEqualTo(data);
        assertEnvdHeaders(seen, "Basic dXNlcjo=");
    }

    @Test
    void writeFileSendsMultipartBeforeEnvd057() throws Exception {
        server.thenJson(200, "[{\"path\":\"/home/user/a b.txt\",\"name\":\"a b.txt\",\"type\":\"file\"}]");
        envd("0.5.6").writeFile("/home/user/a b.txt", new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), Envd.ROOT);
        LocalServer.Seen seen = server.onlyRequest();
        assertThat(query(seen)).containsEntry("username", "root");
        String type = seen.header("Content-Type");
        assertThat(type).startsWith("multipart/form-data; boundary=");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        assertThat(seen.bodyText()).isEqualTo("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"/home/user/a b.txt\"\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "\r\n"
                + "hello\n\r\n"
                + "--" + boundary + "--\r\n");
    }

    @Test
    void anUploadIsNotResentEvenAfterARetryableRefusal() throws Exception {
        server.thenJson(429, "", "Retry-After", "1").thenJson(429, "", "Retry-After", "1").thenJson(200, "[]");
        assertThatThrownBy(() -> envd("0.6.13").writeFile("/a", new ByteArrayInputStream(new byte[] {1, 2, 3}), Envd.USER))
                .isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> envd("0.5.0").writeFile("/a", new ByteArrayInputStream(new byte[] {1, 2, 3}), Envd.USER))
                .isInstanceOf(SandboxException.class);
        assertThat(server.requests()).hasSize(2);
        assertThat(sleeper.sleeps).isEmpty();
        assertThat(server.requests().get(1).header("Content-Type")).startsWith("multipart/form-data");
    }

    @Test
    void aFullDiskSaysSo() {
        server.thenJson(507, "{\"code\":507,\"message\":\"not enough disk space\"}");
        assertThatThrownBy(() -> envd("0.6.13").writeFile("/a", new ByteArrayInputStream(new byte[1]), Envd.USER))
                .isInstanceOf(SandboxException.class).hasMessageContaining("ran out of disk space");
    }

    @Test
    void openFileReadsPlainAndGzippedDownloads() throws Exception {
        byte[] data = content();
        List<String> asked = new ArrayList<>();
        LocalServer.Handler gzipped = exchange -> {
            asked.add(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            byte[] body = gzip(data);
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        };
        server.then(LocalServer.reply(200, "application/octet-stream", data)).then(gzipped);
        Envd envd = envd("0.6.13");
        assertThat(readAll(envd.openFile("/home/user/out.tar", Envd.USER))).isEqualTo(data);
        assertThat(readAll(envd.openFile("/home/user/out.tar", Envd.USER))).isEqualTo(data);
        LocalServer.Seen seen = server.requests().get(0);
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/files");
        assertThat(query(seen)).containsExactly(Map.entry("path", "/home/user/out.tar"), Map.entry("username", "user"));
        assertEnvdHeaders(seen, "Basic dXNlcjo=");
        assertThat(seen.headers().containsKey("Range")).isFalse();
        // cct asks for the bytes as they are; a server that gzips anyway is still read correctly.
        assertThat(asked).containsExactly("identity");
    }

    @Test
    void openFileFromAsksForARangeOfUnencodedBytes() throws Exception {
        byte[] data = content();
        server.then(exchange -> {
            byte[] tail = Arrays.copyOfRange(data, 1234, data.length);
            exchange.getResponseHeaders().set("Content-Range", "bytes 1234-" + (data.length - 1) + "/" + data.length);
            exchange.sendResponseHeaders(206, tail.length);
            exchange.getResponseBody().write(tail);
        });
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 1234, Envd.USER))).isEqualTo(Arrays.copyOfRange(data, 1234, data.length));
        LocalServer.Seen seen = server.onlyRequest();
        assertThat(seen.header("Range")).isEqualTo("bytes=1234-");
        assertThat(seen.header("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void openFileFromDropsTheSkippedBytesWhenRangeIsIgnored() throws Exception {
        byte[] data = content();
        server.then(LocalServer.reply(200, "application/octet-stream", data)).then(exchange -> {
            // Gzipped although cct asked for identity, and the whole file although it asked for a range.
            byte[] body = gzip(data);
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        byte[] tail = Arrays.copyOfRange(data, 70_000, data.length);
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 70_000, Envd.USER))).isEqualTo(tail);
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 70_000, Envd.USER))).isEqualTo(tail);
    }

    @Test
    void anOffsetPastTheEndOfAFileServedWholeIsEmptyLikeA416() throws Exception {
        server.then(LocalServer.reply(200, "application/octet-stream", "short".getBytes(StandardCharsets.UTF_8)));
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 5, Envd.USER))).isEmpty();
        server.then(LocalServer.reply(200, "application/octet-stream", "short".getBytes(StandardCharsets.UTF_8)));
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 6, Envd.USER))).isEmpty();
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() throws Exception {
        server.thenJson(200, "{}").then(LocalServer.reply(200, "application/octet-stream", new byte[] {7}));
        Envd envd = envd(server.url().resolve("/sandbox/"), "0.6.13");
        assertThat(envd.alive()).isTrue();
        assertThat(readAll(envd.openFile("/f", Envd.USER))).containsExactly(7);
        assertThat(server.requests()).extracting(LocalServer.Seen::path).containsExactly("/sandbox/health", "/sandbox/files");
    }

    @Test
    void aRangeBeyondTheEndIsEmptyAndAMissingFileIsNull() throws Exception {
        server.thenJson(416, "").thenJson(404, "{\"code\":404,\"message\":\"path not found\"}")
                .thenJson(404, "{\"code\":404,\"message\":\"path not found\"}");
        assertThat(readAll(envd("0.6.13").openFileFrom("/log", 500, Envd.USER))).isEmpty();
        assertThat(envd("0.6.13").openFileFrom("/log", 0, Envd.USER)).isNull();
        assertThat(envd("0.6.13").openFile("/nope", Envd.USER)).isNull();
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aGoneSandboxIsNeitherRetriedNorAMissingFile() {
        server.thenJson(502, GONE);
        assertThatThrownBy(() -> envd("0.6.13").openFile("/f", Envd.USER)).isInstanceOf(SandboxException.class)
                .hasMessage(E2bErrors.EXPIRED);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aliveAsksHealth() throws Exception {
        server.thenJson(204, "").thenJson(502, GONE);
        Envd envd = envd("0.6.13");
        assertThat(envd.alive()).isTrue();
        assertThat(envd.alive()).isFalse();
        assertThat(server.requests().get(0).path()).isEqualTo("/health");
        assertEnvdHeaders(server.requests().get(0), "Basic dXNlcjo=");
        assertThat(envd.toString()).doesNotContain(TOKEN);
    }

}
