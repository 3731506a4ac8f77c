package dev.cct.sandbox.e2b;

/** An HTTP call that E2B answered with a refusal; callers turn it into a message that fits what they were doing. */
final class E2bCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    E2bCallException(ApiError error) {
        super(error.describe());
        this.error = error;
    }

    ApiError error() {
        return error;
    }
}
