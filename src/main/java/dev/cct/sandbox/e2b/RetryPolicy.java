package dev.cct.sandbox.e2b;

import java.time.Duration;

/**
 * How often and how long to retry: a few tries with capped exponential backoff, and a bound on how long a
 * server may ask us to wait through {@code Retry-After} before we give up and say so instead.
 */
record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration longestRetryAfter) {
    static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60));

    /** The wait before attempt {@code attempt + 1}: 0.5 s, 1 s, 2 s, 4 s, 4 s... */
    Duration backoff(int attempt) {
        long millis = firstBackoff.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
