package dev.cct.run;

import dev.cct.core.Format;
import dev.cct.sandbox.CapturedOutput;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.stream.LineSplitter;
import dev.cct.stream.RunOutcome;
import dev.cct.stream.StreamRenderer;
import dev.cct.ui.Ui;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Claude's one run in the sandbox: streamed to the renderer as it comes, until it ends, the deadline passes or
 * the user interrupts; in the last two cases cct stops Claude itself and waits for the stream to end, so that
 * everything Claude wrote is still brought back.
 */
final class ClaudeSession {
    enum Ending { FINISHED, TIMED_OUT, INTERRUPTED, BUDGET }

    /**
     * @param exitCode Claude's exit code, or -1 when cct stopped it
     * @param outcome  the final result event, or null when none came
     */
    record Result(Ending ending, int exitCode, RunOutcome outcome, int toolCalls, String sandboxId, String sessionId) {
    }

    private ClaudeSession() {
    }

    /** @param overBudget whether an interruption was a budget's stop rather than the user's */
    static Result run(Sandbox sandbox, RunRequest request, String workspace, StreamRenderer renderer, Instant deadline,
                      Ui ui, BooleanSupplier overBudget) throws SandboxException, InterruptedException {
        String mark = ClaudeCommand.newMark();
        Sandbox.ExecSpec spec = ClaudeCommand.start(request, sandbox, workspace, Duration.between(Instant.now(), deadline), mark);
        if (ClaudeCommand.runsAsRoot(sandbox)) {
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
                ending = overBudget.getAsBoolean() && !Signals.interrupted() ? Ending.BUDGET : Ending.INTERRUPTED;
                // Cleared so that the stop command below can still talk to the sandbox.
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
                } else if (ending == Ending.BUDGET) {
                    ui.info("cct: the budget is spent (about $" + Format.money(renderer.estimatedCostUsd()) + "); stopping Claude");
                }
                // cct's own stop kills what Claude was running: that is not a failure to report.
                renderer.stopping();
                stop(sandbox, mark);
                try {
                    claude.get(ClaudeCommand.AFTER_STOP.toMillis(), TimeUnit.MILLISECONDS);
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
        return new Result(ending, exitCode == null ? -1 : exitCode, renderer.outcome(), renderer.toolCalls(), sandbox.id(),
                renderer.sessionId());
    }

    private static void stop(Sandbox sandbox, String mark) throws InterruptedException {
        try {
            sandbox.exec(ClaudeCommand.stop(mark), CapturedOutput.DISCARD);
        } catch (SandboxException e) {
            // The sandbox will be destroyed anyway; what matters is bringing back what exists.
        }
    }
}
