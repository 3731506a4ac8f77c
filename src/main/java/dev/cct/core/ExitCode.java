package dev.cct.core;

/** The exit codes cct promises; every path out of the program ends in one of these. */
public final class ExitCode {
    public static final int OK = 0;
    /** Claude ran but reported an error (its result event had is_error). */
    public static final int CLAUDE_ERROR = 1;
    /** Bad input or configuration: nothing was created. */
    public static final int BAD_INPUT = 2;
    /** The sandbox or its provider failed (engine down, API refused, sandbox lost). */
    public static final int PROVIDER_FAILURE = 3;
    /** The run hit --timeout (same code as coreutils timeout). */
    public static final int TIMEOUT = 124;
    /** Interrupted by Ctrl-C or SIGTERM. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
