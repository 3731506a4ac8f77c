package dev.cct.ui;

import java.time.Duration;
import java.util.Objects;

/**
 * One run of a batch as it stood at one moment. A snapshot rather than a live object, so that the runs' threads can
 * publish their progress and the table can draw it without either waiting for the other.
 *
 * @param index    1-based, the number the user sees and finds again in the results
 * @param label    a short name for the run, such as "fix-login-bug"
 * @param costFinal false while {@code costUsd} is only an estimate from the stream, before the run's own total
 * @param lastTool Claude's latest tool call in one line ("Write hello.py"), or null before the first
 * @param exitCode set once the run is {@link State#DONE DONE} or {@link State#SKIPPED SKIPPED}
 * @param status   "success", "error", "timeout", "interrupted", "budget", "failed" or "skipped", set with the exit code
 * @param reason   why a run failed or was skipped, in one line, or null
 */
public record BatchRow(int index, String label, State state, Duration elapsed, int turns, double costUsd,
                       boolean costFinal, String lastTool, Integer exitCode, String status, String reason) {
    /** The steps of one run, in the order it goes through them. */
    public enum State { QUEUED, CREATING, UPLOADING, RUNNING, BRINGING_BACK, DONE, SKIPPED }

    public BatchRow {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
        elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }
}
