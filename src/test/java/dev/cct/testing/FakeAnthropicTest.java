package dev.cct.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cct.core.Environment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake on its own (always runs), and the REAL Claude Code CLI driven by it (skipped with a
 * printed reason when no CLI is installed; see .ci/install-claude.sh).
 *
 * <p>Observed with Claude Code 2.1.331 and 2.1.197 (native binary; a whole run takes 0.4-1 s here):
 * <ul>
 *   <li>success: exit 0; NDJSON {@code system/init}, one {@code assistant} line per content block
 *       (text and each tool_use separately), one {@code user} line per tool_result, and last a
 *       {@code result} with {@code subtype "success"}, {@code is_error false}, {@code result} = the
 *       final text. {@code num_turns} is NOT the number of API calls: filesOfEveryKind makes 3 calls
 *       and reports 6 (5 tool results + 1).</li>
 *   <li>API error (HTTP 529 overloaded, or 401 from a wrong key; CLAUDE_CODE_MAX_RETRIES=0): exit 1
 *       in well under a second; still a {@code result} line, with {@code is_error true} but
 *       {@code subtype "success"} (!), {@code num_turns 1}, {@code api_error_status} = the HTTP status,
 *       {@code terminal_reason "api_error"} (2.1.331) and {@code result} = the CLI's message, e.g.
 *       "API Error: 529 Overloaded. This is a server-side issue, ..." or
 *       "Invalid API key · Fix external API key". stderr stays empty.</li>
 *   <li>SIGINT while waiting for the API (2.1.331): exit 0 (!), NO result event; the last line is
 *       a {@code user} message "[Request interrupted by user]". SIGTERM: exit 143, no result event,
 *       only the init line. So the caller must map its own Ctrl-C/timeout to 130/124.</li>
 * </ul>
 */
class FakeAnthropicTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final String KEY = "sk-test";

    private final HttpClient http = HttpClient.newHttpClient();

    // ----------------------------------------------------------------- the fake alone, over HTTP

    private static String request(List<Map<String, Object>> messages) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "model", "claude-test-model",
                "stream", true,
                "system", List.of(Map.of("type", "text", "text", "You are a test.")),
                "messages", messages));
    }

    private HttpResponse<String> post(FakeAnthropic fake, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/messages?beta=true"))
                        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> sseData(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(JSON.readTree(line.substring(6)));
            }
        }
        return out;
    }

    @Test
    void playsTurnsByCountingAssistantMessagesAndFillsInTheWorkingDirectory() throws Exception {
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.simpleWrite(), KEY)) {
            assertThat(fake.baseUrl()).isEqualTo("http://127.0.0.1:" + fake.port());
            Map<String, Object> env = Map.of("role", "system", "content", List.of(Map.of("type", "text",
                    "text", "# Environment\n - Primary working directory: /tmp/ws-1\n - Platform: linux")));
            HttpResponse<String> first = post(fake, KEY, request(List.of(
                    Map.of("role", "user", "content", "make hello.py"), env)));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            List<JsonNode> events = sseData(first.body());
            assertThat(events).extracting(e -> e.path("type").asText()).containsExactly(
                    "message_start", "content_block_start", "content_block_delta", "content_block_stop",
                    "content_block_start", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop");
            assertThat(events.get(0).at("/message/model").asText()).isEqualTo("claude-test-model");
            assertThat(events.get(4).at("/content_block/name").asText()).isEqualTo("Write");
            JsonNode input = JSON.readTree(events.get(5).at("/delta/partial_json").asText());
            assertThat(input.path("file_path").asText()).isEqualTo("/tmp/ws-1/hello.py");
            assertThat(input.path("content").asText()).isEqualTo(Scenario.HELLO_PY);
            assertThat(events.get(7).at("/delta/stop_reason").asText()).isEqualTo("tool_use");

            HttpResponse<String> second = post(fake, KEY, request(List.of(
                    Map.of("role", "user", "content", "make hello.py"), env,
                    Map.of("role", "assistant", "content", List.of(Map.of("type", "tool_use", "id", "t1",
                            "name", "Write", "input", Map.of()))),
                    Map.of("role", "user", "content", List.of(Map.of("type", "tool_result",
                            "tool_use_id", "t1", "content", "ok"))))));
            List<JsonNode> last = sseData(second.body());
            assertThat(last.get(2).at("/delta/text").asText()).isEqualTo(Scenario.SIMPLE_WRITE_SUMMARY);
            assertThat(last.get(4).at("/delta/stop_reason").asText()).isEqualTo("end_turn");
            assertThat(fake.requests()).hasSize(2);
            assertThat(fake.workingDirectories()).containsExactly("/tmp/ws-1", "/tmp/ws-1");
        }
    }

    @Test
    void checksTheKeyAnswersHeadAndUnknownPathsAndPlaysErrors() throws Exception {
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.of(Turn.text("hi")), KEY)) {
            HttpResponse<String> denied = post(fake, "sk-wrong", request(List.of(Map.of("role", "user", "content", "x"))));
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(denied.body())).isEqualTo(JSON.readTree(
                    "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/other")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(fake.requestLog()).containsExactly(
                    "POST /v1/messages?beta=true -> 401", "HEAD / -> 200", "GET /v1/other -> 404");
        }
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.apiError(529, "overloaded_error", "Overloaded"))) {
            HttpResponse<String> r = post(fake, "any", request(List.of(Map.of("role", "user", "content", "x"))));
            assertThat(r.statusCode()).isEqualTo(529);
            assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("overloaded_error");
        }
    }

    @Test
    void slowScenarioDelaysEachAnswerAndCloseAbandonsIt() throws Exception {
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.slow(Duration.ofMillis(700), Turn.text("late")))) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post(fake, "k", request(List.of(Map.of("role", "user", "content", "x"))));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(r.body()).contains("\"late\"");
        }
    }

    // ----------------------------------------------------------------- the real CLI

    @Test
    void realCliCreatesFilesOfEveryKind(@TempDir Path tmp) throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Scenario scenario = Scenario.filesOfEveryKind();
        try (FakeAnthropic fake = FakeAnthropic.start(scenario, KEY)) {
            ClaudeCli.Run run = ClaudeCli.run(claude, work, tmp.resolve("home"), fake.baseUrl(), KEY,
                    "Create files of every kind.", RUN_TIMEOUT);
            System.out.println("filesOfEveryKind: exit " + run.exitCode() + " in " + run.elapsed().toMillis() + " ms");

            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(scenario.verify(work)).as(run.describe()).isEmpty();
            assertThat(Files.isExecutable(work.resolve("run.sh"))).isTrue();
            assertThat(Files.readAllBytes(work.resolve("data/blob.bin"))).isEqualTo(Scenario.allByteValues());

            JsonNode result = run.result().orElseThrow(() -> new AssertionError("no result event\n" + run.describe()));
            assertThat(result.path("subtype").asText()).isEqualTo("success");
            assertThat(result.path("is_error").asBoolean(true)).isFalse();
            // 2.1.331 counts tool round trips, not API calls: 5 tool results + 1 = 6 here (3 API calls).
            assertThat(result.path("num_turns").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(result.path("result").asText()).isEqualTo(Scenario.EVERY_KIND_SUMMARY);
            assertThat(result.path("permission_denials")).isEmpty();
            assertThat(run.events().get(0).path("type").asText()).isEqualTo("system");
            assertThat(run.events().get(0).path("subtype").asText()).isEqualTo("init");

            assertThat(fake.requests()).hasSize(3);
            assertThat(fake.workingDirectories()).isNotEmpty()
                    .allSatisfy(d -> assertThat(Path.of(d)).isEqualTo(work.toRealPath()));
            // Every tool call went back as a tool_result without error.
            List<JsonNode> lastRequestResults = FakeAnthropic.toolResults(fake.requestsAsJson().get(2));
            assertThat(lastRequestResults).hasSize(5)
                    .allSatisfy(r -> assertThat(r.path("is_error").asBoolean(false)).as(r.toString()).isFalse());
        }
    }

    @Test
    void realCliSimpleWrite(@TempDir Path tmp) throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Scenario scenario = Scenario.simpleWrite();
        try (FakeAnthropic fake = FakeAnthropic.start(scenario, KEY)) {
            ClaudeCli.Run run = ClaudeCli.run(claude, work, tmp.resolve("home"), fake.baseUrl(), KEY,
                    "make hello.py", RUN_TIMEOUT);
            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(scenario.verify(work)).as(run.describe()).isEmpty();
            assertThat(run.result()).hasValueSatisfying(r -> {
                assertThat(r.path("is_error").asBoolean(true)).isFalse();
                assertThat(r.path("num_turns").asInt()).isGreaterThanOrEqualTo(2);
            });
        }
    }

    @Test
    void apiErrorGivesAnErrorResult(@TempDir Path tmp) throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.apiError(529, "overloaded_error", "Overloaded"))) {
            ClaudeCli.Run run = ClaudeCli.run(claude, tmp.resolve("work"), tmp.resolve("home"), fake.baseUrl(), KEY,
                    "hello", RUN_TIMEOUT);
            System.out.println("apiError: exit " + run.exitCode() + " in " + run.elapsed().toMillis() + " ms; result: "
                    + run.result().map(JsonNode::toString).orElse("none"));
            JsonNode result = run.result().orElseThrow(() -> new AssertionError("no result event\n" + run.describe()));
            assertThat(result.path("is_error").asBoolean(false)).as(run.describe()).isTrue();
            // Observed: exit code 1 for an API error.
            assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
            assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void wrongApiKeyGivesAnErrorResult(@TempDir Path tmp) throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        try (FakeAnthropic fake = FakeAnthropic.start(Scenario.simpleWrite(), "sk-the-right-one")) {
            ClaudeCli.Run run = ClaudeCli.run(claude, tmp.resolve("work"), tmp.resolve("home"), fake.baseUrl(), KEY,
                    "hello", RUN_TIMEOUT);
            System.out.println("wrong key: exit " + run.exitCode() + " in " + run.elapsed().toMillis() + " ms; result: "
                    + run.result().map(JsonNode::toString).orElse("none"));
            JsonNode result = run.result().orElseThrow(() -> new AssertionError("no result event\n" + run.describe()));
            assertThat(result.path("is_error").asBoolean(false)).as(run.describe()).isTrue();
            assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
            assertThat(tmp.resolve("work/hello.py")).doesNotExist();
        }
    }
}
