package dev.cct.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.Json;
import dev.cct.core.MaskingWriter;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.run.Pipeline;
import dev.cct.run.RunRequest;
import dev.cct.run.RunWatch;
import dev.cct.run.Signals;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.ui.BatchRow;
import dev.cct.ui.BatchTable;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Many runs at once: at most {@code parallel} sandboxes at a time, each run through the one pipeline with its own
 * results, record, sandbox and log, while the batch shows them, keeps the money ceiling and ends with one exit code.
 * Each run's own output streams to its log file, so the launcher holds only one table row per run.
 */
public final class Batch {
    /** The order in which a run's exit code makes the batch's: the first found among the runs wins. */
    private static final int[] SEVERITY = {ExitCode.INTERRUPTED, ExitCode.PROVIDER_FAILURE, ExitCode.TIMEOUT,
        ExitCode.CLAUDE_ERROR, ExitCode.BAD_INPUT};
    /** How often the live table is redrawn, for its elapsed times. */
    private static final Duration REDRAW = Duration.ofMillis(250);
    /** How long a run refused for an account limit waits before trying again when no other run can free room. */
    private static final Duration ALONE_RETRY = Duration.ofSeconds(10);
    private static final int ALONE_TRIES = 18;

    /** One run of the batch, validated. {@code log} is where the run's own output goes. */
    public record Job(int index, String label, String prompt, RunRequest request, Path log) {
    }

    /**
     * @param parallel  at most this many runs at once
     * @param budgetUsd the whole batch's ceiling, or null
     * @param live      a table redrawn in place (a person at a terminal), else one line per event
     * @param width     the terminal's columns
     */
    public record Settings(int parallel, Double budgetUsd, OutputFormat format, boolean live, int width, boolean verbose) {
    }

    private final List<Job> jobs;
    private final Settings settings;
    private final Pipeline pipeline;
    private final Ui ui;
    private final Secrets secrets;
    private final String id;
    private final Object prepareLock = new Object();
    private final List<Slot> slots = new ArrayList<>();
    private int limit;
    private int running;
    private int finished;
    private boolean budgetSpent;

    public Batch(List<Job> jobs, Settings settings, Pipeline pipeline, Ui ui, Secrets secrets, String id) {
        this.jobs = List.copyOf(jobs);
        this.settings = settings;
        this.pipeline = pipeline;
        this.ui = ui;
        this.secrets = secrets;
        this.id = id;
        this.limit = Math.max(1, settings.parallel());
        for (Job job : this.jobs) {
            slots.add(new Slot(job));
        }
    }

