package dev.cct.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.sandbox.SandboxException;
import java.util.Map;
import java.util.Objects;

/**
 * One run as a batch sees it: what the run reports as it goes, a way to stop it for a reason of the batch's own,
 * and what the run does when its provider says an account limit is reached. A single run has {@link #alone()}, which
 * reports nowhere, is never stopped from outside and lets a limit fail the run.
 */
public final class RunWatch {
    /** The steps of a run that its line in a batch shows. */
    public enum Phase { CREATING, UPLOADING, RUNNING, BRINGING_BACK }

    /** What a run tells whoever watches it; called from the run's own threads. */
    public interface Listener {
        default void phase(Phase phase) {
        }

        default void sandbox(String id) {
        }

        /** Claude's progress: turns so far, the cost estimated from the stream's token counts, the latest tool call. */
        default void progress(int turns, double estimatedCostUsd, String lastTool) {
        }

        /** The run's end, as the object {@code --output-format json} prints, before the run returns. */
        default void finished(ObjectNode summary) {
        }
    }

    /** Waits, when the provider refused a sandbox for an account limit, until another try can succeed. */
    public interface Capacity {
        /**
         * @return true to try the creation again, false to let the refusal fail the run
         */
        boolean awaitRoom(SandboxException refusal) throws InterruptedException;
    }

    private static final Capacity FAIL = refusal -> false;

    private final Listener listener;
    private final Capacity capacity;
    private final Map<String, String> labels;
    private final boolean batched;
    private final Object prepareLock;
    private boolean stoppedForBudget;
    private Thread thread;
    private Phase phase;

    private RunWatch(Listener listener, Capacity capacity, Map<String, String> labels, boolean batched, Object prepareLock) {
        this.listener = Objects.requireNonNull(listener);
        this.capacity = Objects.requireNonNull(capacity);
        this.labels = Map.copyOf(labels);
        this.batched = batched;
        this.prepareLock = prepareLock;
    }

    /** A single run: nobody watches, nothing stops it but the user, and a limit is a failure. */
    public static RunWatch alone() {
        return new RunWatch(new Listener() { }, FAIL, Map.of(), false, new Object());
    }

    /**
     * One run of a batch. Runs of one batch share {@code prepareLock}, so that a provider's preparation (an image
     * built, a Worker checked) happens once while the others wait for it instead of doing it again at the same time.
     *
     * @param labels extra labels on the run's sandbox, such as the batch's id
     */
    public static RunWatch inBatch(Listener listener, Capacity capacity, Map<String, String> labels, Object prepareLock) {
        return new RunWatch(listener, capacity, labels, true, prepareLock);
    }

    /**
     * Stops the run as its budget would: Claude is stopped, what exists comes back, the run ends with exit code 1.
     * Once Claude has ended the run is left alone: interrupting its bring-back would lose what it made.
     */
    public synchronized void stopForBudget() {
        stoppedForBudget = true;
        if (thread != null && phase != Phase.BRINGING_BACK) {
            thread.interrupt();
        }
    }

    /** Whether {@link #stopForBudget()} was called. */
    public synchronized boolean stoppedForBudget() {
        return stoppedForBudget;
    }

    /** Whether a budget's stop cut the run short: before its bring-back, whose failures stay failures. */
    synchronized boolean budgetCut() {
        return stoppedForBudget && phase != Phase.BRINGING_BACK;
    }

    /** The run has reached {@code next}; from {@link Phase#BRINGING_BACK} on, a budget no longer stops it. */
    void phase(Phase next) {
        synchronized (this) {
            phase = next;
        }
        listener.phase(next);
    }

    /** Whom the run reports to. */
    public Listener listener() {
        return listener;
    }

    /** What the run does when an account limit refuses its sandbox. */
    public Capacity capacity() {
        return capacity;
    }

    Map<String, String> labels() {
        return labels;
    }

    /** A batch owns the signals: its runs do not install their own. */
    boolean batched() {
        return batched;
    }

    Object prepareLock() {
        return prepareLock;
    }

    synchronized void attach(Thread runThread) {
        thread = runThread;
        if (stoppedForBudget) {
            runThread.interrupt();
        }
    }

    synchronized void detach() {
        thread = null;
    }
}
