package dev.cct.run;

import dev.cct.sandbox.MarkedProcesses;
import dev.cct.sandbox.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Claude Code's command line in the sandbox, and the command that stops it. Claude's process carries a mark in its
 * environment, which every process it starts inherits (its tools, MCP servers, what a Bash tool left running), so
 * the stop command ends all of them, through {@code /proc}, without a provider-specific kill. The mark is set inside
 * the script rather than in the exec's environment, so the provider's own wrapper around the command never carries
 * it and still sees the command end.
 */
final class ClaudeCommand {
    /** The variable that marks Claude's processes; its value is one run's random mark. */
    static final String MARK = "CCT_CLAUDE_RUN";
    /**
     * Written just before Claude starts, below the home folder: a workspace file whose status has not changed since
     * is as it was uploaded, which spares the bring-back reading it.
     */
    static final String STARTED_FILE = ".cct/claude.pid";
    /** Claude's own command: the prompt comes from a file on stdin, never from this string. */
    static final String CLAUDE_SCRIPT = "export " + MARK + "=\"$1\"; shift; "
            + "mkdir -p \"$HOME/.cct\" && echo $$ > \"$HOME/" + STARTED_FILE + "\" && "
            + "exec claude -p --output-format stream-json --verbose --dangerously-skip-permissions \"$@\" "
            + "< \"$HOME/" + WorkspaceArchive.PROMPT + "\"";
    /**
     * TERM to every marked process, up to three seconds for Claude to end, then KILL to whatever still carries the
     * mark, again while it finds some.
     */
    static final String STOP_SCRIPT = MarkedProcesses.SIGNAL_FUNCTION
            + "m=" + MARK + "=$1; p=$(cat \"$HOME/" + STARTED_FILE + "\" 2>/dev/null); "
            + "signal_marked TERM \"$m\" || exit 0; "
            + "i=0; while [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; "
            + "i=0; while [ $i -lt 20 ] && signal_marked KILL \"$m\"; do i=$((i+1)); done; exit 0";
    /** How long the stop command, and then Claude's own ending, may take. */
    static final Duration AFTER_STOP = Duration.ofSeconds(10);
    /**
     * Beyond the run's deadline, when the sandbox kills Claude itself (the exec's timeout). At the deadline the run
     * stops Claude gently and waits for its end, so that what it wrote still comes back; the sandbox's kill is the
     * backstop for a stop that did not work or a cct that died, so it must come after both waits.
     */
    static final Duration BACKSTOP = AFTER_STOP.multipliedBy(2).plusSeconds(10);

    private ClaudeCommand() {
    }

    /**
     * What runs Claude: its flags as separate arguments after the script, the user's variables and the keys in the
     * environment only. {@code timeout} is what is left of the run; the sandbox's own kill comes {@link #BACKSTOP}
     * later.
     */
    static Sandbox.ExecSpec start(RunRequest request, Sandbox sandbox, String workspace, Duration timeout, String mark) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", CLAUDE_SCRIPT, "claude", mark));
        if (request.model() != null) {
            command.addAll(List.of("--model", request.model()));
        }
        if (request.maxTurns() != null) {
            command.addAll(List.of("--max-turns", request.maxTurns().toString()));
        }
        if (request.maxBudgetUsd() != null) {
            command.addAll(List.of("--max-budget-usd", java.math.BigDecimal.valueOf(request.maxBudgetUsd()).toPlainString()));
        }
        if (request.continuation() != null) {
            command.addAll(List.of("--resume", request.continuation().sessionId()));
        }
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        if (!sandbox.credentialsOutside()) {
            env.putAll(request.secrets().forClaude());
        }
        if (runsAsRoot(sandbox)) {
            // Claude refuses to skip permissions as root unless told it is sandboxed.
            env.put("IS_SANDBOX", "1");
        }
        return new Sandbox.ExecSpec(command, env, workspace, timeout.plus(BACKSTOP));
    }

    static boolean runsAsRoot(Sandbox sandbox) {
        return sandbox.owner() != null && sandbox.owner().uid() == 0;
    }

    /** A mark for one Claude run: random, so that a stop never reaches another run's processes. */
    static String newMark() {
        return UUID.randomUUID().toString();
    }

    /** Ends Claude and every process it started. */
    static Sandbox.ExecSpec stop(String mark) {
        return new Sandbox.ExecSpec(List.of("sh", "-c", STOP_SCRIPT, "cct-stop", mark), Map.of(), "/", AFTER_STOP);
    }
}
