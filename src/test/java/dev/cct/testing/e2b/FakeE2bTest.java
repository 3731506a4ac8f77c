package dev.cct.testing.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake's wire formats, checked with a plain HTTP client (not the project's E2B client). */
class FakeE2bTest {

    private static final String KEY = "e2b_test_key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    private FakeE2b fake;
    private final HttpClient http = HttpClient.newHttpClient();
    private static final okhttp3.OkHttpClient STREAMING = new okhttp3.OkHttpClient.Builder()
            .readTimeout(Duration.ofMinutes(1)).build();

    @BeforeEach
    void start() throws IOException {
        fake = FakeE2b.start(root, KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    // ---- control plane ----

    @Test
    void restNeedsTheApiKey() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "/v2/sandboxes"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"templateID\":\"base\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).get("code").isInt()).isTrue();
    }

    @Test
    void createAnswersLikeE2bAndDefaultsTheTimeoutTo15Seconds() throws Exception {
        HttpResponse<String> r = rest("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"metadata\":{\"a\":\"b\"}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode s = JSON.readTree(r.body());
        assertThat(s.get("sandboxID").asText()).matches("i[a-z0-9]{20}");
        assertThat(s.get("clientID").asText()).isEqualTo("6532622b");
        assertThat(s.get("envdVersion").asText()).isEqualTo("0.6.13");
        assertThat(s.get("envdAccessToken").asText()).isNotEmpty();
        assertThat(s.get("domain").isNull()).isTrue();
        JsonNode detail = JSON.readTree(rest("GET", "/sandboxes/" + s.get("sandboxID").asText(), null).body());
        Duration life = Duration.between(Instant.parse(detail.get("startedAt").asText()), Instant.parse(detail.get("endAt").asText()));
        assertThat(life).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(16));
        assertThat(detail.get("metadata").get("a").asText()).isEqualTo("b");
        assertThat(fake.liveSandboxIds()).containsExactly(s.get("sandboxID").asText());
    }

    @Test
    void createRecordsTheEgressRulesAndTheDetailReturnsThemAsGiven() throws Exception {
        HttpResponse<String> r = rest("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"allow_internet_access\":true,"
                + "\"network\":{\"allowOut\":[\"api.anthropic.com\",\"*.example.com\",\"1.1.1.1\"],\"denyOut\":[\"0.0.0.0/0\"]}}");
        assertThat(r.statusCode()).isEqualTo(201);
        String id = JSON.readTree(r.body()).get("sandboxID").asText();
        FakeSandbox created = fake.sandbox(id);
        assertThat(created.allowInternetAccess()).isTrue();
        assertThat(created.allowOut()).containsExactly("api.anthropic.com", "*.example.com", "1.1.1.1");
        assertThat(created.denyOut()).containsExactly("0.0.0.0/0");

        JsonNode detail = JSON.readTree(rest("GET", "/sandboxes/" + id, null).body());
        assertThat(detail.get("allowInternetAccess").asBoolean()).isTrue();
        assertThat(detail.get("network")).isEqualTo(JSON.readTree(
                "{\"allowOut\":[\"api.anthropic.com\",\"*.example.com\",\"1.1.1.1\"],\"denyOut\":[\"0.0.0.0/0\"]}"));
        JsonNode listed = JSON.readTree(rest("GET", "/v2/sandboxes", null).body()).get(0);
        assertThat(listed.has("network")).as("a listing has no network").isFalse();
    }

    @Test
    void aCreateWithoutEgressRulesHasNoneInItsDetail() throws Exception {
        String id = create("base", "{}").id;
        FakeSandbox created = fake.sandbox(id);
        assertThat(created.allowInternetAccess()).isNull();
        assertThat(created.allowOut()).isNull();
        assertThat(created.denyOut()).isNull();
        JsonNode detail = JSON.readTree(rest("GET", "/sandboxes/" + id, null).body());
        assertThat(detail.has("network")).isFalse();
        assertThat(detail.has("allowInternetAccess")).isFalse();

        String onlyDeny = JSON.readTree(rest("POST", "/v2/sandboxes",
                "{\"templateID\":\"base\",\"network\":{\"denyOut\":[\"10.0.0.0/8\"]}}").body()).get("sandboxID").asText();
        assertThat(fake.sandbox(onlyDeny).allowOut()).isNull();
        assertThat(JSON.readTree(rest("GET", "/sandboxes/" + onlyDeny, null).body()).get("network"))
                .isEqualTo(JSON.readTree("{\"denyOut\":[\"10.0.0.0/8\"]}"));
    }

    @Test
    void malformedEgressRulesAre400NamingTheFieldAndCreateNothing() throws Exception {
        assertCreateRefused("{\"templateID\":\"base\",\"network\":{\"allowOut\":\"api.anthropic.com\"}}",
                "\"/network/allowOut\": value must be an array");
        assertCreateRefused("{\"templateID\":\"base\",\"network\":{\"allowOut\":[\"ok.example\"],\"denyOut\":[\"0.0.0.0/0\",7]}}",
                "\"/network/denyOut/1\": value must be a string");
        assertCreateRefused("{\"templateID\":\"base\",\"network\":{\"allowOut\":[null]}}",
                "\"/network/allowOut/0\": value must be a string");
        assertCreateRefused("{\"templateID\":\"base\",\"network\":[\"api.anthropic.com\"]}",
                "\"/network\": value must be an object");
        assertThat(fake.liveSandboxIds()).isEmpty();
        assertThatThrownBy(() -> fake.sandbox("inope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inope");
    }

    private void assertCreateRefused(String body, String message) throws Exception {
        HttpResponse<String> r = rest("POST", "/v2/sandboxes", body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("code").asInt()).isEqualTo(400);
        assertThat(error.get("message").asText()).contains(message);
    }

    @Test
    void badTimeoutIs400AndUnknownSandboxIs404WithAnIntegerCode() throws Exception {
        assertThat(rest("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"timeout\":0}").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = rest("GET", "/sandboxes/inope", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("code").asInt()).isEqualTo(404);
        assertThat(rest("DELETE", "/sandboxes/inope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void listFiltersByMetadataAndPagesWithXNextToken() throws Exception {
        String a = create("base", "{\"k\":\"v\"}").id;
        String b = create("base", "{\"k\":\"v\"}").id;
        create("base", "{\"k\":\"other\"}");
        HttpResponse<String> first = rest("GET", "/v2/sandboxes?limit=1&metadata=" + URLEncoder.encode("k=v", StandardCharsets.UTF_8), null);
        assertThat(JSON.readTree(first.body())).hasSize(1);
        String token = first.headers().firstValue("x-next-token").orElseThrow();
        HttpResponse<String> second = rest("GET", "/v2/sandboxes?limit=1&nextToken=" + token + "&metadata=k%3Dv", null);
        assertThat(second.headers().firstValue("x-next-token")).isEmpty();
        List<String> ids = List.of(JSON.readTree(first.body()).get(0).get("sandboxID").asText(),
                JSON.readTree(second.body()).get(0).get("sandboxID").asText());
        assertThat(ids).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfterOnceThenWorks() throws Exception {
        fake.faults().rateLimitNext(1, 1);
        HttpResponse<String> limited = rest("POST", "/v2/sandboxes", "{\"templateID\":\"base\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).contains("1");
        assertThat(JSON.readTree(limited.body()).get("code").asInt()).isEqualTo(429);
        assertThat(rest("POST", "/v2/sandboxes", "{\"templateID\":\"base\"}").statusCode()).isEqualTo(201);
        fake.faults().serviceUnavailableNext(1);
        assertThat(rest("GET", "/v2/sandboxes", null).statusCode()).isEqualTo(503);
        assertThat(rest("GET", "/v2/sandboxes", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredSandboxIsGoneForRestAndEnvd() throws Exception {
        Box box = create("base", "{}");
        fake.faults().expireSandboxIn(box.id, Duration.ZERO);
        assertThat(rest("GET", "/sandboxes/" + box.id, null).statusCode()).isEqualTo(404);
        HttpResponse<String> envd = envd(box, "GET", "/health", null, HttpResponse.BodyHandlers.ofString());
        assertThat(envd.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(envd.body()).get("message").asText()).isEqualTo("The sandbox was not found");
        assertThat(fake.liveSandboxIds()).isEmpty();
        assertThat(fake.sandboxDir(box.id)).isPresent();
    }

    // ---- envd ----

    @Test
    void envdNeedsTheAccessTokenExceptOnHealth() throws Exception {
        Box box = create("base", "{}");
        assertThat(send(HttpRequest.newBuilder(URI.create(fake.sandboxUrl() + "/health")).header("E2b-Sandbox-Id", box.id)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(fake.sandboxUrl() + "/process.Process/List"))
                .header("E2b-Sandbox-Id", box.id).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).get("code").asInt()).isEqualTo(401);
    }

    @Test
    void startStreamsStartDataEndAndEndOfStreamOmittingZeroValues() throws Exception {
        Box box = create("base", "{}");
        List<Frame> frames = readAll(start(box, "echo hi; echo err >&2", null));
        assertThat(frames.get(0).json.at("/event/start/pid").asInt()).isPositive();
        assertThat(stdout(frames)).isEqualTo("hi\n");
        assertThat(stderr(frames)).isEqualTo("err\n");
        JsonNode end = frames.get(frames.size() - 2).json.at("/event/end");
        assertThat(end.has("exitCode")).isFalse();
        assertThat(end.get("exited").asBoolean()).isTrue();
        assertThat(end.get("status").asText()).isEqualTo("exit status 0");
        Frame last = frames.get(frames.size() - 1);
        assertThat(last.flags).isEqualTo(2);
        assertThat(last.json.size()).isZero();
    }

    @Test
    void nonZeroExitCarriesExitCodeStatusAndError() throws Exception {
        List<Frame> frames = readAll(start(create("base", "{}"), "exit 3", null));
        JsonNode end = frames.get(frames.size() - 2).json.at("/event/end");
        assertThat(end.get("exitCode").asInt()).isEqualTo(3);
        assertThat(end.get("status").asText()).isEqualTo("exit status 3");
        assertThat(end.get("error").asText()).isEqualTo("exit status 3");
    }

    @Test
    void theEnvironmentHasEnvdsVariablesThenCreateTimeThenRequestEnvs() throws Exception {
        Box box = create("base", "{}", "{\"A\":\"create\",\"B\":\"create\"}");
        String out = stdout(readAll(start(box, "echo $USER $LOGNAME $A $B $IS_SANDBOX; cd ~ && pwd", "{\"B\":\"request\"}")));
        Path home = fake.sandboxDir(box.id).orElseThrow().resolve("home/user");
        assertThat(out).isEqualTo("user user create request 1\n" + home + "\n");
    }

    @Test
    void connectTimeoutKillsTheProcessAndEndsWithDeadlineExceeded() throws Exception {
        Box box = create("base", "{}");
        long t0 = System.nanoTime();
        List<Frame> frames = readAll(start(box, "sleep 20", null, "Connect-Timeout-Ms", "500"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(frames.get(frames.size() - 1).json.at("/error/code").asText()).isEqualTo("deadline_exceeded");
        assertThat(unary(box, "process.Process/List", "{}").body()).doesNotContain("sleep 20");
    }

    @Test
    void keepalivesComeAfterTheRequestedSilence() throws Exception {
        List<Frame> frames = readAll(start(create("base", "{}"), "sleep 2.5", null, "Keepalive-Ping-Interval", "1"));
        assertThat(frames).filteredOn(f -> f.json.at("/event/keepalive").isObject()).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void aCutStreamLeavesTheProcessRunningAndConnectReattachesByPid() throws Exception {
        Box box = create("base", "{}");
        fake.faults().cutStreamAfterFrames(2);
        InputStream cut = start(box, "echo before; sleep 1.5; echo after; exit 4", null);
        DataInputStream in = new DataInputStream(cut);
        int pid = readFrame(in).json.at("/event/start/pid").asInt();
        assertThat(new String(Base64.getDecoder().decode(readFrame(in).json.at("/event/data/stdout").asText()))).isEqualTo("before\n");
        assertThatThrownBy(() -> readFrame(in)).isInstanceOf(IOException.class);

        List<Frame> frames = readAll(stream(box, "process.Process/Connect", "{\"process\":{\"pid\":" + pid + "}}"));
        assertThat(frames.get(0).json.at("/event/start/pid").asInt()).isEqualTo(pid);
        assertThat(stdout(frames)).isEqualTo("after\n");
        assertThat(frames.get(frames.size() - 2).json.at("/event/end/exitCode").asInt()).isEqualTo(4);

        List<Frame> late = readAll(stream(box, "process.Process/Connect", "{\"process\":{\"pid\":" + pid + "}}"));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).json.at("/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void stdinOpenByDefaultTakesInputAndCloseStdin() throws Exception {
        Box box = create("base", "{}");
        DataInputStream in = new DataInputStream(stream(box, "process.Process/Start", "{\"process\":{\"cmd\":\"/bin/cat\"}}"));
        int pid = readFrame(in).json.at("/event/start/pid").asInt();
        String b64 = Base64.getEncoder().encodeToString("typed\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unary(box, "process.Process/SendInput", "{\"process\":{\"pid\":" + pid + "},\"input\":{\"stdin\":\"" + b64 + "\"}}")
                .statusCode()).isEqualTo(200);
        assertThat(unary(box, "process.Process/CloseStdin", "{\"process\":{\"pid\":" + pid + "}}").statusCode()).isEqualTo(200);
        List<Frame> rest = readAll(in);
        assertThat(stdout(rest)).isEqualTo("typed\n");
    }

    @Test
    void sigkillEndsWithSignalKilled() throws Exception {
        Box box = create("base", "{}");
        DataInputStream in = new DataInputStream(start(box, "sleep 30", null));
        int pid = readFrame(in).json.at("/event/start/pid").asInt();
        assertThat(unary(box, "process.Process/SendSignal", "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}")
                .statusCode()).isEqualTo(200);
        List<Frame> frames = readAll(in);
        JsonNode end = frames.get(frames.size() - 2).json.at("/event/end");
        assertThat(end.get("exitCode").asInt()).isEqualTo(-1);
        assertThat(end.get("status").asText()).isEqualTo("signal: killed");
    }

    @Test
    void unaryErrorsUseConnectStringCodes() throws Exception {
        Box box = create("base", "{}");
        HttpResponse<String> empty = unary(box, "process.Process/List", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("code").asText()).isEqualTo("invalid_argument");
        HttpResponse<String> missing = unary(box, "process.Process/SendSignal", "{\"process\":{\"pid\":1},\"signal\":\"SIGNAL_SIGKILL\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("code").asText()).isEqualTo("not_found");
        HttpResponse<String> stat = unary(box, "filesystem.Filesystem/Stat", "{\"path\":\"/home/user/none\"}");
        assertThat(stat.statusCode()).isEqualTo(404);
    }

    @Test
    void theClaudeTemplateGetsThePathPrefixThroughLoginShellsAndOthersDoNot(@TempDir Path bin) throws Exception {
        Path tool = bin.resolve("fake-tool");
        Files.writeString(tool, "#!/bin/sh\necho tool ran\n");
        tool.toFile().setExecutable(true);
        fake.withPath(List.of(bin));
        assertThat(stdout(readAll(start(create("claude", "{}"), "fake-tool", null)))).isEqualTo("tool ran\n");
        assertThat(stdout(readAll(start(create("base", "{}"), "command -v fake-tool || echo none", null)))).isEqualTo("none\n");
    }

    // ---- files ----

    @Test
    void octetStreamGzipUploadThenPlainGzipAndRangedDownloads() throws Exception {
        Box box = create("base", "{}");
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        HttpResponse<String> up = envd(box, "POST", "/files?path=" + enc("dir/sub/blob.bin"), gz.toByteArray(),
                HttpResponse.BodyHandlers.ofString(), "Content-Type", "application/octet-stream", "Content-Encoding", "gzip");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode info = JSON.readTree(up.body());
        assertThat(info.get(0).get("path").asText()).isEqualTo("/home/user/dir/sub/blob.bin");
        assertThat(info.get(0).get("type").asText()).isEqualTo("file");

        String path = "/files?path=" + enc("/home/user/dir/sub/blob.bin");
        assertThat(envd(box, "GET", path, null, HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(data);
        HttpResponse<InputStream> zipped = envd(box, "GET", path, null, HttpResponse.BodyHandlers.ofInputStream(), "Accept-Encoding", "gzip");
        assertThat(zipped.headers().firstValue("content-encoding")).contains("gzip");
        assertThat(new GZIPInputStream(zipped.body()).readAllBytes()).isEqualTo(data);
        HttpResponse<byte[]> ranged = envd(box, "GET", path, null, HttpResponse.BodyHandlers.ofByteArray(), "Range", "bytes=299990-");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 299_990, 300_000));
    }

    @Test
    void multipartPartsGoToTheirFilenamesAndErrorsHaveIntegerCodes() throws Exception {
        Box box = create("base", "{}");
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/home/user/a.txt\"\r\n\r\nA\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nignored\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rel/b.txt\"\r\n\r\n\r\n--B\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> up = envd(box, "POST", "/files", body.getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString(),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(up.body()).findValuesAsText("path")).containsExactly("/home/user/a.txt", "/home/user/rel/b.txt");
        Path home = fake.sandboxDir(box.id).orElseThrow().resolve("home/user");
        assertThat(Files.readString(home.resolve("a.txt"))).isEqualTo("A");
        assertThat(Files.readString(home.resolve("rel/b.txt"))).isEqualTo("\r\n--B");

        HttpResponse<String> dir = envd(box, "GET", "/files?path=rel", null, HttpResponse.BodyHandlers.ofString());
        assertThat(dir.statusCode()).isEqualTo(400);
        HttpResponse<String> missing = envd(box, "GET", "/files?path=nope", null, HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("code").asInt()).isEqualTo(404);
        assertThat(fake.requests()).filteredOn(r -> r.equals("POST /files")).hasSize(1);
        assertThat(fake.requests()).filteredOn(r -> r.equals("GET /files")).hasSize(2);
    }

    @Test
    void aHundredMegabyteChunkedUploadIsStreamedToDisk() throws Exception {
        Box box = create("base", "{}");
        long size = 100L * 1024 * 1024;
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.sandboxUrl() + "/files?path=big.bin"))
                .header("E2b-Sandbox-Id", box.id).header("X-Access-Token", box.token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new CountingBytes(size))).build();
        assertThat(send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        Path big = fake.sandboxDir(box.id).orElseThrow().resolve("home/user/big.bin");
        assertThat(Files.size(big)).isEqualTo(size);
        try (InputStream in = Files.newInputStream(big)) {
            in.skipNBytes(size - 1);
            assertThat(in.read()).isEqualTo((int) ((size - 1) % 251));
        }
    }

    /** {@code size} bytes of {@code i % 251}, made on the fly. */
    private static final class CountingBytes extends InputStream {
        private final long size;
        private long i;

        CountingBytes(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return i < size ? (int) (i++ % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (i >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - i);
            for (int k = 0; k < n; k++) {
                b[off + k] = (byte) (i++ % 251);
            }
            return n;
        }
    }

    // ---- helpers ----

    private record Box(String id, String token) {
    }

    private record Frame(int flags, JsonNode json) {
    }

    private Box create(String template, String metadata) throws Exception {
        return create(template, metadata, "{}");
    }

    private Box create(String template, String metadata, String envVars) throws Exception {
        HttpResponse<String> r = rest("POST", "/v2/sandboxes",
                "{\"templateID\":\"" + template + "\",\"timeout\":60,\"metadata\":" + metadata + ",\"envVars\":" + envVars + "}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode s = JSON.readTree(r.body());
        return new Box(s.get("sandboxID").asText(), s.get("envdAccessToken").asText());
    }

    private HttpResponse<String> rest(String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + path)).header("X-API-Key", KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> envd(Box box, String method, String path, byte[] body, HttpResponse.BodyHandler<T> handler,
                                     String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.sandboxUrl() + path))
                .header("E2b-Sandbox-Id", box.id).header("E2b-Sandbox-Port", "49983").header("X-Access-Token", box.token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build(), handler);
    }

    private HttpResponse<String> unary(Box box, String rpc, String json) throws Exception {
        return envd(box, "POST", "/" + rpc, json.getBytes(StandardCharsets.UTF_8), HttpResponse.BodyHandlers.ofString(),
                "Content-Type", "application/json");
    }

    /**
     * A streaming call, read with OkHttp: it reads the socket in order, so every frame sent before a cut reaches the
     * test before the cut does. (The JDK client's streaming bodies can fail the whole call, or drop frames already
     * received, when the connection breaks right after them.)
     */
    private InputStream stream(Box box, String rpc, String json, String... headers) throws Exception {
        okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(fake.sandboxUrl() + "/" + rpc)
                .header("E2b-Sandbox-Id", box.id).header("E2b-Sandbox-Port", "49983").header("X-Access-Token", box.token)
                .post(okhttp3.RequestBody.create(envelope(json), okhttp3.MediaType.get("application/connect+json")));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        okhttp3.Response r = STREAMING.newCall(b.build()).execute();
        assertThat(r.code()).isEqualTo(200);
        return r.body().byteStream();
    }

    private InputStream start(Box box, String command, String envs, String... headers) throws Exception {
        String json = "{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\"," + JSON.writeValueAsString(command) + "]"
                + (envs == null ? "" : ",\"envs\":" + envs) + "},\"stdin\":false}";
        return stream(box, "process.Process/Start", json, headers);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
        return http.send(request, handler);
    }

    private static byte[] envelope(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(payload.length).put(payload).array();
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        int flags = in.readUnsignedByte();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new Frame(flags, JSON.readTree(new ByteArrayInputStream(payload)));
    }

    /** Every frame up to and including end-of-stream. */
    private static List<Frame> readAll(InputStream body) throws IOException {
        DataInputStream in = new DataInputStream(body);
        List<Frame> frames = new ArrayList<>();
        try {
            while (true) {
                Frame f = readFrame(in);
                frames.add(f);
                if (f.flags == 2) {
                    return frames;
                }
            }
        } catch (EOFException e) {
            throw new IOException("stream ended without end-of-stream after " + frames, e);
        }
    }

    private static String stdout(List<Frame> frames) {
        return output(frames, "stdout");
    }

    private static String stderr(List<Frame> frames) {
        return output(frames, "stderr");
    }

    private static String output(List<Frame> frames, String which) {
        StringBuilder s = new StringBuilder();
        for (Frame f : frames) {
            JsonNode d = f.json.at("/event/data/" + which);
            if (d.isTextual()) {
                s.append(new String(Base64.getDecoder().decode(d.asText()), StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
