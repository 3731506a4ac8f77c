package dev.cct.sandbox;

/** A provider failed: engine down, API refused, sandbox gone. Maps to exit code 3. */
public class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
