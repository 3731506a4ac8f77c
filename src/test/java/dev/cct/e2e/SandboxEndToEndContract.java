package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every provider must do, proven the same way for each: the built cct program as a separate process, the
 * real Claude Code CLI in the sandbox talking to a scripted fake model on 127.0.0.1. A provider's test class says
 * how to reach its sandboxes and how to see what was left behind; it adds what only it has.
 */
abstract class SandboxEndToEndContract {
    static final Duration LIMIT = Duration.ofMinutes(6);
    static final String ANTHROPIC_KEY = "sk-ant-e2e-secret-0001";

    @TempDir
    Path dir;

    /** {@code --sandbox NAME} and whatever else this provider needs on every run. */
    abstract List<String> providerArgs();

    /** The program with this provider's variables, working in {@link #dir}. */
    abstract CctProcess withProvider(CctProcess cct);

    /** Sandboxes of this provider still alive after a run by {@code result}'s process. */
    abstract List<String> leftBehind(CctProcess.Result result) throws Exception;

    /** Leaves a sandbox of this provider as a cct run that was killed would: labelled with an owner that is gone. */
    abstract String createOrphan() throws Exception;

    /** Extra checks after the files-of-every-kind run, e.g. that each direction took one transfer. */
    void afterEveryKindRun(CctProcess.Result result) throws Exception {
    }

    CctProcess cct(FakeAnthropic model) {
        return cct(model, dir);
    }

    CctProcess cct(FakeAnthropic model, Path workingDirectory) {
        return withProvider(new CctProcess(workingDirectory)).env("ANTHROPIC_API_KEY", ANTHROPIC_KEY).env("ANTHROPIC_BASE_URL", model.baseUrl());
    }

    String[] args(String... extra) {
        return Stream.concat(Stream.concat(providerArgs().stream(), Stream.of("--env", "CLAUDE_CODE_MAX_RETRIES=0")),
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
            assertThat(result.out()).contains(Scenario.EVERY_KIND_SUMMARY).doesNotContain(ANTHROPIC_KEY);
            assertThat(result.err()).contains("▸ Write hello.py", "▸ Write .hidden/config.env", "▸ Run ", "Done", "file(s) in ./results/")
                    .doesNotContain(ANTHROPIC_KEY);
            assertThat(leftBehind(result)).isEmpty();
            afterEveryKindRun(result);
        }
    }

