package dev.cct.sandbox.http;

import java.time.Duration;

/**
 * How often and how long to retry: a few tries with capped exponential backoff (no jitter: cct is one client,
 * not a crowd that must be spread out), and a bound on how long a server may ask us to wait through
 * {@code Retry-After} before we give up and say so instead.
 *
 * @param maxAttempts       tries in all, the first included
 * @param longestRetryAfter a {@code Retry-After} beyond this is not waited for: the refusal is reported at once
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration longestRetryAfter) {
    /** What a server may ask us to wait when nothing tighter is needed. */
    public static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(60);

    /** With the usual bound on {@code Retry-After}. */
    public RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
        this(maxAttempts, firstBackoff, maxBackoff, LONGEST_RETRY_AFTER);
    }

    /** The wait after failed attempt {@code attempt} (1-based): first, 2*first, 4*first... up to the cap. */
    public Duration backoff(int attempt) {
        long millis = firstBackoff.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
