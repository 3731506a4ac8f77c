package dev.cct.run;

import dev.cct.sandbox.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claude Code's command line in the sandbox, and the command that stops it. Claude writes its pid where the stop
 * command finds it, so cct can end Claude (and what it runs) without a provider-specific kill.
 */
final class ClaudeCommand {
    /** Claude's own command: the prompt comes from a file on stdin, never from this string. */
    static final String CLAUDE_SCRIPT = "mkdir -p \"$HOME/.cct\" && echo $$ > \"$HOME/.cct/claude.pid\" && "
            + "exec claude -p --output-format stream-json --verbose --dangerously-skip-permissions \"$@\" "
            + "< \"$HOME/" + WorkspaceArchive.PROMPT + "\"";
    /** TERM, up to three seconds to end, then KILL. */
    static final String STOP_SCRIPT = "p=$(cat \"$HOME/.cct/claude.pid\" 2>/dev/null) || exit 0; kill -TERM \"$p\" 2>/dev/null; "
            + "i=0; while kill -0 \"$p\" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL \"$p\" 2>/dev/null; exit 0";
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
    static Sandbox.ExecSpec start(RunRequest request, Sandbox sandbox, String workspace, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", CLAUDE_SCRIPT, "claude"));
        if (request.model() != null) {
            command.addAll(List.of("--model", request.model()));
        }
        if (request.maxTurns() != null) {
            command.addAll(List.of("--max-turns", request.maxTurns().toString()));
        }
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        env.putAll(request.secrets().forClaude());
        if (runsAsRoot(sandbox)) {
            // Claude refuses to skip permissions as root unless told it is sandboxed.
            env.put("IS_SANDBOX", "1");
        }
        return new Sandbox.ExecSpec(command, env, workspace, timeout.plus(BACKSTOP));
    }

    static boolean runsAsRoot(Sandbox sandbox) {
        return sandbox.owner() != null && sandbox.owner().uid() == 0;
    }

    /** Ends Claude and what it started. */
    static Sandbox.ExecSpec stop() {
        return new Sandbox.ExecSpec(List.of("sh", "-c", STOP_SCRIPT), Map.of(), "/", AFTER_STOP);
    }
}
