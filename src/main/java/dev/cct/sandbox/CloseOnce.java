package dev.cct.sandbox;

import dev.cct.core.Progress;

/**
 * The {@link Sandbox#close()} every provider shares, so that the contract holds the same way for each: the destroy
 * runs once, whichever thread asks first; a caller that comes while it runs waits for it; an interrupt does not
 * stop it; a failure is reported once, as one line, through the {@link Progress} the sandbox was created with, and
 * never thrown.
 */
public final class CloseOnce {
    /** The provider's remote destroy. A sandbox that is already gone is a success, not an exception. */
    @FunctionalInterface
    public interface Destroy {
        void run() throws SandboxException, InterruptedException;
    }

    private final String sandbox;
    private final Progress progress;
    private volatile boolean closed;
    private boolean ended;
    private volatile boolean destroyed;

    /**
     * @param sandbox  how messages name the sandbox, with its id: "the E2B sandbox i1x2..."
     * @param progress where a failed destroy is reported
     */
    public CloseOnce(String sandbox, Progress progress) {
        this.sandbox = sandbox;
        this.progress = progress;
    }

    /** True from the moment {@link #close} begins, so that operations and commands under way give up at once. */
    public boolean closed() {
        return closed;
    }

    /** True once {@link #close} has destroyed the sandbox; false before, and after a destroy that failed. */
    public boolean destroyed() {
        return destroyed;
    }

    /** For the start of every operation: a closed sandbox fails at once instead of waiting on a remote that is gone. */
    public void checkOpen() throws SandboxException {
        if (closed) {
            throw new SandboxException(sandbox + " was already destroyed");
        }
    }

    /** Runs {@code destroy} the first time only; every call returns once that run has ended. Never throws. */
    public synchronized void close(Destroy destroy) {
        if (ended) {
            return;
        }
        closed = true;
        // Cleanup often runs right after an interrupt (Ctrl-C): the destroy must still go out.
        boolean interrupted = Thread.interrupted();
        try {
            try {
                destroy.run();
                destroyed = true;
            } catch (InterruptedException first) {
                // A second Ctrl-C interrupts the run's thread while it destroys; the signal's own cleanup then waits
                // here for this call, so one more try is what makes "destroyed" true.
                interrupted = true;
                Thread.interrupted();
                destroy.run();
                destroyed = true;
            }
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            interrupted |= e instanceof InterruptedException;
            // Nothing to throw to: cleanup paths (a shutdown hook, a signal) must go on to the next sandbox.
            progress.notice("could not destroy " + sandbox + " (" + reason(e) + "); run 'cct sandboxes clean' to remove it");
        } finally {
            ended = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One line: engines answer with multi-line bodies, and the notice is one line of the run's output. */
    private static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof InterruptedException ? "interrupted" : e.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
