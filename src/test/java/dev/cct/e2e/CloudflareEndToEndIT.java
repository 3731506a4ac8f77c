package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.sandbox.SandboxLabels;
import dev.cct.testing.ClaudeCli;
import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import dev.cct.testing.cloudflare.FakeWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built cct program with {@code --sandbox cloudflare} against the Java fake of cct's Worker, which runs the REAL
 * Claude Code CLI (its folder first on the commands' PATH) talking to a scripted fake model on 127.0.0.1.
 */
class CloudflareEndToEndIT {
    private static final Duration LIMIT = Duration.ofMinutes(6);
    private static final String TOKEN = "cf-e2e-token-5d1c0ffee5d1c0ffee";
    private static final String API_KEY = "sk-ant-e2e-secret-0002";

    @TempDir
    Path dir;
    private FakeWorker worker;

    @BeforeEach
    void start() throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        worker = FakeWorker.start(dir.resolve("worker"), TOKEN).withPath(List.of(claude.getParent()))
                .withHeartbeat(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private CctProcess cct(FakeAnthropic model) {
        return new CctProcess(dir.resolve("project")).env("ANTHROPIC_API_KEY", API_KEY).env("ANTHROPIC_BASE_URL", model.baseUrl())
                .env("CLOUDFLARE_SANDBOX_URL", worker.url()).env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN);
    }

    private static String[] args(String... extra) {
        return Stream.concat(Stream.of("--sandbox", "cloudflare", "--env", "CLAUDE_CODE_MAX_RETRIES=0",
                "--env", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"), Stream.of(extra)).toArray(String[]::new);
    }

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(dir.resolve("project"));
    }

    @Test
    void filesOfEveryKindComeBackByteIdenticalAndTheLiveOutputShowsTheToolCalls() throws Exception {
        Scenario scenario = Scenario.filesOfEveryKind();
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--agent", "development-team/frontend-developer",
                    "--prompt", "Create files of every kind", "--output", "results"));
            assertThat(result.code()).as(result.err()).isZero();
            Path results = dir.resolve("project/results");
            assertThat(scenario.verify(results)).as(result.err()).isEmpty();
            assertThat(results.resolve(".claude/agents/frontend-developer.md")).doesNotExist();
            assertThat(result.out()).contains(Scenario.EVERY_KIND_SUMMARY);
            assertThat(result.err()).contains("▸ Write hello.py", "▸ Write .hidden/config.env", "▸ Run ", "Done", "file(s) in ./results/")
                    .doesNotContain(API_KEY).doesNotContain(TOKEN);
            assertThat(result.out()).doesNotContain(API_KEY).doesNotContain(TOKEN);
            assertThat(worker.liveSandboxIds()).isEmpty();
            assertThat(worker.requests().stream().filter(r -> r.endsWith("/archive")).toList()).hasSize(2);
        }
    }

    @Test
    void anApiErrorEndsWithExitOne() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.apiError(529, "overloaded_error", "Overloaded"))) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "anything", "--output", "out"));
            assertThat(result.code()).as(result.err()).isEqualTo(1);
            assertThat(result.err()).contains("Claude reported an error");
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void aTimeoutStopsClaudeBringsBackWhatExistsAndExits124() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Writing first.").withWrite("first.txt", "made before the deadline\n"),
                Turn.text("Now something slow.").withWrite("second.txt", "never\n"), Turn.text("done"))
                .withDelayFrom(1, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "be slow", "--output", "out", "--timeout", "25s"));
            assertThat(result.code()).as(result.err()).isEqualTo(124);
            assertThat(result.err()).contains("timed out");
            assertThat(Files.readString(dir.resolve("project/out/first.txt"))).isEqualTo("made before the deadline\n");
            assertThat(dir.resolve("project/out/second.txt")).doesNotExist();
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void sigintMidRunExits130AndLeavesNoSandbox() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Thinking for a long time."), Turn.text("done")).withDelayFrom(0, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = cct(model).start(args("--prompt", "be slow", "--output", "out"));
            process.awaitStderr(err -> err.contains("Claude is working"), LIMIT);
            Thread.sleep(1500);
            process.signal("INT");
            CctProcess.Result result = process.await(Duration.ofMinutes(1));
            assertThat(result.code()).as(result.err()).isEqualTo(130);
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void aStreamCutMidRunIsSurvivedWithEveryFileRight() throws Exception {
        Scenario scenario = Scenario.filesOfEveryKind();
        // Claude's exec stream drops after a few events, and its first re-attach ends without an exit.
        worker.faults().cutNextStreamAfter(3).endNextStreamAfter(2);
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "Create files of every kind", "--output", "results"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(scenario.verify(dir.resolve("project/results"))).as(result.err()).isEmpty();
            assertThat(result.out()).contains(Scenario.EVERY_KIND_SUMMARY);
            assertThat(result.err()).containsOnlyOnce("▸ Write hello.py");
            assertThat(worker.faults().allUsed()).isTrue();
            assertThat(worker.requests()).anyMatch(r -> r.endsWith("/events"));
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }

    @Test
    void sandboxesListAndCleanFindWhatADeadRunLeftOnTheWorker() throws Exception {
        String orphan = worker.createSandbox(Map.of(SandboxLabels.SESSION, "orphan-test",
                SandboxLabels.OWNER, SandboxLabels.hostName() + ":999999999:1"));
        CctProcess list = new CctProcess(dir.resolve("project")).env("CLOUDFLARE_SANDBOX_URL", worker.url())
                .env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN);
        CctProcess.Result listed = list.run(LIMIT, "sandboxes", "list", "--sandbox", "cloudflare");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("cloudflare", orphan.substring(0, 12), "(gone)");
        CctProcess.Result cleaned = new CctProcess(dir.resolve("project")).env("CLOUDFLARE_SANDBOX_URL", worker.url())
                .env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN).run(LIMIT, "sandboxes", "clean", "--sandbox", "cloudflare");
        assertThat(cleaned.code()).as(cleaned.err()).isZero();
        assertThat(cleaned.out()).contains("removed cloudflare " + orphan.substring(0, 12));
        assertThat(worker.liveSandboxIds()).isEmpty();
    }

    @Test
    void aWorkerThatRefusesTheTokenIsAProviderFailureNamingTheFix() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).env("CLOUDFLARE_SANDBOX_TOKEN", "not-the-right-token")
                    .run(LIMIT, args("--prompt", "write hello", "--output", "out"));
            assertThat(result.code()).as(result.err()).isEqualTo(3);
            assertThat(result.err()).contains("refused CLOUDFLARE_SANDBOX_TOKEN").doesNotContain("not-the-right-token");
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }
}