    /** Runs every job and returns the batch's exit code; every sandbox is gone when it returns. */
    public int run() throws InterruptedException {
        Instant started = Instant.now();
        Signals.install(() -> ui.info("\ncct: stopping every run and bringing back what exists"
                + " (Ctrl-C again to destroy every sandbox at once)"), ui::info);
        BatchTable.Live table = settings.live() ? new BatchTable.Live(ui.err(), ui, settings.width()) : null;
        if (!settings.live() && settings.format() == OutputFormat.TEXT) {
            ui.info("Batch " + id + ": " + jobs.size() + " run(s), at most " + limit + " at a time"
                    + (settings.budgetUsd() == null ? "" : ", budget $" + Format.money(settings.budgetUsd())));
        }
        List<Thread> threads = new ArrayList<>();
        for (Slot slot : slots) {
            synchronized (this) {
                while (running >= limit && !Signals.interrupted() && !budgetSpent) {
                    redraw(table);
                    wait(REDRAW.toMillis());
                }
                if (Signals.interrupted() || budgetSpent) {
                    slot.skip(Signals.interrupted() ? "interrupted before it started" : "the batch's budget was spent");
                    continue;
                }
                running++;
            }
            Thread thread = new Thread(() -> runOne(slot), "cct-batch-" + slot.job.index());
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                synchronized (this) {
                    redraw(table);
                    wait(REDRAW.toMillis());
                }
            }
        }
        if (table != null) {
            table.clear();
        }
        Duration took = Duration.between(started, Instant.now());
        int code = exitCode();
        report(took, code);
        return code;
    }

    private void runOne(Slot slot) {
        Job job = slot.job;
        try (Writer file = Files.newBufferedWriter(job.log(), StandardCharsets.UTF_8);
             PrintWriter log = new PrintWriter(new MaskingWriter(file, secrets::mask))) {
            Ui runUi = new Ui(log, log, false, false, false, settings.verbose());
            slot.start();
            int code;
            try {
                code = pipeline.run(job.request(), runUi, slot.watch);
            } catch (CctException e) {
                runUi.err().println("cct: " + e.getMessage());
                slot.reason(e.getMessage());
                code = e.exitCode();
            } catch (RuntimeException e) {
                runUi.err().println("cct: unexpected error: " + e);
                e.printStackTrace(log);
                slot.reason("unexpected error: " + e);
                code = ExitCode.PROVIDER_FAILURE;
            }
            log.flush();
            slot.end(code);
        } catch (IOException e) {
            slot.reason("cannot write the run's log " + job.log() + ": " + e.getMessage());
            slot.end(ExitCode.PROVIDER_FAILURE);
        } finally {
            synchronized (this) {
                running--;
                finished++;
                notifyAll();
            }
            slot.announce();
        }
    }

    /** Called as costs change: once the total reaches the ceiling, no run starts and the running ones are stopped. */
    private void checkBudget() {
        Double budget = settings.budgetUsd();
        if (budget == null) {
            return;
        }
        List<Slot> toStop = new ArrayList<>();
        synchronized (this) {
            if (budgetSpent) {
                return;
            }
            double total = slots.stream().mapToDouble(Slot::cost).sum();
            if (total < budget) {
                return;
            }
            budgetSpent = true;
            notifyAll();
            for (Slot slot : slots) {
                toStop.add(slot);
            }
        }
        if (!settings.live() && settings.format() == OutputFormat.TEXT) {
            ui.info("cct: the batch's budget of $" + Format.money(budget) + " is spent; stopping the runs under way");
        }
        toStop.forEach(slot -> slot.watch.stopForBudget());
    }

    /**
     * A run's provider refused a sandbox for an account limit. The batch runs one fewer at a time from now on, and
     * the run waits for another to end before it tries again; alone, it tries again a while later.
     */
    private boolean awaitRoom(Slot slot, SandboxException refusal) throws InterruptedException {
        synchronized (this) {
            int othersRunning = running - 1;
            limit = Math.max(1, Math.min(limit, othersRunning));
            slot.note("account limit reached; waiting for room (" + refusal.getMessage() + ")");
            if (othersRunning > 0) {
                int seen = finished;
                while (finished == seen && !Signals.interrupted() && !slot.watchStopped()) {
                    wait(ALONE_RETRY.toMillis());
                }
                return !Signals.interrupted() && !slot.watchStopped();
            }
        }
        if (slot.aloneTries++ >= ALONE_TRIES) {
            return false;
        }
        Thread.sleep(ALONE_RETRY.toMillis());
        return true;
    }

    private void redraw(BatchTable.Live table) {
        if (table != null) {
            table.draw(rows());
        }
    }

    private List<BatchRow> rows() {
        return slots.stream().map(Slot::row).toList();
    }

    private int exitCode() {
        boolean allOk = true;
        List<Integer> codes = new ArrayList<>();
        for (Slot slot : slots) {
            Integer code = slot.exitCode();
            if (code == null) {
                // Never started: the budget was spent, or the batch was interrupted.
                code = Signals.interrupted() ? ExitCode.INTERRUPTED : ExitCode.CLAUDE_ERROR;
            }
            codes.add(code);
            allOk &= code == ExitCode.OK;
        }
        if (allOk) {
            return ExitCode.OK;
        }
        for (int severe : SEVERITY) {
            if (codes.contains(severe)) {
                return severe;
            }
        }
        return codes.stream().filter(c -> c != ExitCode.OK).findFirst().orElse(ExitCode.CLAUDE_ERROR);
    }

    private void report(Duration took, int code) {
        double total = slots.stream().mapToDouble(Slot::cost).sum();
        if (settings.format() == OutputFormat.JSON) {
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("type", "batch");
            json.put("batchId", id);
            json.put("exitCode", code);
            json.put("runs", slots.size());
            Map<String, Integer> byStatus = new java.util.LinkedHashMap<>();
            for (String status : List.of("success", "error", "budget", "timeout", "failed", "interrupted", "skipped")) {
                byStatus.put(status, 0);
            }
            slots.forEach(slot -> byStatus.merge(slot.status(), 1, Integer::sum));
            ObjectNode statuses = json.putObject("statuses");
            byStatus.forEach(statuses::put);
            json.putRawValue("costUsd", new com.fasterxml.jackson.databind.util.RawValue(Format.money(total)));
            json.put("durationMs", took.toMillis());
            ui.out().println(Json.compact(json));
        } else {
            BatchTable.summary(rows(), took, total, ui).forEach(ui.out()::println);
        }
        ui.out().flush();
    }

    /** A run's line of JSON, printed the moment it ends. */
    private synchronized void printRunLine(Slot slot) {
        if (settings.format() != OutputFormat.JSON) {
            String line = BatchTable.event(slot.row());
            if (line != null && !settings.live()) {
                ui.info(line);
            }
            return;
        }
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("type", "run");
        json.put("index", slot.job.index());
        json.put("prompt", secrets.mask(slot.job.prompt()));
        json.put("log", slot.job.log().toString());
        ObjectNode summary = slot.summary();
        if (summary != null) {
            json.setAll(summary);
            json.put("status", slot.status());
        } else {
            json.put("exitCode", slot.exitCode());
            json.put("status", slot.status());
            json.put("sandboxId", slot.sandboxId());
            json.put("turns", 0);
            json.putRawValue("costUsd", new com.fasterxml.jackson.databind.util.RawValue(Format.money(0)));
            json.put("durationMs", slot.elapsed().toMillis());
        }
        if (slot.reason() != null) {
            json.put("reason", secrets.mask(slot.reason()));
        }
        ui.out().println(Json.compact(json));
        ui.out().flush();
    }

    /** A summary's cost: written as the exact decimal text cct prints everywhere, so read back from that text. */
    private static Double dollars(JsonNode cost) {
        Object value = cost.isPojo() ? ((com.fasterxml.jackson.databind.node.POJONode) cost).getPojo() : null;
        String text = value instanceof com.fasterxml.jackson.databind.util.RawValue raw ? String.valueOf(raw.rawValue())
                : cost.isNumber() ? cost.asText() : null;
        try {
            return text == null ? null : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One run's place in the batch: its watch, and the state its table row shows. */
    private final class Slot implements RunWatch.Listener {
        final Job job;
        final RunWatch watch;
        int aloneTries;
        private BatchRow.State state = BatchRow.State.QUEUED;
        private Instant startedAt;
        private Instant endedAt;
        private int turns;
        private double cost;
        private boolean costFinal;
        private String lastTool;
        private Integer exitCode;
        private String status;
        private String reason;
        private String sandboxId;
        private ObjectNode summary;

        Slot(Job job) {
            this.job = job;
            this.watch = RunWatch.inBatch(this, refusal -> awaitRoom(this, refusal),
                    Map.of(SandboxLabels.BATCH, id), prepareLock);
        }

        synchronized void start() {
            startedAt = Instant.now();
            state = BatchRow.State.CREATING;
        }

        @Override
        public void phase(RunWatch.Phase phase) {
            synchronized (this) {
                state = switch (phase) {
                    case CREATING -> BatchRow.State.CREATING;
                    case UPLOADING -> BatchRow.State.UPLOADING;
                    case RUNNING -> BatchRow.State.RUNNING;
                    case BRINGING_BACK -> BatchRow.State.BRINGING_BACK;
                };
            }
            if (phase == RunWatch.Phase.CREATING && !settings.live() && settings.format() == OutputFormat.TEXT) {
                ui.info(BatchTable.event(row()));
            }
        }

        @Override
        public synchronized void sandbox(String sandbox) {
            sandboxId = sandbox;
        }

        @Override
        public void progress(int turnsSoFar, double estimatedCostUsd, String tool) {
            synchronized (this) {
                turns = turnsSoFar;
                cost = estimatedCostUsd;
                lastTool = tool;
            }
            checkBudget();
        }

        @Override
        public void finished(ObjectNode result) {
            synchronized (this) {
                summary = result;
                turns = result.path("turns").asInt(turns);
                Double exact = dollars(result.path("costUsd"));
                if (exact != null) {
                    cost = exact;
                    costFinal = true;
                }
            }
            checkBudget();
        }

        synchronized void note(String text) {
            lastTool = text;
        }

        synchronized void reason(String text) {
            reason = text.lines().findFirst().orElse(text);
        }

        synchronized void end(int code) {
            endedAt = Instant.now();
            exitCode = code;
            state = BatchRow.State.DONE;
            if (summary != null) {
                status = summary.path("status").asText("error");
            } else if (code == ExitCode.INTERRUPTED) {
                status = "interrupted";
            } else if (watch.stoppedForBudget()) {
                status = "budget";
                reason = reason != null ? reason : "stopped before Claude started: the batch's budget was spent";
            } else if (code == ExitCode.TIMEOUT) {
                status = "timeout";
            } else {
                status = code == ExitCode.CLAUDE_ERROR ? "error" : "failed";
            }
            if (reason == null && summary != null && !"success".equals(status)) {
                String result = summary.path("result").asText("");
                reason = result.isBlank() ? null : result.strip().lines().findFirst().orElse(null);
            }
        }

        void announce() {
            printRunLine(this);
        }

        void skip(String why) {
            synchronized (this) {
                state = BatchRow.State.SKIPPED;
                status = "skipped";
                reason = why;
            }
            printRunLine(this);
        }

        synchronized boolean watchStopped() {
            return watch.stoppedForBudget();
        }

        synchronized double cost() {
            return cost;
        }

        synchronized Integer exitCode() {
            return exitCode;
        }

        synchronized String status() {
            return status == null ? "skipped" : status;
        }

        synchronized String reason() {
            return reason;
        }

        synchronized String sandboxId() {
            return sandboxId;
        }

        synchronized ObjectNode summary() {
            return summary;
        }

        synchronized Duration elapsed() {
            if (startedAt == null) {
                return Duration.ZERO;
            }
            return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt);
        }

        synchronized BatchRow row() {
            return new BatchRow(job.index(), job.label(), state, elapsed(), turns, cost, costFinal, lastTool, exitCode,
                    state == BatchRow.State.DONE || state == BatchRow.State.SKIPPED ? status() : null, reason);
        }
    }
}
