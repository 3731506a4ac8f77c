package dev.cct.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.cct.archive.Excludes;
import dev.cct.archive.ExtractionReport;
import dev.cct.archive.SafeExtractor;
import dev.cct.archive.UploadManifest;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.sandbox.OrphanReaper;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.stream.LineSplitter;
import dev.cct.stream.RunOutcome;
import dev.cct.stream.StreamRenderer;
import dev.cct.ui.ConsoleProgress;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The one orchestrator every provider shares: validate (already done), create, upload in one transfer, run Claude,
 * stream, download in one transfer, extract safely, destroy. The sandbox is destroyed on every path out.
 */
final class Run implements Pipeline {
    /** Claude's own command: the prompt comes from a file on stdin, never from this string. */
    static final String CLAUDE_SCRIPT = "mkdir -p \"$HOME/.cct\" && echo $$ > \"$HOME/.cct/claude.pid\" && "
            + "exec claude -p --output-format stream-json --verbose --dangerously-skip-permissions \"$@\" "
            + "< \"$HOME/" + WorkspaceArchive.PROMPT + "\"";
    static final String STOP_SCRIPT = "p=$(cat \"$HOME/.cct/claude.pid\" 2>/dev/null) || exit 0; kill -TERM \"$p\" 2>/dev/null; "
            + "i=0; while kill -0 \"$p\" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL \"$p\" 2>/dev/null; exit 0";
    private static final Duration AFTER_STOP = Duration.ofSeconds(10);

    private final Environment environment;
    private final Providers providers;

    Run(Environment environment) {
        this(environment, new Providers(environment));
    }

    Run(Environment environment, Providers providers) {
        this.environment = environment;
        this.providers = providers;
    }

    private enum Ending { FINISHED, TIMED_OUT, INTERRUPTED }

