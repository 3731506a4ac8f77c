package dev.cct.sandbox.http;

import java.io.IOException;

/** A connection failure that happened before any of the request body left: the server did nothing. */
public final class NotSentException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotSentException(IOException cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}
