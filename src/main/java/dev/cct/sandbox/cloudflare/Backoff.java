package dev.cct.sandbox.cloudflare;

import java.time.Duration;

/** How many tries a call gets and how long to wait between them: capped exponential backoff. */
record Backoff(int maxAttempts, Duration first, Duration max) {
    static final Backoff CALLS = new Backoff(4, Duration.ofMillis(500), Duration.ofSeconds(4));
    /** Re-attaching to a command's stream: more patience, since a lost command is a lost run. */
    static final Backoff REATTACH = new Backoff(8, Duration.ofMillis(250), Duration.ofSeconds(8));

    /** The wait after failed attempt {@code attempt} (1-based): first, 2*first, 4*first... up to max. */
    Duration after(int attempt) {
        long millis = first.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Sleeps {@link #after(int)}; interruptible, which is how Ctrl-C reaches a retry loop. */
    void sleep(int attempt) throws InterruptedException {
        Thread.sleep(after(attempt).toMillis());
    }
}
