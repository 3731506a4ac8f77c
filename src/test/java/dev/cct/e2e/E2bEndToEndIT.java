package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Format;
import dev.cct.testing.ClaudeCli;
import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import dev.cct.testing.e2b.FakeE2b;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built cct program with {@code --sandbox e2b} against the fake E2B on 127.0.0.1, which runs each process for
 * real: the real Claude Code CLI in the sandbox's folder, talking to a scripted fake model.
 */
class E2bEndToEndIT extends SandboxEndToEndContract {
    private static final String E2B_KEY = "e2b_e2e_secret_0002";

    @TempDir
    Path sandboxes;
    private FakeE2b e2b;

    @BeforeEach
    void fake() throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        e2b = FakeE2b.start(sandboxes, E2B_KEY).withPath(List.of(claude.toAbsolutePath().getParent()));
    }

    @AfterEach
    void stop() {
        if (e2b != null) {
            e2b.close();
        }
    }

    @Override
    List<String> providerArgs() {
        return List.of("--sandbox", "e2b");
    }

    @Override
    CctProcess withProvider(CctProcess cct) {
        return cct.env("E2B_API_KEY", E2B_KEY).env("E2B_API_URL", e2b.apiUrl()).env("E2B_SANDBOX_URL", e2b.sandboxUrl());
    }

    @Override
    List<String> leftBehind(CctProcess.Result result) {
        return List.copyOf(e2b.liveSandboxIds());
    }

    /** One request up; down, one for the changed files and one for Claude's transcript: never one per file. */
    @Override
    void afterEveryKindRun(CctProcess.Result result) {
        assertThat(result.err()).doesNotContain(E2B_KEY);
        assertThat(requests("POST /files")).as(String.join("\n", e2b.requests())).isEqualTo(1);
        assertThat(requests("GET /files")).as(String.join("\n", e2b.requests())).isEqualTo(2);
    }

    private long requests(String prefix) {
        return e2b.requests().stream().filter(line -> line.startsWith(prefix)).count();
    }

    /**
     * An account that holds two sandboxes, a batch of five runs four at a time: the refused creates make the batch
     * narrower and wait for room, so every run succeeds instead of failing with the limit.
     */
    @Test
    void aBatchWiderThanTheAccountsLimitNarrowsAndEveryRunSucceeds() throws Exception {
        e2b.faults().limitConcurrentSandboxes(2);
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite().withDelay(Duration.ofSeconds(1)))) {
            CctProcess.Result result = cct(model).run(LIMIT, batchArgs("--runs", "5", "--prompt", "write hello",
                    "--parallel", "4", "--output", "out", "--output-format", "json"));
            assertThat(result.code()).as(result.err() + result.out()).isZero();
            JsonNode batch = json(result.out().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(batch.path("statuses").path("success").asInt()).isEqualTo(5);
            assertThat(e2b.faults().limitRefusals()).isPositive();
            for (int i = 1; i <= 5; i++) {
                assertThat(Files.readString(dir.resolve("out/0" + i + "-write-hello/hello.py"))).isEqualTo(Scenario.HELLO_PY);
            }
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** --egress allowlist becomes E2B's own rules at creation: the listed hosts out, everything else denied. */
    @Test
    void anAllowListBecomesE2bsOwnEgressRulesAtCreation() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "write hello", "--egress", "allowlist",
                    "--allow-host", "*.example.com", "--allow-preset", "npm", "--output", "out", "--output-format", "json"));
            assertThat(result.code()).as(result.err()).isZero();
            JsonNode summary = json(result.out().strip());
            assertThat(summary.path("egress").path("policy").asText()).isEqualTo("allowlist");
            var sandbox = e2b.sandbox(summary.path("sandboxId").asText());
            // Claude's host (here the fake model's) first, then the preset's and the pattern.
            assertThat(sandbox.allowOut()).containsExactly("127.0.0.1", "registry.npmjs.org", "registry.yarnpkg.com", "*.example.com");
            assertThat(sandbox.denyOut()).containsExactly("0.0.0.0/0");
            assertThat(sandbox.allowInternetAccess()).isTrue();
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    @Test
    void rateLimitsAndServiceErrorsAreRetried() throws Exception {
        e2b.faults().rateLimitNext(2, 1);
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result limited = cct(model).run(LIMIT, args("--prompt", "write hello", "--output", "a"));
            assertThat(limited.code()).as(limited.err()).isZero();
            assertThat(Files.readString(dir.resolve("a/hello.py"))).isEqualTo(Scenario.HELLO_PY);

            e2b.faults().serviceUnavailableNext(1);
            CctProcess.Result busy = cct(model).run(LIMIT, args("--prompt", "write hello", "--output", "b"));
            assertThat(busy.code()).as(busy.err()).isZero();
            assertThat(e2b.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void aStreamCutMidRunIsReattachedAndNothingIsLost() throws Exception {
        Scenario scenario = Scenario.filesOfEveryKind();
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            // Claude's own stream, cut after its start frame and one chunk of output; the process keeps running.
            e2b.faults().cutStreamAfterFrames(2, "--dangerously-skip-permissions");
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "Create files of every kind", "--output", "results",
                    "--output-format", "stream-json"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.err()).contains("re-attached", "nothing was lost");
            assertThat(scenario.verify(dir.resolve("results"))).isEmpty();
            List<String> events = result.out().lines().toList();
            assertThat(events).allMatch(line -> line.startsWith("{"));
            assertThat(events.get(events.size() - 1)).contains("\"type\":\"result\"");
            assertThat(e2b.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void aSandboxThatExpiresMidRunEndsWithExitThree() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Thinking for a long time."), Turn.text("done")).withDelayFrom(0, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = cct(model).start(args("--prompt", "be slow", "--output", "out"));
            process.awaitStderr(err -> err.contains("Claude is working"), LIMIT);
            String id = e2b.liveSandboxIds().iterator().next();
            e2b.faults().expireSandboxIn(id, Duration.ofMillis(500));
            CctProcess.Result result = process.await(LIMIT);
            assertThat(result.code()).as(result.err()).isEqualTo(3);
            assertThat(result.err()).contains("expired");
        }
    }

    @Test
    void aRefusedKeyIsOneClearLine() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).env("E2B_API_KEY", "e2b_wrong").run(LIMIT, args("--prompt", "x"));
            assertThat(result.code()).as(result.err()).isEqualTo(3);
            assertThat(result.err()).contains("E2B API key was refused").doesNotContain("e2b_wrong");
        }
    }

    @Override
    String createOrphan() throws Exception {
        String body = "{\"templateID\":\"base\",\"timeout\":300,\"metadata\":{\"dev.cct.tool\":\"cct\","
                + "\"dev.cct.session\":\"orphan-test\",\"dev.cct.owner\":\"" + dev.cct.sandbox.SandboxLabels.hostName()
                + ":999999999:1\"}}";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(e2b.apiUrl() + "/v2/sandboxes"))
                .header("X-API-Key", E2B_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("sandboxID").asText();
    }

    @Override
    boolean stillThere(String id) {
        return e2b.liveSandboxIds().contains(id);
    }

    @Test
    void sandboxesCleanKillsSandboxesWhoseCctProcessIsGone() throws Exception {
        String id = createOrphan();
        CctProcess list = new CctProcess(dir).env("E2B_API_KEY", E2B_KEY).env("E2B_API_URL", e2b.apiUrl())
                .env("E2B_SANDBOX_URL", e2b.sandboxUrl());
        CctProcess.Result listed = list.run(LIMIT, "sandboxes", "list", "--sandbox", "e2b");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(Format.shortId(id), "(gone)");
        CctProcess clean = new CctProcess(dir).env("E2B_API_KEY", E2B_KEY).env("E2B_API_URL", e2b.apiUrl())
                .env("E2B_SANDBOX_URL", e2b.sandboxUrl());
        CctProcess.Result cleaned = clean.run(LIMIT, "sandboxes", "clean", "--sandbox", "e2b");
        assertThat(cleaned.code()).as(cleaned.err()).isZero();
        assertThat(cleaned.out()).contains("removed e2b " + Format.shortId(id));
        assertThat(e2b.liveSandboxIds()).isEmpty();
    }
}
