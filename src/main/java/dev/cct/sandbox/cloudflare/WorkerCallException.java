package dev.cct.sandbox.cloudflare;

/** The Worker answered a call with a refusal; callers turn it into a message that fits what they were doing. */
final class WorkerCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient WorkerError error;

    WorkerCallException(WorkerError error) {
        super(error.describe());
        this.error = error;
    }

    WorkerError error() {
        return error;
    }
}
