package dev.cct.testing.e2b;

import java.time.Duration;
import java.util.Objects;

/**
 * Fault injection for {@link FakeE2b}. Thread-safe; every fault is counted and consumed by the
 * requests it hits. REST faults hit control-plane calls only (never envd).
 */
public final class Faults {

    private final FakeE2b fake;
    private int rateLimited;
    private int retryAfterSeconds;
    private int unavailable;
    private int cutAfterFrames = -1;
    private String cutOnlyIfCommandHas;
    private int concurrentSandboxes;
    private int limitRefusals;

    Faults(FakeE2b fake) {
        this.fake = fake;
    }

    /**
     * The next {@code count} REST calls answer 429 {@code {"code":429,"message":...}} with
     * {@code Retry-After: retryAfterSeconds} (header omitted when negative).
     */
    public synchronized Faults rateLimitNext(int count, int retryAfterSeconds) {
        this.rateLimited = count;
        this.retryAfterSeconds = retryAfterSeconds;
        return this;
    }

    /** The next {@code count} REST calls answer 503 {@code {"code":503,"message":...}}. */
    public synchronized Faults serviceUnavailableNext(int count) {
        this.unavailable = count;
        return this;
    }

    /**
     * The next {@code process.Process/Start} stream is closed abruptly (TCP close, no
     * end-of-stream) after {@code frames} frames (the {@code start} frame counts). The process
     * keeps running and can be re-attached with {@code Connect}.
     */
    public synchronized Faults cutStreamAfterFrames(int frames) {
        return cutStreamAfterFrames(frames, null);
    }

    /**
     * Like {@link #cutStreamAfterFrames(int)}, for the next Start whose command line (cmd and args joined by
     * spaces) contains {@code text}; other Starts pass untouched. Lets a test cut one particular command of a run.
     */
    public synchronized Faults cutStreamAfterFrames(int frames, String text) {
        this.cutAfterFrames = frames;
        this.cutOnlyIfCommandHas = text;
        return this;
    }

    /** Forces the sandbox's {@code endAt} to now + {@code in}; it then expires like any other. */
    public Faults expireSandboxIn(String sandboxId, Duration in) {
        fake.forceEndAt(Objects.requireNonNull(sandboxId), Objects.requireNonNull(in));
        return this;
    }

    /**
     * An account that holds at most {@code count} live sandboxes (0 = no limit): a create beyond it answers 429
     * without Retry-After, as E2B refuses a team's concurrency limit.
     */
    public synchronized Faults limitConcurrentSandboxes(int count) {
        this.concurrentSandboxes = count;
        return this;
    }

    /** How many creates the concurrency limit refused. */
    public synchronized int limitRefusals() {
        return limitRefusals;
    }

    /** Whether a create now, with {@code live} sandboxes alive, is over the limit; counts a refusal. */
    synchronized boolean overConcurrencyLimit(int live) {
        boolean over = concurrentSandboxes > 0 && live >= concurrentSandboxes;
        if (over) {
            limitRefusals++;
        }
        return over;
    }

    synchronized int concurrencyLimit() {
        return concurrentSandboxes;
    }

    /** Clears every pending fault. */
    public synchronized Faults reset() {
        rateLimited = 0;
        unavailable = 0;
        cutAfterFrames = -1;
        cutOnlyIfCommandHas = null;
        return this;
    }

    /** A REST fault to apply now, consumed: {@code [status, retryAfter]}, or null. */
    synchronized int[] takeRestFault() {
        if (rateLimited > 0) {
            rateLimited--;
            return new int[] {429, retryAfterSeconds};
        }
        if (unavailable > 0) {
            unavailable--;
            return new int[] {503, -1};
        }
        return null;
    }

    /** Frames after which this Start stream is cut, consumed; -1 for none. */
    synchronized int takeCut(String commandLine) {
        if (cutOnlyIfCommandHas != null && !commandLine.contains(cutOnlyIfCommandHas)) {
            return -1;
        }
        int n = cutAfterFrames;
        cutAfterFrames = -1;
        cutOnlyIfCommandHas = null;
        return n;
    }
}
