package dev.cct.sandbox.http;

import java.util.function.Function;
import okhttp3.Response;

/**
 * What one server means by its refusals: how its error bodies read, and which refusals are worth another try.
 * The only part of the retry rules that differs by provider; when and how often to try again is
 * {@link HttpCalls}' and the {@link RetryPolicy}'s.
 *
 * @param reader reads the error out of a refused response, and closes it
 * @param retry  what a refusal allows
 */
public record CallRules<E extends Refusal>(Function<Response, E> reader, Function<? super E, Retry> retry) {
    /** What a refusal allows. */
    public enum Retry {
        /** Not sent again: the answer would be the same (a bad request, a refused key, a gone sandbox...). */
        NEVER,
        /**
         * A fault that passes (a 5xx, say): an idempotent call is sent again after the server's Retry-After or a
         * backoff. A call that must not run twice is not: the server may have acted before it failed.
         */
        TRANSIENT,
        /**
         * Refused before anything was done (a rate limit): with a Retry-After, any call is sent again once it has
         * passed, even one that must not run twice; without one, only an idempotent call, after a backoff.
         */
        BUSY
    }
}
