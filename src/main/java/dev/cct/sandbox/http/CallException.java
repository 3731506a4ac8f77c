package dev.cct.sandbox.http;

/** A call the server answered with a refusal; callers turn it into a message that fits what they were doing. */
public final class CallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Refusal error;

    public CallException(Refusal error) {
        super(error.describe());
        this.error = error;
    }

    public Refusal error() {
        return error;
    }

    /** The refusal as its provider reads it: each provider's calls only ever carry its own kind. */
    public <E extends Refusal> E error(Class<E> kind) {
        return kind.cast(error);
    }
}
