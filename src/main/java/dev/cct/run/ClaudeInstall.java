package dev.cct.run;

import dev.cct.core.Progress;
import dev.cct.sandbox.CapturedOutput;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes sure a new sandbox can run Claude Code, through the sandbox primitives only. The Docker image and the
 * Cloudflare container always ship it, so there this is one short command; an E2B template that lacks it gets the
 * pinned {@link ClaudeCode#VERSION}.
 *
 * <p>The check runs the way Claude's own command will ({@code sh -c} through the provider's exec, which for E2B is
 * a login shell), so "found" means that command will find it too.
 */
final class ClaudeInstall {
    static final String CHECK_SCRIPT = "command -v claude || true";
    /**
     * Globally where the user may use sudo (E2B's default user may), else under ~/.local, whose bin folder a login
     * shell puts on PATH. The version is {@code $1}, never part of the script.
     */
    static final String INSTALL_SCRIPT = String.join("\n",
            "command -v npm >/dev/null 2>&1 || { echo 'npm is not available in the sandbox' >&2; exit 127; }",
            "pkg=\"@anthropic-ai/claude-code@$1\"",
            "if sudo -n true 2>/dev/null; then sudo -n npm install -g --no-fund --no-audit \"$pkg\"",
            "else mkdir -p \"$HOME/.local/bin\" && npm install -g --prefix \"$HOME/.local\" --no-fund --no-audit \"$pkg\"; fi");
    private static final String ADVICE = "use a sandbox that ships it (e2b: --template claude)";
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private ClaudeInstall() {
    }

    /** Returns at once when {@code claude} is on the sandbox's PATH; installs the pinned version otherwise. */
    static void ensure(Sandbox sandbox, Progress progress) throws SandboxException, InterruptedException {
        if (onPath(sandbox)) {
            return;
        }
        String version = ClaudeCode.VERSION;
        progress.start("Installing Claude Code " + version + " (the sandbox lacks it)");
        CapturedOutput.Result install = run(sandbox, List.of("sh", "-c", INSTALL_SCRIPT, "install", version), INSTALL_TIMEOUT);
        if (install.code() != 0) {
            throw new SandboxException("cannot install Claude Code " + version + " in the sandbox (exit " + install.code()
                    + "): " + install.lastErrorLine() + "; " + ADVICE);
        }
        if (!onPath(sandbox)) {
            throw new SandboxException("Claude Code was installed but the sandbox's shell does not find it on PATH; " + ADVICE);
        }
        progress.done("Installed Claude Code " + version);
    }

    private static boolean onPath(Sandbox sandbox) throws SandboxException, InterruptedException {
        CapturedOutput.Result check = run(sandbox, List.of("sh", "-c", CHECK_SCRIPT), CHECK_TIMEOUT);
        if (check.code() != 0) {
            throw new SandboxException("cannot look for Claude Code in the sandbox (exit " + check.code() + "): "
                    + check.lastErrorLine());
        }
        return !check.stdout().isBlank();
    }

    private static CapturedOutput.Result run(Sandbox sandbox, List<String> command, Duration timeout)
            throws SandboxException, InterruptedException {
        CapturedOutput collector = new CapturedOutput();
        return collector.result(sandbox.exec(new Sandbox.ExecSpec(command, Map.of(), sandbox.home(), timeout), collector));
    }
}
