package dev.cct.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.catalog.Renderer;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.run.Landing;
import dev.cct.run.Pipeline;
import dev.cct.run.RunRequest;
import dev.cct.run.RunWatch;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.ui.Ui;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler alone, over a pipeline that stands in for the run: how many run at once, the order of exit codes,
 * the lines it prints, the budget's stop and an account limit waited out. The real runs are proven end to end.
 */
class BatchTest {
    private static final String KEY = "sk-ant-batch-test-0001";
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void noMoreThanParallelRunAtOnceAndTheWorstCodeWinsInItsOrder() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Map<String, Integer> codes = Map.of("p1", 0, "p2", 1, "p3", 124, "p4", 0, "p5", 0, "p6", 1);
        CountDownLatch firstTwo = new CountDownLatch(2);
        Pipeline pipeline = (request, ui, watch) -> {
            int running = now.incrementAndGet();
            most.accumulateAndGet(running, Math::max);
            // The first two wait for each other, so that two at once is seen however slowly threads start.
            firstTwo.countDown();
            try {
                firstTwo.await(10, TimeUnit.SECONDS);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ui.info("log line of " + request.prompt() + " with " + KEY);
            now.decrementAndGet();
            return codes.get(request.prompt());
        };
        int code = batch(List.of("p1", "p2", "p3", "p4", "p5", "p6"), 2, null, OutputFormat.JSON, pipeline).run();
        assertThat(code).isEqualTo(124);
        assertThat(most.get()).isEqualTo(2);
        List<JsonNode> lines = out.toString().lines().map(BatchTest::parse).toList();
        assertThat(lines).hasSize(7);
        assertThat(lines.subList(0, 6)).allMatch(line -> line.path("type").asText().equals("run"));
        assertThat(lines.subList(0, 6).stream().map(line -> line.path("index").asInt()).sorted().toList())
                .containsExactly(1, 2, 3, 4, 5, 6);
        JsonNode last = lines.get(6);
        assertThat(last.path("type").asText()).isEqualTo("batch");
        assertThat(last.path("exitCode").asInt()).isEqualTo(124);
        assertThat(last.path("statuses").path("timeout").asInt()).isEqualTo(1);
        assertThat(last.path("statuses").path("error").asInt()).isEqualTo(2);
        // Each run's own output streams to its log, masked like everything cct writes.
        assertThat(Files.readString(dir.resolve("p2.log"))).contains("log line of p2").doesNotContain(KEY);
    }

    @Test
    void interruptionOutranksAProviderFailureWhichOutranksATimeout() throws Exception {
        Map<String, Integer> codes = Map.of("a", 124, "b", 3, "c", 130, "d", 1);
        assertThat(batch(List.of("a", "b", "c", "d"), 4, null, OutputFormat.JSON,
                (request, ui, watch) -> codes.get(request.prompt())).run()).isEqualTo(130);
        Map<String, Integer> noSignal = Map.of("a", 124, "b", 3, "c", 1);
        assertThat(batch(List.of("a", "b", "c"), 4, null, OutputFormat.JSON,
                (request, ui, watch) -> noSignal.get(request.prompt())).run()).isEqualTo(3);
        assertThat(batch(List.of("a", "b"), 1, null, OutputFormat.JSON, (request, ui, watch) -> 0).run()).isZero();
    }

    @Test
    void theBudgetStopsTheRunningRunsAndStartsNoOther() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Pipeline pipeline = (request, ui, watch) -> {
            started.incrementAndGet();
            // Claude at work: each run reports a dollar spent, then works until the batch stops it.
            watch.listener().progress(1, 1.0, "Write x");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!watch.stoppedForBudget() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            ObjectNode summary = Json.mapper().createObjectNode().put("exitCode", 1).put("status", "budget")
                    .put("costUsd", 1.0).put("turns", 1);
            watch.listener().finished(summary);
            return watch.stoppedForBudget() ? 1 : 0;
        };
        int code = batch(List.of("a", "b", "c", "d", "e", "f"), 2, 1.5, OutputFormat.JSON, pipeline).run();
        assertThat(code).isEqualTo(1);
        assertThat(started.get()).isEqualTo(2);
        List<JsonNode> lines = out.toString().lines().map(BatchTest::parse).toList();
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("statuses").path("budget").asInt()).isEqualTo(2);
        assertThat(last.path("statuses").path("skipped").asInt()).isEqualTo(4);
        assertThat(lines).filteredOn(line -> line.path("status").asText().equals("skipped"))
                .allMatch(line -> line.path("reason").asText().contains("budget"));
    }

    @Test
    void anAccountLimitMakesTheBatchNarrowerInsteadOfFailingTheRun() throws Exception {
        AtomicInteger live = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        CountDownLatch firstTwo = new CountDownLatch(2);
        Pipeline pipeline = (request, ui, watch) -> {
            try {
                // The account holds two sandboxes: a third is refused until one is gone.
                while (live.incrementAndGet() > 2) {
                    live.decrementAndGet();
                    refusals.incrementAndGet();
                    if (!watch.capacity().awaitRoom(SandboxException.limit("E2B rate or concurrency limit reached", null))) {
                        return 3;
                    }
                }
                firstTwo.countDown();
                firstTwo.await(10, TimeUnit.SECONDS);
                Thread.sleep(30);
                live.decrementAndGet();
                return 0;
            } catch (InterruptedException e) {
                return 130;
            }
        };
        int code = batch(List.of("a", "b", "c", "d", "e"), 3, null, OutputFormat.JSON, pipeline).run();
        assertThat(code).isZero();
        assertThat(refusals.get()).isBetween(1, 2);
    }

    @Test
    void withoutATerminalEachRunSaysWhenItStartsAndEnds() throws Exception {
        Pipeline pipeline = (request, ui, watch) -> {
            watch.listener().phase(RunWatch.Phase.CREATING);
            return request.prompt().equals("bad") ? 1 : 0;
        };
        int code = batch(List.of("good", "bad"), 1, null, OutputFormat.TEXT, pipeline).run();
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("[1] good: started", "[2] bad: started", "finished with exit 1");
        assertThat(out.toString()).contains("2 runs");
    }

    private Batch batch(List<String> prompts, int parallel, Double budget, OutputFormat format, Pipeline pipeline) {
        List<Batch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            String prompt = prompts.get(i);
            jobs.add(new Batch.Job(i + 1, prompt, prompt, request(prompt), dir.resolve(prompt + ".log")));
        }
        Ui ui = new Ui(new PrintWriter(out, true), new PrintWriter(err, true), false, false, false, false);
        return new Batch(jobs, new Batch.Settings(parallel, budget, format, false, 100, false), pipeline, ui,
                Secrets.of(Map.of(Secrets.ANTHROPIC_API_KEY, KEY)), "b1");
    }

    private RunRequest request(String prompt) {
        return new RunRequest(DockerSettings.defaults(), Renderer.render(List.of()), prompt, "--prompt", Duration.ofMinutes(1),
                dir.resolve(prompt), Map.of(), Secrets.of(Map.of(Secrets.ANTHROPIC_API_KEY, KEY)), null, null,
                OutputFormat.TEXT, List.of(), List.of(), false, Landing.RESULTS_ONLY, null, null);
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
