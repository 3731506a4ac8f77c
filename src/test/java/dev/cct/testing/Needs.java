package dev.cct.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an environment-dependent test does when what it needs is missing: on a user's machine it skips, printing
 * the reason once per test JVM; where CI set the matching require flag ({@code -Dcct.requireDocker=true} and its
 * siblings) it fails, so nothing CI is meant to run can skip there silently.
 */
public final class Needs {
    /** The Docker engine and the sandbox image's base. */
    public static final Need DOCKER = new Need("Docker end-to-end tests", "cct.requireDocker");
    /** The Claude Code CLI on this machine. */
    public static final Need CLAUDE = new Need("Claude Code CLI tests", "cct.requireClaude");
    /** Node and the pinned official E2B SDK. */
    public static final Need E2B_SDK = new Need("E2B SDK conformance", "cct.requireE2bConformance");
    /** A live local Worker. */
    public static final Need WORKER = new Need("live Worker contract tests", "cct.requireWorker");
    /** The git binary, which tests use to check what cct wrote with JGit. */
    public static final Need GIT = new Need("git cross-checks", "cct.requireGit");
    /** bash and the few standard tools the bundled hook scripts use. */
    public static final Need HOOK_SHELL = new Need("hook script tests", "cct.requireHookShell");
    /** jq, the first JSON reader the bundled hook scripts try. */
    public static final Need JQ = new Need("hook script tests with jq", "cct.requireJq");
    /** python3, the hook scripts' second JSON reader. */
    public static final Need PYTHON3 = new Need("hook script tests with python3", "cct.requirePython3");

    private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();

    private Needs() {
    }

    /** One thing a test may need from the machine. */
    public record Need(String what, String requireProperty) {
        public boolean required() {
            return Boolean.getBoolean(requireProperty);
        }

        /**
         * Returns where {@code problem} is null (the need is met); otherwise fails when required, or skips the
         * calling test (or class, from a {@code @BeforeAll}), printing {@code SKIPPED <what>: <problem>} once.
         */
        public void check(String problem) {
            if (problem == null) {
                return;
            }
            if (required()) {
                Assertions.fail(what + " are required here (" + requireProperty + "=true) but " + problem);
            }
            if (PRINTED.add(what + problem)) {
                System.out.println("SKIPPED " + what + ": " + problem);
            }
            Assumptions.abort(problem);
        }
    }
}
