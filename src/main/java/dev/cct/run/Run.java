package dev.cct.run;

import dev.cct.archive.Excludes;
import dev.cct.changes.ArchiveContents;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.runs.RunRecords;
import dev.cct.sandbox.OrphanReaper;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.stream.StreamRenderer;
import dev.cct.ui.ConsoleProgress;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one orchestrator every provider shares, in the steps of the design: (1) the request is valid already;
 * (2) its components are rendered; (3) create the sandbox and register it for cleanup; (4) upload everything in
 * one transfer; (5) run Claude; (6) render its stream; (7) bring the workspace back in one transfer and extract it
 * safely; (8) destroy the sandbox on every path out, print the summary, exit with its code.
 */
final class Run implements Pipeline {
    private final Environment environment;
    private final Providers providers;

    Run(Environment environment) {
        this(environment, new Providers(environment));
    }

    Run(Environment environment, Providers providers) {
        this.environment = environment;
        this.providers = providers;
    }

    @Override
    public int run(RunRequest request, Ui ui, RunWatch watch) {
        if (!watch.batched()) {
            Signals.install(() -> ui.info("\ncct: stopping Claude and bringing back what exists"
                    + " (Ctrl-C again to destroy the sandbox at once)"), ui::info);
        }
        Signals.enter();
        watch.attach(Thread.currentThread());
        try {
            return runWatched(request, ui, watch);
        } finally {
            watch.detach();
            Signals.leave();
        }
    }

