package dev.cct.sandbox.e2b;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(Math.max(0, duration.toMillis()));
}
