package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built cct program against a real Docker engine, with the real Claude Code CLI inside the container talking to
 * a scripted fake model on 127.0.0.1 (the container shares the host's network).
 */
class DockerEndToEndIT {
    private static final Duration LIMIT = Duration.ofMinutes(8);

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        DockerEngineCheck.requireEngine();
    }

    private CctProcess cct(FakeAnthropic model) {
        return new CctProcess(dir).env("ANTHROPIC_API_KEY", "sk-ant-e2e-secret-0001").env("ANTHROPIC_BASE_URL", model.baseUrl());
    }

    private static String[] args(String... extra) {
        return Stream.concat(Stream.of("--sandbox", "docker", "--network", "host", "--env", "CLAUDE_CODE_MAX_RETRIES=0"),
                Stream.of(extra)).toArray(String[]::new);
    }

    @Test
    void filesOfEveryKindComeBackByteIdenticalAndTheLiveOutputShowsTheToolCalls() throws Exception {
        Scenario scenario = Scenario.filesOfEveryKind();
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--agent", "development-team/frontend-developer",
                    "--prompt", "Create files of every kind", "--output", "results"));
            assertThat(result.code()).as(result.err()).isZero();
            Path results = dir.resolve("results");
            assertThat(scenario.verify(results)).as(result.err()).isEmpty();
            // cct's own component files are not results.
            assertThat(results.resolve(".claude/agents/frontend-developer.md")).doesNotExist();
            assertThat(result.out()).contains(Scenario.EVERY_KIND_SUMMARY);
            assertThat(result.err()).contains("▸ Write hello.py", "▸ Write .hidden/config.env", "▸ Run ", "Done", "file(s) in ./results/")
                    .doesNotContain("sk-ant-e2e-secret-0001");
            assertThat(DockerEngineCheck.containersOwnedBy(result.pid())).isEmpty();
        }
    }

    @Test
    void streamJsonAndJsonOutputsAreMachineReadable() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result stream = cct(model).run(LIMIT, args("--prompt", "write hello", "--output-format", "stream-json", "--output", "a"));
            assertThat(stream.code()).as(stream.err()).isZero();
            List<String> lines = stream.out().lines().toList();
            assertThat(lines).allMatch(line -> line.startsWith("{"));
            assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"result\"");

            CctProcess.Result json = cct(model).run(LIMIT, args("--prompt", "write hello", "--output-format", "json", "--output", "b"));
            assertThat(json.code()).as(json.err()).isZero();
            assertThat(json.out().lines().count()).isEqualTo(1);
            assertThat(json.out()).contains("\"exitCode\":0", "\"status\":\"success\"", "\"hello.py\"");
            assertThat(Files.readString(dir.resolve("b/hello.py"))).isEqualTo(Scenario.HELLO_PY);
        }
    }

    @Test
    void anApiErrorEndsWithExitOne() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.apiError(529, "overloaded_error", "Overloaded"))) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "anything", "--output", "out"));
            assertThat(result.code()).as(result.err()).isEqualTo(1);
            assertThat(result.err()).contains("Claude reported an error");
            assertThat(DockerEngineCheck.containersOwnedBy(result.pid())).isEmpty();
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
            assertThat(Files.readString(dir.resolve("out/first.txt"))).isEqualTo("made before the deadline\n");
            assertThat(dir.resolve("out/second.txt")).doesNotExist();
            assertThat(DockerEngineCheck.containersOwnedBy(result.pid())).isEmpty();
        }
    }

    @Test
    void sandboxesCleanRemovesContainersWhoseCctProcessIsGone() throws Exception {
        String image = docker("images", "-q").lines().findFirst().orElseThrow();
        String owner = dev.cct.sandbox.SandboxLabels.hostName() + ":999999999:1";
        String id = docker("run", "-d", "--label", "dev.cct.session=orphan-test", "--label", "dev.cct.owner=" + owner,
                image, "sleep", "600").strip();
        try {
            CctProcess.Result list = new CctProcess(dir).run(LIMIT, "sandboxes", "list", "--sandbox", "docker");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains(id.substring(0, 12), "(gone)");
            CctProcess.Result clean = new CctProcess(dir).run(LIMIT, "sandboxes", "clean", "--sandbox", "docker");
            assertThat(clean.code()).as(clean.err()).isZero();
            assertThat(clean.out()).contains("removed docker " + id.substring(0, 12));
            assertThat(docker("ps", "-aq", "--filter", "id=" + id)).isBlank();
        } finally {
            docker("rm", "-f", id);
        }
    }

    private static String docker(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    @Test
    void sigintMidRunLeavesNoContainer() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Thinking for a long time."), Turn.text("done")).withDelayFrom(0, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = cct(model).start(args("--prompt", "be slow", "--output", "out"));
            process.awaitStderr(err -> err.contains("Claude is working"), LIMIT);
            Thread.sleep(1500);
            process.signal("INT");
            CctProcess.Result result = process.await(Duration.ofMinutes(1));
            assertThat(result.code()).as(result.err()).isEqualTo(130);
            assertThat(DockerEngineCheck.containersOwnedBy(result.pid())).isEmpty();
        }
    }
}
