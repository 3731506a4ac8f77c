package dev.cct.sandbox.cloudflare;

import java.io.IOException;

/** A connection failure that happened before any of the request body left: the Worker did nothing. */
final class NotSentException extends IOException {
    private static final long serialVersionUID = 1L;

    NotSentException(IOException cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}
