package dev.cct.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    /** The first user message as 2.1.331 sends it: a system-reminder text block, then the prompt. */
    private static Map<String, Object> promptAfterReminder(String prompt) {
        return Map.of("role", "user", "content", List.of(
                Map.of("type", "text", "text", "<system-reminder>\nAttribution for git commits ...\n</system-reminder>"),
                Map.of("type", "text", "text", prompt)));
    }

    private static Map<String, Object> assistant(String text) {
        return Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", text)));
    }

    private static String text(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : sseData(r.body())) {
            sb.append(e.at("/delta/text").asText(""));
        }
        return sb.toString();
    }

    @Test
    void routesEachConversationByAMarkerInItsFirstUserMessage() throws Exception {
        Map<String, Scenario> routes = new LinkedHashMap<>();
        routes.put("Task A", Scenario.of(Turn.text("A0")));
        routes.put("Task B", Scenario.of(Turn.text("B0").withWrite("b.txt", "b"), Turn.text("B1")));
        Scenario fallback = Scenario.of(Turn.text("F0"), Turn.text("F1"));
        try (FakeAnthropic fake = FakeAnthropic.route(routes, fallback, KEY)) {
            assertThat(fake.scenario()).isSameAs(fallback);
            String a = request(List.of(Map.of("role", "user", "content", "do Task A now")));
            assertThat(text(post(fake, KEY, a))).isEqualTo("A0");

            // The marker in the prompt's block after the reminder; turns counted within B's own script.
            Map<String, Object> env = Map.of("role", "system", "content", List.of(Map.of("type", "text",
                    "text", " - Primary working directory: /tmp/ws-b")));
            String b0 = request(List.of(promptAfterReminder("please Task B"), env));
            assertThat(text(post(fake, KEY, b0))).isEqualTo("B0");
            String b1 = request(List.of(promptAfterReminder("please Task B"), env, assistant("B0"),
                    Map.of("role", "user", "content", List.of(Map.of("type", "tool_result", "tool_use_id", "t1",
                            "content", "Task A")))));
            assertThat(text(post(fake, KEY, b1))).isEqualTo("B1");

            // Both markers in the prompt: the map's order decides.
            String both = request(List.of(Map.of("role", "user", "content", "Task B, then Task A")));
            assertThat(text(post(fake, KEY, both))).isEqualTo("A0");

            // A marker only in a later user message (or in a reply) does not route the conversation.
            String later = request(List.of(Map.of("role", "user", "content", "hello"), assistant("about Task B?"),
                    Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "yes, Task A")))));
            assertThat(text(post(fake, KEY, later))).isEqualTo("F1");

            // A marker in a tool_result block of the first user message is not the prompt either.
            String inToolResult = request(List.of(Map.of("role", "user", "content", List.of(
                    Map.of("type", "tool_result", "tool_use_id", "t0", "content", "Task A")))));
            assertThat(text(post(fake, KEY, inToolResult))).isEqualTo("F0");

            assertThat(fake.requestsFor("Task A")).containsExactly(a, both);
            assertThat(fake.requestsFor("Task B")).containsExactly(b0, b1);
            assertThat(fake.requests()).containsExactly(a, b0, b1, both, later, inToolResult);
            assertThat(fake.workingDirectories()).containsExactly("/tmp/ws-b", "/tmp/ws-b");
            assertThatThrownBy(() -> fake.requestsFor("Task C")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Task C");

            // Refused before routing: counted in requests(), not in requestsFor().
            assertThat(post(fake, "sk-wrong", a).statusCode()).isEqualTo(401);
            assertThat(fake.requestsFor("Task A")).hasSize(2);
            assertThat(fake.requests()).hasSize(7);
        }
        assertThatThrownBy(() -> FakeAnthropic.route(Map.of("", Scenario.of(Turn.text("x"))), fallback))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void routedScenariosKeepTheirOwnDelaysAndErrors() throws Exception {
        Map<String, Scenario> routes = new LinkedHashMap<>();
        routes.put("slow one", Scenario.slow(Duration.ofMillis(1500), Turn.text("late")));
        routes.put("broken one", Scenario.apiError(529, "overloaded_error", "Overloaded"));
        try (FakeAnthropic fake = FakeAnthropic.route(routes, Scenario.of(Turn.text("quick")))) {
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(fake, "k", request(List.of(Map.of("role", "user", "content", "the slow one"))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Answered while the slow conversation still waits: one fake serves conversations side by side.
            assertThat(text(post(fake, "k", request(List.of(Map.of("role", "user", "content", "any")))))).isEqualTo("quick");
            HttpResponse<String> broken = post(fake, "k", request(List.of(Map.of("role", "user", "content", "the broken one"))));
            assertThat(broken.statusCode()).isEqualTo(529);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
            assertThat(slow.isDone()).isFalse();
            assertThat(text(slow.get())).isEqualTo("late");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(fake.requestsFor("slow one")).hasSize(1);
            assertThat(fake.requestsFor("broken one")).hasSize(1);
        }
    }

    @Test
    void turnsReportTheirUsageInMessageStartAndMessageDelta() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("pricey").withWrite("a.txt", "a").withUsage(1_000_000, 2_000),
                Turn.text("cheap"));
        try (FakeAnthropic fake = FakeAnthropic.start(scenario)) {
            Map<String, Object> env = Map.of("role", "system", "content", " - Primary working directory: /tmp/ws");
            List<JsonNode> first = sseData(post(fake, "k", request(List.of(
                    Map.of("role", "user", "content", "go"), env))).body());
            assertThat(first.get(0).at("/message/usage/input_tokens").asLong()).isEqualTo(1_000_000);
            assertThat(first.get(0).at("/message/usage/output_tokens").asLong()).isEqualTo(1);
            JsonNode delta = first.get(first.size() - 2);
            assertThat(delta.path("type").asText()).isEqualTo("message_delta");
            assertThat(delta.at("/usage/output_tokens").asLong()).isEqualTo(2_000);

            List<JsonNode> second = sseData(post(fake, "k", request(List.of(
                    Map.of("role", "user", "content", "go"), env, assistant("pricey")))).body());
            assertThat(second.get(0).at("/message/usage")).isEqualTo(JSON.readTree(
                    "{\"input_tokens\":10,\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}"));
            assertThat(second.get(second.size() - 2).path("usage")).isEqualTo(JSON.readTree("{\"output_tokens\":5}"));
        }
        assertThat(Turn.text("x").withUsage(3, 4).withBash("true", "t").outputTokens()).isEqualTo(4);
        assertThatThrownBy(() -> Turn.text("x").withUsage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchModeWritesOutTxtAndSpendsItsTimeWaitingOnTheModel() throws Exception {
        Scenario scenario = FakeAnthropicMain.batchScenario(Duration.ofMillis(800));
        assertThat(scenario.delay()).isEqualTo(Duration.ofMillis(400));
        assertThat(scenario.turns()).hasSize(2);
        assertThat(scenario.turns().get(0).tools()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("Write");
            assertThat(t.input()).containsEntry("file_path", Turn.CWD + "/out.txt").containsEntry("content", "done\n");
        });
        assertThat(scenario.turns().get(1).message()).isEqualTo("Wrote out.txt.");
        try (FakeAnthropic fake = FakeAnthropic.start(scenario)) {
            long t0 = System.nanoTime();
            String last = text(post(fake, "k", request(List.of(Map.of("role", "user", "content", "Task 1"),
                    assistant("Writing out.txt.")))));
            assertThat(last).isEqualTo("Wrote out.txt.");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
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
    void realCliIsRoutedByItsPromptAndChargedForTheTurnsUsage(@TempDir Path tmp) throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Map<String, Scenario> routes = new LinkedHashMap<>();
        routes.put("Task 1", Scenario.simpleWrite());
        // 500,000 input tokens: observed $2.02 for this run with 2.1.331's default model. A turn reporting a whole
        // context window (1,000,000 there) makes the CLI compact the conversation instead.
        routes.put("Task 2", Scenario.of(Turn.text("Writing two.txt.").withWrite("two.txt", "2\n").withUsage(500_000, 0),
                Turn.text("Wrote two.txt.").withUsage(0, 1_000)));
        try (FakeAnthropic fake = FakeAnthropic.route(routes, Scenario.apiError(500, "api_error", "no marker"), KEY)) {
            ClaudeCli.Run run = ClaudeCli.run(claude, work, tmp.resolve("home"), fake.baseUrl(), KEY,
                    "Task 2", RUN_TIMEOUT);
            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(work.resolve("two.txt")).hasContent("2");
            assertThat(work.resolve("hello.py")).doesNotExist();
            JsonNode result = run.result().orElseThrow(() -> new AssertionError("no result event\n" + run.describe()));
            System.out.println("routed run: total_cost_usd " + result.path("total_cost_usd") + ", usage " + result.path("usage"));
            assertThat(result.path("result").asText()).isEqualTo("Wrote two.txt.");
            assertThat(result.at("/usage/input_tokens").asLong()).isEqualTo(500_000);
            assertThat(result.at("/usage/output_tokens").asLong()).isEqualTo(1_000);
            assertThat(result.path("total_cost_usd").asDouble()).isGreaterThan(1.0);
            assertThat(fake.requestsFor("Task 2")).hasSize(2);
            assertThat(fake.requestsFor("Task 1")).isEmpty();
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