    private int runWatched(RunRequest request, Ui ui, RunWatch watch) {
        Instant started = Instant.now();
        Instant deadline = started.plus(request.timeout());
        Predicate<String> skip = excludes(request);
        SandboxProvider provider = providers.create(request.settings(), request.timeout());
        ConsoleProgress progress = new ConsoleProgress(ui);
        Sandbox sandbox = null;
        Path uploadArchive = null;
        ArchiveContents base = null;
        ChangeBack changeBack = null;
        try {
            watch.phase(RunWatch.Phase.CREATING);
            synchronized (watch.prepareLock()) {
                provider.prepare(progress);
            }
            OrphanReaper reaper = OrphanReaper.inBackground(provider);
            checkNotInterrupted();
            sandbox = create(provider, progress, watch);
            watch.listener().sandbox(sandbox.id());
            String runId = Format.shortId(sandbox.id());
            Path output = request.outputDirectory() != null ? request.outputDirectory()
                    : environment.workingDirectory().resolve("sandbox-" + runId);
            // A change that lands on a branch, a patch or the working tree needs no results folder unless one was named.
            Path results = request.landing().elsewhere() && request.outputDirectory() == null ? null : output;
            String workspace = sandbox.home() + "/" + WorkspaceArchive.WORKSPACE;

            uploadArchive = WorkspaceArchive.build(request, sandbox.owner(), sandbox.home(), output);
            // A continued run's upload is the earlier run's workspace, not what the checkout holds now.
            Set<String> missingAtUpload = request.continuation() != null ? Set.of() : ChangeLanding.trackedButMissing(request.landing());
            watch.phase(RunWatch.Phase.UPLOADING);
            upload(sandbox, uploadArchive, request, progress);
            base = ArchiveContents.open(uploadArchive, WorkspaceArchive.WORKSPACE);
            checkNotInterrupted();

            changeBack = new ChangeBack(sandbox, workspace, results, skip, installedPaths(request), request.includeAll(),
                    uploadArchive, base, environment.workingDirectory(), "whole".equals(environment.get("CCT_BRING_BACK")));
            changeBack.prepareResults();
            watch.phase(RunWatch.Phase.RUNNING);
            ClaudeSession.Result claude = runClaude(sandbox, request, workspace, deadline, changeBack, progress, ui, watch);

            watch.phase(RunWatch.Phase.BRINGING_BACK);
            // A budget's stop that came as Claude ended is spent: the bring-back must not see it.
            if (!Signals.interrupted()) {
                Thread.interrupted();
            }
            ChangeBack.Brought brought = changeBack.fetch(progress, ui);
            byte[] transcript = RunRecorder.transcript(sandbox, workspace, claude.sessionId(), request, ui);
            List<Sandbox.Blocked> blocked = sandbox.blocked();
            Signals.yieldToSecondSignal();
            destroy(sandbox, ui);
            sandbox = null;
            reaper.summary().ifPresent(ui::info);
            Verdict verdict = Verdict.of(claude, Signals.interrupted(), request.timeout(), brought.changes());
            ChangeLanding.Landed landed = ChangeLanding.land(request, runId, brought, changeBack.uploaded(), base,
                    missingAtUpload, results, verdict, claude.outcome(), environment.workingDirectory(), ui);
            RunRecorder.record(new RunRecords(environment.dataDirectory().resolve("runs")), request, runId, started, claude,
                    verdict, brought, base, changeBack.notWorkspace(), transcript, results, landed, ui);
            Duration took = Duration.between(started, Instant.now());
            watch.listener().finished(Summary.json(request, landed.verdict(), claude, brought, landed, results, took, blocked));
            Summary.print(ui, request, landed.verdict(), claude, brought, landed, results, environment.workingDirectory(), took,
                    blocked);
            return landed.verdict().exitCode();
        } catch (SandboxException e) {
            Signals.yieldToSecondSignal();
            if (Signals.interrupted() || watch.budgetCut()) {
                // Ctrl-C during a transfer surfaces as a failed transfer: it is still an interruption.
                return endStopped(sandbox, ui, watch);
            }
            throw CctException.provider(request.provider().flag() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Signals.yieldToSecondSignal();
            Thread.currentThread().interrupt();
            return endStopped(sandbox, ui, watch);
        } catch (IOException e) {
            Signals.yieldToSecondSignal();
            if (Signals.interrupted() || watch.budgetCut()) {
                return endStopped(sandbox, ui, watch);
            }
            throw CctException.provider("cannot transfer files: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Signals.yieldToSecondSignal();
            // A transfer cut from the signal's thread can fail inside the HTTP client with any exception at all
            // (a stream closed under its reader): after a signal that is the interruption, not a defect.
            if ((Signals.interrupted() || watch.budgetCut()) && !(e instanceof CctException)) {
                return endStopped(sandbox, ui, watch);
            }
            throw e;
        } finally {
            progress.pause();
            if (sandbox != null) {
                destroy(sandbox, ui);
            }
            if (changeBack != null) {
                // Before the upload archive goes: the results written ahead are read from it.
                changeBack.abandon();
            }
            closeQuietly(base);
            deleteQuietly(uploadArchive);
            if (changeBack != null) {
                ChangeBack.deleteTree(changeBack.scratch());
            }
        }
    }

    private static Predicate<String> excludes(RunRequest request) {
        try {
            return Excludes.of(request.excludes(), request.includeAll(), request.components().toFileTree().entries().keySet());
        } catch (IllegalArgumentException e) {
            throw CctException.badInput("invalid --exclude: " + e.getMessage(), "use globs such as '*.log' or 'build/**'");
        }
    }

    /**
     * Step 3: the sandbox is in the cleanup registry from the moment it exists, and has Claude Code. An account
     * limit that refuses it is waited out when the watch says so (a batch, whose other runs will free room).
     */
    private static Sandbox create(SandboxProvider provider, ConsoleProgress progress, RunWatch watch)
            throws SandboxException, InterruptedException {
        SandboxLabels labels = SandboxLabels.forThisProcess().with(watch.labels());
        Sandbox sandbox;
        while (true) {
            try {
                sandbox = provider.create(labels, progress);
                break;
            } catch (SandboxException refused) {
                if (!refused.limit() || !watch.capacity().awaitRoom(refused)) {
                    throw refused;
                }
                checkNotInterrupted();
            }
        }
        CleanupRegistry.get().register(sandbox);
        checkNotInterrupted();
        // A provider only makes sandboxes; that Claude Code is in them is the run's concern.
        ClaudeInstall.ensure(sandbox, progress);
        return sandbox;
    }

    /** Step 4: the workspace, the components and the prompt, as one archive in one transfer. */
    private static void upload(Sandbox sandbox, Path archive, RunRequest request, ConsoleProgress progress)
            throws IOException, SandboxException {
        progress.start("Uploading workspace");
        long bytes = Files.size(archive);
        try (InputStream tar = Files.newInputStream(archive);
             CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(tar)) {
            sandbox.upload(tar, sandbox.home());
        }
        int components = request.components().components().size();
        progress.done("Uploaded " + Format.bytes(bytes) + (components == 0 ? "" : " with " + components + " component(s)"));
    }

    /**
     * Steps 5 and 6. A sandbox lost mid-run (expired, killed) still gets one attempt to bring back what exists
     * before the failure is reported.
     */
    private static ClaudeSession.Result runClaude(Sandbox sandbox, RunRequest request, String workspace, Instant deadline,
                                                  ChangeBack bringBack, ConsoleProgress progress, Ui ui, RunWatch watch)
            throws SandboxException, InterruptedException {
        Double budget = request.maxBudgetUsd();
        int[] overBudgetAt = {-1};
        StreamRenderer renderer = new StreamRenderer(ui, request.outputFormat(), workspace).watchedBy((turns, cost, tool) -> {
            watch.listener().progress(turns, cost, tool);
            // Claude Code keeps --max-budget-usd itself, after the turn that passes it; this is the backstop should
            // it start another turn all the same.
            if (budget != null && cost > budget) {
                if (overBudgetAt[0] < 0) {
                    overBudgetAt[0] = turns;
                } else if (turns > overBudgetAt[0]) {
                    watch.stopForBudget();
                }
            }
        });
        ClaudeSession.Result claude;
        try {
            claude = ClaudeSession.run(sandbox, request, workspace, renderer, deadline, ui, watch::stoppedForBudget);
        } catch (SandboxException lost) {
            ui.warn(lost.getMessage() + "; trying to bring back what exists");
            try {
                ChangeBack.Brought partial = bringBack.fetch(progress, ui);
                ui.info("Brought back " + partial.changes().produced() + " new or changed file(s) before the sandbox was lost");
            } catch (SandboxException | IOException unreachable) {
                ui.warn("nothing could be brought back: " + unreachable.getMessage());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw lost;
        }
        if (claude.ending() == ClaudeSession.Ending.INTERRUPTED || claude.ending() == ClaudeSession.Ending.BUDGET) {
            // The signal's interrupt has done its work; left set, it would close the channels the download uses.
            Thread.interrupted();
        }
        return claude;
    }

    /**
     * The run was stopped before Claude's end: by the user (exit 130), or by its batch's budget before Claude
     * started (exit 1), which is no interruption of the user's.
     */
    private static int endStopped(Sandbox sandbox, Ui ui, RunWatch watch) {
        if (Signals.interrupted() || !watch.budgetCut()) {
            return endInterrupted(sandbox, ui);
        }
        Thread.interrupted();
        boolean gone = sandbox == null || destroy(sandbox, ui);
        ui.info("cct: stopped before Claude started: the batch's budget is spent" + (gone ? "; sandbox destroyed" : ""));
        return ExitCode.CLAUDE_ERROR;
    }

    /** Destroys {@code sandbox} (if any) before saying so; the run's own cleanup then finds nothing left to do. */
    private static int endInterrupted(Sandbox sandbox, Ui ui) {
        boolean gone = sandbox == null || destroy(sandbox, ui);
        // A failed destroy has said so itself, with what to do.
        ui.info(gone ? "cct: interrupted; sandbox destroyed" : "cct: interrupted");
        return ExitCode.INTERRUPTED;
    }

    /** Step 8; a failure is reported by the sandbox, through the run's progress. */
    private static boolean destroy(Sandbox sandbox, Ui ui) {
        boolean gone = CleanupRegistry.get().destroy(sandbox);
        if (gone) {
            ui.debug("sandbox " + sandbox.id() + " destroyed");
        }
        return gone;
    }

    private static void checkNotInterrupted() throws InterruptedException {
        if (Signals.interrupted() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private static Set<String> installedPaths(RunRequest request) {
        return request.components().toFileTree().entries().keySet();
    }

    private static void closeQuietly(ArchiveContents contents) {
        if (contents != null) {
            try {
                contents.close();
            } catch (IOException ignored) {
                // Read-only; nothing is lost.
            }
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temp file; the OS cleans it eventually.
            }
        }
    }
}
