package dev.cct.core;

/**
 * The one exception type that carries an exit code. Its message is a single line that names the problem and,
 * where there is one, the fix; Main prints it as is.
 */
public class CctException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CctException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CctException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad input or configuration: {@code problem}; {@code fix}. Exit code 2. */
    public static CctException badInput(String problem, String fix) {
        return new CctException(ExitCode.BAD_INPUT, fix == null || fix.isEmpty() ? problem : problem + "; " + fix);
    }

    public static CctException provider(String message, Throwable cause) {
        return new CctException(ExitCode.PROVIDER_FAILURE, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