    @Test
    void streamJsonAndJsonOutputsAreMachineReadable() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result stream = cct(model).run(LIMIT, args("--prompt", "write hello", "--output-format", "stream-json", "--output", "a"));
            assertThat(stream.code()).as(stream.err()).isZero();
            List<String> lines = stream.out().lines().toList();
            assertThat(lines).isNotEmpty().allMatch(line -> line.startsWith("{"));
            assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"result\"");

            CctProcess.Result json = cct(model).run(LIMIT, args("--prompt", "write hello", "--output-format", "json", "--output", "b"));
            assertThat(json.code()).as(json.err()).isZero();
            assertThat(json.out().lines().count()).isEqualTo(1);
            assertThat(json.out()).contains("\"exitCode\":0", "\"status\":\"success\"", "\"provider\":\"" + providerArgs().get(1) + "\"",
                    "\"sandboxId\":\"", "\"hello.py\"");
            assertThat(Files.readString(dir.resolve("b/hello.py"))).isEqualTo(Scenario.HELLO_PY);
        }
    }

    @Test
    void anApiErrorEndsWithExitOne() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.apiError(529, "overloaded_error", "Overloaded"))) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "anything", "--output", "out"));
            assertThat(result.code()).as(result.err()).isEqualTo(1);
            assertThat(result.err()).contains("Claude reported an error");
            assertThat(leftBehind(result)).isEmpty();
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
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** {@code cct batch} and this provider's flags; the batch's own flags follow. */
    String[] batchArgs(String... extra) {
        return Stream.concat(Stream.of("batch"), Stream.of(args(extra))).toArray(String[]::new);
    }

    /**
     * Eight runs, four at a time: one whose model answers an error, one past its timeout, six that succeed. The
     * batch ends with the timeout's 124 (130, 3, 124, 1 is the order), every run's files are in its own folder,
     * every line is JSON, and no sandbox is left.
     */
    @Test
    void aBatchOfEightRunsFourAtATimeEndsWithTheMostSeriousExitCode() throws Exception {
        Scenario slow = Scenario.of(Turn.text("Writing first.").withWrite("first.txt", "made before the deadline\n"),
                Turn.text("Now something slow."), Turn.text("done")).withDelayFrom(1, Duration.ofSeconds(120));
        java.util.Map<String, Scenario> routes = new java.util.LinkedHashMap<>();
        routes.put("[error]", Scenario.apiError(529, "overloaded_error", "Overloaded"));
        routes.put("[slow]", slow);
        StringBuilder prompts = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            prompts.append(switch (i) {
                case 3 -> "Task 3 [error]";
                case 5 -> "{\"prompt\": \"Task 5 [slow]\", \"timeout\": \"20s\"}";
                default -> "Task " + i;
            }).append('\n');
        }
        Files.writeString(dir.resolve("tasks.txt"), prompts);
        try (FakeAnthropic model = FakeAnthropic.route(routes, Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).run(LIMIT, batchArgs("--prompts", "tasks.txt", "--parallel", "4",
                    "--output", "out", "--output-format", "json"));
            assertThat(result.code()).as(result.err()).isEqualTo(124);
            List<JsonNode> lines = result.out().lines().map(SandboxEndToEndContract::json).toList();
            assertThat(lines).hasSize(9);
            JsonNode batch = lines.get(8);
            assertThat(batch.path("type").asText()).isEqualTo("batch");
            assertThat(batch.path("statuses").path("success").asInt()).as(result.out()).isEqualTo(6);
            assertThat(batch.path("statuses").path("error").asInt()).isEqualTo(1);
            assertThat(batch.path("statuses").path("timeout").asInt()).isEqualTo(1);
            for (JsonNode run : lines.subList(0, 8)) {
                int index = run.path("index").asInt();
                String folder = "out/0" + index + "-task-" + index + (index == 3 ? "-error" : index == 5 ? "-slow" : "");
                assertThat(run.path("sandboxId").asText()).isNotBlank();
                assertThat(run.path("outputDirectory").asText()).isEqualTo(dir.resolve(folder).toString());
                assertThat(dir.resolve(folder + ".log")).isRegularFile();
                switch (index) {
                    case 3 -> assertThat(run.path("exitCode").asInt()).isEqualTo(1);
                    case 5 -> {
                        assertThat(run.path("exitCode").asInt()).isEqualTo(124);
                        assertThat(Files.readString(dir.resolve(folder + "/first.txt"))).isEqualTo("made before the deadline\n");
                    }
                    default -> {
                        assertThat(run.path("exitCode").asInt()).as(run.toString()).isZero();
                        assertThat(Files.readString(dir.resolve(folder + "/hello.py"))).isEqualTo(Scenario.HELLO_PY);
                    }
                }
            }
            assertThat(result.out() + result.err()).doesNotContain(ANTHROPIC_KEY);
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** Ctrl-C in the middle of a batch: every run stops, what exists comes back, no sandbox is left, exit 130. */
    @Test
    void sigintMidBatchStopsEveryRunAndLeavesNoSandbox() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Thinking for a long time."), Turn.text("done")).withDelayFrom(0, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = cct(model).start(batchArgs("--runs", "4", "--prompt", "be slow", "--parallel", "2", "--output", "out"));
            // Two runs are waiting on the model: mid-batch, with two more queued.
            await().atMost(LIMIT).until(() -> model.requests().size() >= 2);
            process.signal("INT");
            CctProcess.Result result = process.await(Duration.ofMinutes(2));
            assertThat(result.code()).as(result.err()).isEqualTo(130);
            assertThat(result.out()).contains("4 runs", "interrupted", "skipped");
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /**
     * Money: a run whose first turn costs about $2 under a $1 --max-budget-usd goes no further (exit 1, status
     * budget); a batch whose $5 ceiling allows about three such runs starts no more once it is reached.
     */
    @Test
    void budgetsStopARunAndTheRestOfABatch() throws Exception {
        Scenario costly = Scenario.of(Turn.text("I'll write hello.py.").withWrite("hello.py", Scenario.HELLO_PY).withUsage(500_000, 100),
                Turn.text("And another file.").withWrite("more.txt", "more\n"), Turn.text(Scenario.SIMPLE_WRITE_SUMMARY));
        try (FakeAnthropic model = FakeAnthropic.start(costly)) {
            CctProcess.Result single = cct(model).run(LIMIT, args("--prompt", "write hello", "--max-budget-usd", "1",
                    "--output", "single", "--output-format", "json"));
            assertThat(single.code()).as(single.err()).isEqualTo(1);
            assertThat(json(single.out().strip()).path("status").asText()).as(single.out()).isEqualTo("budget");
            // Claude Code stops at the turn that passed the budget: the second turn's file is never written.
            assertThat(dir.resolve("single/more.txt")).doesNotExist();

            CctProcess.Result batch = cct(model).run(LIMIT, batchArgs("--runs", "6", "--prompt", "write hello", "--parallel", "1",
                    "--batch-budget-usd", "5", "--output", "batch", "--output-format", "json"));
            assertThat(batch.code()).as(batch.err()).isEqualTo(1);
            List<JsonNode> lines = batch.out().lines().map(SandboxEndToEndContract::json).toList();
            JsonNode statuses = lines.get(lines.size() - 1).path("statuses");
            // Two runs spend about $4; the third's first turn takes the total past $5, so it is the last to start.
            assertThat(statuses.path("skipped").asInt()).as(batch.out()).isEqualTo(3);
            assertThat(statuses.path("success").asInt()).as(batch.out()).isBetween(2, 3);
            assertThat(statuses.path("success").asInt() + statuses.path("budget").asInt()).as(batch.out()).isEqualTo(3);
            assertThat(leftBehind(batch)).isEmpty();
        }
    }

    static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @Test
    void sigintMidRunExits130AndLeavesNoSandbox() throws Exception {
        interruptMidRun(cct -> cct, "INT");
    }

    /** SIGTERM is how CI runners and process managers stop a job; it works where SIGINT was ignored at start. */
    @Test
    void sigtermMidRunExits130AndLeavesNoSandboxEvenWithSigintIgnored() throws Exception {
        interruptMidRun(CctProcess::withSigintIgnored, "TERM");
    }

    private void interruptMidRun(java.util.function.UnaryOperator<CctProcess> how, String signal) throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Thinking for a long time."), Turn.text("done")).withDelayFrom(0, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = how.apply(cct(model)).start(args("--prompt", "be slow", "--output", "out"));
            // Mid-run: Claude has started (its init event is on screen) and is waiting on the model.
            process.awaitStderr(err -> err.contains("Claude is working") && err.contains(" · model "), LIMIT);
            await().atMost(LIMIT).until(() -> !model.requests().isEmpty());
            process.signal(signal);
            CctProcess.Result result = process.await(Duration.ofMinutes(1));
            assertThat(result.code()).as(result.err()).isEqualTo(130);
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** Ctrl-C, then Ctrl-C again during a large bring-back: the transfer stops, the sandbox goes, at once. */
    @Test
    void aSecondSigintDuringALargeBringBackDestroysAtOnce() throws Exception {
        // A sparse file: instant to make, 2 GiB to send.
        Scenario scenario = Scenario.of(Turn.text("Making a big file.").withBash("truncate -s 2G big.bin", "make a big file"),
                Turn.text("done")).withDelayFrom(1, Duration.ofSeconds(120));
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess process = cct(model).start(args("--prompt", "make a big file", "--output", "out"));
            await().atMost(LIMIT).until(() -> model.requests().size() >= 2);
            process.signal("INT");
            process.awaitStderr(err -> err.contains("Bringing back changes"), LIMIT);
            process.signal("INT");
            long second = System.nanoTime();
            CctProcess.Result result = process.await(Duration.ofMinutes(1));
            assertThat(Duration.ofNanos(System.nanoTime() - second)).as(result.err()).isLessThan(Duration.ofSeconds(5));
            assertThat(result.code()).as(result.err()).isEqualTo(130);
            assertThat(result.err()).contains("interrupted twice", "sandbox destroyed");
            Path big = dir.resolve("out/big.bin");
            assertThat(!Files.exists(big) || Files.size(big) < 2L * 1024 * 1024 * 1024).as("the transfer was cut").isTrue();
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** A tool that prints the key: no output format lets it through. */
    @Test
    void aKeyPrintedByAToolIsMaskedInEveryOutputFormat() throws Exception {
        Scenario scenario = Scenario.of(Turn.text("Checking.").withBash("echo \"key is $ANTHROPIC_API_KEY\" >&2; exit 1", "print the key"),
                Turn.text("done"));
        for (String format : List.of("text", "stream-json", "json")) {
            try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
                CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "print the key", "--output-format", format,
                        "--output", "out-" + format));
                assertThat(result.code()).as(result.err()).isZero();
                assertThat(result.out() + result.err()).as(format).doesNotContain(ANTHROPIC_KEY);
                if (format.equals("stream-json")) {
                    assertThat(result.out() + result.err()).as(format).contains("key is ****");
                }
            }
        }
    }

    @Test
    void aRunRemovesWhatADeadRunLeftAndSaysSo() throws Exception {
        String orphan = createOrphan();
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "write hello", "--output", "out"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.err()).contains("removed 1 sandbox left by an earlier run that is gone");
            assertThat(stillThere(orphan)).isFalse();
        }
    }

    /**
     * The change comes back into the user's repository: on a new branch whose diff is exactly Claude's change, as a
     * patch git applies to the uploaded state, and in the results folder, with only the change crossing the network;
     * the checkout itself is not touched.
     */
    @Test
    void aChangeLandsOnABranchAsAPatchAndInTheResultsWithoutTouchingTheCheckout() throws Exception {
        ChangeRepository repo = ChangeRepository.create(dir.resolve("project"));
        String before = repo.snapshot();
        try (FakeAnthropic model = FakeAnthropic.start(ChangeRepository.scenario())) {
            CctProcess.Result result = cct(model, repo.root).run(LIMIT, args("--upload", ".", "--prompt", "Change the project\nin detail",
                    "--branch", "--patch", "../change.patch", "--output", "../results", "--output-format", "json"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(repo.snapshot()).as("working tree, index, HEAD and stash").isEqualTo(before);

            JsonNode summary = Json.mapper().readTree(result.out());
            JsonNode changes = summary.get("changes");
            String branch = changes.get("branch").asText();
            assertThat(branch).startsWith("cct/");
            assertThat(ChangeRepository.git(repo.root, "diff", "--name-status", "-M", branch + "~1", branch).lines())
                    .containsExactlyElementsOf(ChangeRepository.EXPECTED_NAME_STATUS);
            // The first commit is the uploaded state: the uncommitted edit and the untracked file, not the ignored one.
            assertThat(repo.git("show", branch + "~1:edit.txt")).isEqualTo(ChangeRepository.EDIT_UPLOADED);
            assertThat(repo.git("ls-tree", "-r", "--name-only", branch + "~1").lines())
                    .contains("untracked.txt").doesNotContain("ignored.log", ".env");
            assertThat(repo.git("log", "-1", "--format=%B", branch)).startsWith("Change the project\n\n").contains("Cct-Run: ");
            assertThat(repo.git("ls-tree", branch, "tool.sh")).startsWith("100755");

            // The patch applies to the uploaded state, in a fresh clone, and gives the branch's tree.
            Path fresh = dir.resolve("fresh");
            ChangeRepository.git(dir, "clone", "-q", repo.root.toString(), fresh.toString());
            ChangeRepository.git(fresh, "checkout", "-q", "origin/" + branch + "~1");
            ChangeRepository.git(fresh, "apply", "--index", dir.resolve("change.patch").toString());
            assertThat(ChangeRepository.git(fresh, "diff", "--cached", "--stat", "origin/" + branch)).isEmpty();

            // The results folder is the workspace as Claude left it; only the change came back.
            ChangeRepository.assertExpectedTree(dir.resolve("results"));
            assertThat(dir.resolve("results/gone.txt")).doesNotExist();
            assertThat(changes.get("transferredBytes").asLong()).isLessThan(32 * 1024);
            assertThat(changes.get("entries").toString()).contains("{\"path\":\"new-name.txt\",\"kind\":\"renamed\",\"from\":\"old-name.txt\"}",
                    "{\"path\":\"gone.txt\",\"kind\":\"deleted\"}");
            assertThat(result.out() + result.err()).doesNotContain(ChangeRepository.SECRET);
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** --apply writes the change into an untouched checkout, and refuses as a whole over a local edit. */
    @Test
    void applyLandsTheChangeInTheWorkingTreeAndRefusesOverALocalEdit() throws Exception {
        ChangeRepository clean = ChangeRepository.create(dir.resolve("clean"));
        try (FakeAnthropic model = FakeAnthropic.start(ChangeRepository.scenario())) {
            CctProcess.Result result = cct(model, clean.root).run(LIMIT, args("--upload", ".", "--prompt", "Change the project", "--apply"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.err()).contains("edit.txt", "| ", "5 files changed");
            ChangeRepository.assertExpectedTree(clean.root, "ignored.log", ".env");
            assertThat(Files.readString(clean.root.resolve(".env"))).contains(ChangeRepository.SECRET);
        }

        ChangeRepository edited = ChangeRepository.create(dir.resolve("edited"));
        try (FakeAnthropic model = FakeAnthropic.start(ChangeRepository.slowScenario(Duration.ofSeconds(5)))) {
            CctProcess process = cct(model, edited.root).start(args("--upload", ".", "--prompt", "Change the project", "--apply"));
            // Claude has the upload and waits on the model: the user edits a file Claude is about to change.
            await().atMost(LIMIT).until(() -> !model.requests().isEmpty());
            Files.writeString(edited.root.resolve("edit.txt"), "edited locally meanwhile\n");
            String before = edited.snapshot();
            CctProcess.Result result = process.await(LIMIT);
            assertThat(result.code()).as(result.err()).isEqualTo(1);
            assertThat(result.err()).contains("Not applied", "edit.txt", "git apply");
            assertThat(edited.snapshot().lines().filter(line -> !line.contains(".patch")).toList())
                    .isEqualTo(before.lines().toList());
            try (Stream<Path> files = Files.list(edited.root)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".patch"));
            }
            assertThat(leftBehind(result)).isEmpty();
        }
    }

    /** Whether sandbox {@code id} still exists. */
    abstract boolean stillThere(String id) throws Exception;
}
