package dev.cct.sandbox;

/** A provider failed: engine down, API refused, sandbox gone. Maps to exit code 3. */
public class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean limit;

    public SandboxException(String message) {
        this(message, null, false);
    }

    public SandboxException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private SandboxException(String message, Throwable cause, boolean limit) {
        super(message, cause);
        this.limit = limit;
    }

    /**
     * The account's rate or concurrency limit refused the request: trying again once other sandboxes are gone can
     * succeed, which is what a batch of runs does instead of failing the run.
     */
    public static SandboxException limit(String message, Throwable cause) {
        return new SandboxException(message, cause, true);
    }

    public boolean limit() {
        return limit;
    }
}