    @Override
    public int run(RunRequest request, Ui ui, List<String> excludes, boolean includeAll) {
        Instant started = Instant.now();
        Instant deadline = started.plus(request.timeout());
        Predicate<String> skip;
        try {
            skip = Excludes.of(excludes, includeAll, request.components().toFileTree().entries().keySet());
        } catch (IllegalArgumentException e) {
            throw CctException.badInput("invalid --exclude: " + e.getMessage(), "use globs such as '*.log' or 'build/**'");
        }
        Map<String, String> options = new LinkedHashMap<>(request.options());
        options.put("timeout-seconds", Long.toString(request.timeout().toSeconds()));
        SandboxProvider provider = providers.create(request.provider(), options, request.secrets());
        ConsoleProgress progress = new ConsoleProgress(ui);
        Signals.install(Thread.currentThread(), () -> ui.info("\ncct: stopping Claude and bringing back what exists"
                + " (Ctrl-C again to destroy the sandbox at once)"), ui::info);
        Sandbox sandbox = null;
        Path uploadArchive = null;
        OrphanReaper reaper = null;
        try {
            provider.prepare(progress);
            reaper = OrphanReaper.inBackground(provider);
            checkNotInterrupted();
            sandbox = provider.create(SandboxLabels.forThisProcess(), progress);
            CleanupRegistry.get().register(sandbox);
            ClaudeInstall.ensure(sandbox, progress);
            checkNotInterrupted();
            Path output = request.outputDirectory() != null ? request.outputDirectory()
                    : environment.workingDirectory().resolve("sandbox-" + Format.shortId(sandbox.id()));
            String workspace = sandbox.home() + "/" + WorkspaceArchive.WORKSPACE;

            progress.start("Uploading workspace");
            uploadArchive = WorkspaceArchive.build(request, sandbox.owner(), output);
            long uploadBytes = Files.size(uploadArchive);
            UploadManifest uploaded = UploadManifest.ofArchive(uploadArchive, WorkspaceArchive.WORKSPACE);
            try (InputStream tar = Files.newInputStream(uploadArchive);
                 CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(tar)) {
                sandbox.upload(tar, sandbox.home());
            }
            progress.done("Uploaded " + Format.bytes(uploadBytes) + (request.components().components().isEmpty() ? ""
                    : " with " + request.components().components().size() + " component(s)"));
            checkNotInterrupted();

            StreamRenderer renderer = new StreamRenderer(ui, request.outputFormat(), workspace);
            ExecResult exec;
            try {
                exec = runClaude(sandbox, request, workspace, renderer, deadline, ui);
            } catch (SandboxException lost) {
                // The sandbox failed mid-run (expired, killed): still try to bring back what exists, then report.
                ui.warn(lost.getMessage() + "; trying to bring back what exists");
                try {
                    Brought partial = bringBack(sandbox, workspace, output, skip, includeAll, uploaded, progress, ui);
                    ui.info("Brought back " + partial.changes().produced() + " new or changed file(s) before the sandbox was lost");
                } catch (SandboxException | IOException unreachable) {
                    ui.warn("nothing could be brought back: " + unreachable.getMessage());
                }
                throw lost;
            }
            if (exec.ending == Ending.INTERRUPTED) {
                // The signal's interrupt has done its work; left set, it would close the channels the download uses.
                Thread.interrupted();
            }
            Brought brought = bringBack(sandbox, workspace, output, skip, includeAll, uploaded, progress, ui);
            Signals.yieldToSecondSignal();
            destroy(sandbox, ui);
            sandbox = null;
            reportReaped(reaper, ui);
            return finish(request, ui, exec, brought, output, started);
        } catch (SandboxException e) {
            Signals.yieldToSecondSignal();
            if (Signals.interrupted()) {
                // Ctrl-C during a transfer surfaces as a failed transfer: it is still an interruption.
                return endInterrupted(sandbox, ui);
            }
            throw CctException.provider(request.provider().flag() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Signals.yieldToSecondSignal();
            Thread.currentThread().interrupt();
            return endInterrupted(sandbox, ui);
        } catch (IOException e) {
            Signals.yieldToSecondSignal();
            if (Signals.interrupted()) {
                return endInterrupted(sandbox, ui);
            }
            throw CctException.provider("cannot transfer files: " + e.getMessage(), e);
        } finally {
            progress.pause();
            if (sandbox != null) {
                destroy(sandbox, ui);
            }
            if (uploadArchive != null) {
                try {
                    Files.deleteIfExists(uploadArchive);
                } catch (IOException ignored) {
                    // A temp file; the OS cleans it eventually.
                }
            }
        }
    }

    /** What one bring-back wrote, and what of it Claude produced. */
    private record Brought(ExtractionReport report, UploadManifest.Changes changes) {
    }

    /** One download, extracted safely; an output folder that would stay empty is not left behind. */
    private Brought bringBack(Sandbox sandbox, String workspace, Path output, Predicate<String> skip, boolean includeAll,
                              UploadManifest uploaded, ConsoleProgress progress, Ui ui) throws SandboxException, IOException {
        progress.start("Bringing back files");
        boolean existed = Files.exists(output);
        ExtractionReport report;
        try (InputStream tar = sandbox.download(workspace, List.copyOf(includeAll ? Set.of() : Excludes.DEFAULT_EXCLUDED_FOLDERS));
             CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(tar)) {
            report = SafeExtractor.extract(tar, output, skip);
        }
        if (!existed && report.files() == 0 && report.symlinks() == 0) {
            deleteEmptyFolders(output);
        }
        UploadManifest.Changes changes = uploaded.compare(output, report.writtenPaths());
        progress.done("Brought back " + describe(changes) + ", " + Format.bytes(report.bytes()) + " in all, to " + display(output));
        for (String refused : report.refused()) {
            ui.warn("refused unsafe archive entry " + refused);
        }
        return new Brought(report, changes);
    }

    /** "2 new, 1 changed file(s) (40 unchanged uploads)": what Claude produced, apart from what the user sent. */
    static String describe(UploadManifest.Changes changes) {
        String produced = changes.created().size() + " new, " + changes.modified().size() + " changed file(s)";
        return changes.unchanged() == 0 ? produced : produced + " (" + changes.unchanged() + " unchanged upload(s))";
    }

    private static void reportReaped(OrphanReaper reaper, Ui ui) {
        if (reaper != null) {
            reaper.summary().ifPresent(ui::info);
        }
    }

    private static void deleteEmptyFolders(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (var children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }

    private record ExecResult(Ending ending, int exitCode, RunOutcome outcome, int toolCalls, String sandboxId) {
    }

    /** Runs Claude until it ends, the deadline passes, or the user interrupts; stops it in the last two cases. */
    private ExecResult runClaude(Sandbox sandbox, RunRequest request, String workspace, StreamRenderer renderer,
                                 Instant deadline, Ui ui) throws SandboxException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", CLAUDE_SCRIPT, "claude"));
        if (request.model() != null) {
            command.addAll(List.of("--model", request.model()));
        }
        if (request.maxTurns() != null) {
            command.addAll(List.of("--max-turns", request.maxTurns().toString()));
        }
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        env.putAll(request.secrets().forClaude());
        if (sandbox.owner() != null && sandbox.owner().uid() == 0) {
            // The image runs as root: Claude refuses to skip permissions there unless told it is sandboxed.
            env.put("IS_SANDBOX", "1");
            ui.warn("the image runs commands as root; a non-root user is safer");
        }
        LineSplitter out = new LineSplitter(renderer::stdoutLine);
        LineSplitter err = new LineSplitter(renderer::stderrLine);
        Sandbox.OutputListener listener = new Sandbox.OutputListener() {
            @Override
            public void stdout(byte[] data, int offset, int length) {
                out.accept(data, offset, length);
            }

            @Override
            public void stderr(byte[] data, int offset, int length) {
                err.accept(data, offset, length);
            }
        };
        Sandbox.ExecSpec spec = new Sandbox.ExecSpec(command, env, workspace, Duration.between(Instant.now(), deadline));
        ui.info(ui.bold("Claude is working") + ui.dim(" (sandbox " + Format.shortId(sandbox.id()) + ", timeout "
                + Format.duration(request.timeout()) + ")"));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cct-claude");
            t.setDaemon(true);
            return t;
        });
        Ending ending = Ending.FINISHED;
        Integer exitCode = null;
        try {
            Future<Integer> claude = executor.submit(() -> sandbox.exec(spec, listener));
            try {
                long wait = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                exitCode = claude.get(wait, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ending = Ending.TIMED_OUT;
            } catch (InterruptedException e) {
                ending = Ending.INTERRUPTED;
                Thread.interrupted();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SandboxException se) {
                    throw se;
                }
                throw new SandboxException("running Claude failed: " + cause, cause);
            }
            if (ending != Ending.FINISHED) {
                if (ending == Ending.TIMED_OUT) {
                    ui.info("cct: timed out after " + Format.duration(request.timeout()) + "; stopping Claude");
                }
                // cct's own stop kills what Claude was running: that is not a failure to report.
                renderer.stopping();
                stopClaude(sandbox);
                try {
                    claude.get(AFTER_STOP.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException ignored) {
                    claude.cancel(true);
                }
            }
        } finally {
            executor.shutdownNow();
            out.finish();
            err.finish();
            renderer.close();
        }
        return new ExecResult(ending, exitCode == null ? -1 : exitCode, renderer.outcome(), renderer.toolCalls(), sandbox.id());
    }

