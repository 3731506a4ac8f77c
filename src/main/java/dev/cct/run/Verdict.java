package dev.cct.run;

import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.stream.RunOutcome;
import java.time.Duration;

/**
 * How a run that reached its end is judged: the exit code, the status word of the json summary, and the
 * summary's headline. The order matters: an interruption outranks a timeout, which outranks what Claude said.
 */
record Verdict(int exitCode, String status, String message) {
    /** The result's subtype when Claude Code stopped itself at --max-budget-usd. */
    static final String BUDGET_SUBTYPE = "error_max_budget_usd";

    static Verdict of(ClaudeSession.Result claude, boolean interrupted, Duration timeout, ResultChanges changes) {
        RunOutcome outcome = claude.outcome();
        if (interrupted || claude.ending() == ClaudeSession.Ending.INTERRUPTED) {
            return new Verdict(ExitCode.INTERRUPTED, "interrupted", "Interrupted");
        }
        if (claude.ending() == ClaudeSession.Ending.TIMED_OUT) {
            return new Verdict(ExitCode.TIMEOUT, "timeout", "Timed out after " + Format.duration(timeout));
        }
        if (claude.ending() == ClaudeSession.Ending.BUDGET || outcome != null && BUDGET_SUBTYPE.equals(outcome.subtype())) {
            return new Verdict(ExitCode.CLAUDE_ERROR, "budget", "Stopped at the budget"
                    + (outcome == null ? "" : " after $" + Format.money(outcome.costUsd())));
        }
        if (outcome == null) {
            return new Verdict(ExitCode.CLAUDE_ERROR, "error", "Claude exited with code " + claude.exitCode() + " without a result");
        }
        if (outcome.isError()) {
            return new Verdict(ExitCode.CLAUDE_ERROR, "error", "Claude reported an error: " + firstLine(outcome.result()));
        }
        if (outcome.permissionDenials() > 0 && changes.produced() == 0) {
            return new Verdict(ExitCode.CLAUDE_ERROR, "denied", "Claude's tool calls were denied " + outcome.permissionDenials()
                    + " time(s) and no file was written");
        }
        return new Verdict(ExitCode.OK, "success", "Done");
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
