package dev.cct.sandbox.http;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Interruptible, which is how Ctrl-C reaches a retry loop. */
    Sleeper REAL = duration -> Thread.sleep(Math.max(0, duration.toMillis()));
}