    private static void stopClaude(Sandbox sandbox) throws InterruptedException {
        try {
            sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", STOP_SCRIPT), Map.of(), "/", AFTER_STOP),
                    new Sandbox.OutputListener() {
                        @Override
                        public void stdout(byte[] data, int offset, int length) {
                        }

                        @Override
                        public void stderr(byte[] data, int offset, int length) {
                        }
                    });
        } catch (SandboxException e) {
            // The sandbox will be destroyed anyway; what matters is bringing back what exists.
        }
    }

    private int finish(RunRequest request, Ui ui, ExecResult exec, Brought brought, Path output, Instant started) {
        ExtractionReport report = brought.report();
        UploadManifest.Changes changes = brought.changes();
        boolean interrupted = exec.ending == Ending.INTERRUPTED || Signals.interrupted();
        RunOutcome outcome = exec.outcome;
        int code;
        String status;
        String message;
        if (interrupted) {
            code = ExitCode.INTERRUPTED;
            status = "interrupted";
            message = "Interrupted";
        } else if (exec.ending == Ending.TIMED_OUT) {
            code = ExitCode.TIMEOUT;
            status = "timeout";
            message = "Timed out after " + Format.duration(request.timeout());
        } else if (outcome == null) {
            code = ExitCode.CLAUDE_ERROR;
            status = "error";
            message = "Claude exited with code " + exec.exitCode + " without a result";
        } else if (outcome.isError()) {
            code = ExitCode.CLAUDE_ERROR;
            status = "error";
            message = "Claude reported an error: " + firstLine(outcome.result());
        } else if (outcome.permissionDenials() > 0 && changes.produced() == 0) {
            code = ExitCode.CLAUDE_ERROR;
            status = "denied";
            message = "Claude's tool calls were denied " + outcome.permissionDenials() + " time(s) and no file was written";
        } else {
            code = ExitCode.OK;
            status = "success";
            message = "Done";
        }
        Duration took = Duration.between(started, Instant.now());
        if (request.outputFormat() == OutputFormat.JSON) {
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("exitCode", code);
            json.put("status", status);
            json.put("provider", request.provider().flag());
            json.put("sandboxId", exec.sandboxId);
            json.put("result", outcome == null ? null : outcome.result());
            json.put("isError", outcome != null && outcome.isError());
            json.put("turns", outcome == null ? 0 : outcome.turns());
            json.putRawValue("costUsd", new RawValue(Format.money(outcome == null ? 0 : outcome.costUsd())));
            json.put("durationMs", took.toMillis());
            json.put("toolCalls", exec.toolCalls);
            json.put("outputDirectory", output.toString());
            ArrayNode files = json.putArray("files");
            report.writtenPaths().forEach(files::add);
            ArrayNode created = json.putArray("created");
            changes.created().forEach(created::add);
            ArrayNode modified = json.putArray("modified");
            changes.modified().forEach(modified::add);
            json.put("unchangedUploads", changes.unchanged());
            ArrayNode refused = json.putArray("refused");
            report.refused().forEach(refused::add);
            ui.out().println(request.secrets().mask(Json.compact(json)));
            ui.out().flush();
        } else {
            String details = (outcome == null ? "" : outcome.turns() + " turns · $" + Format.money(outcome.costUsd()) + " · ")
                    + Format.duration(took) + " · " + exec.toolCalls + " tool call(s) · " + describe(changes) + " in " + display(output);
            String mark = code == ExitCode.OK ? ui.green("✓ ") : ui.red("✗ ");
            ui.info("");
            if (code == ExitCode.OK) {
                ui.info(mark + ui.bold(message) + "  " + details);
            } else {
                ui.err().println(mark + ui.bold(request.secrets().mask(message)) + "  " + details);
                ui.err().flush();
            }
        }
        return code;
    }

    /** Destroys {@code sandbox} (if any) before saying so; the run's own cleanup then finds nothing left to do. */
    private int endInterrupted(Sandbox sandbox, Ui ui) {
        if (sandbox != null) {
            destroy(sandbox, ui);
        }
        ui.info("cct: interrupted; sandbox destroyed");
        return ExitCode.INTERRUPTED;
    }

    private void destroy(Sandbox sandbox, Ui ui) {
        try {
            CleanupRegistry.get().destroy(sandbox);
            ui.debug("sandbox " + sandbox.id() + " destroyed");
        } catch (RuntimeException e) {
            ui.warn("could not destroy sandbox " + sandbox.id() + ": " + e.getMessage() + " (run 'cct sandboxes clean')");
        }
    }

    private static void checkNotInterrupted() throws InterruptedException {
        if (Signals.interrupted() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    private String display(Path output) {
        Path cwd = environment.workingDirectory();
        return output.startsWith(cwd) ? "./" + cwd.relativize(output) + "/" : output + "/";
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
