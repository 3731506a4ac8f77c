package dev.cct.sandbox.e2b;

import dev.cct.core.Progress;
import dev.cct.sandbox.SandboxException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a sandbox alive until the run's deadline plus a margin. E2B ends a sandbox at its timeout, and one call may
 * ask for at most an hour (more is refused on the smaller plans), so long runs are extended step by step.
 */
final class Lifetime {
    static final Duration LONGEST_STEP = Duration.ofHours(1);
    static final Duration EXTEND_EVERY = Duration.ofMinutes(10);

    private final Instant until;
    private ScheduledExecutorService timer;

    Lifetime(Instant until) {
        this.until = until;
    }

    /** The timeout to create the sandbox with, in seconds. */
    long firstStepSeconds() {
        return step().toSeconds();
    }

    private Duration step() {
        Duration left = Duration.between(Instant.now(), until);
        Duration step = left.compareTo(LONGEST_STEP) > 0 ? LONGEST_STEP : left;
        return step.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : step;
    }

    /** Starts extending when the first step does not reach the end. */
    synchronized void keep(E2bApi api, String id, Progress progress) {
        if (Duration.between(Instant.now(), until).compareTo(LONGEST_STEP) <= 0 || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cct-e2b-lifetime");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!api.setTimeout(id, step().toSeconds())) {
                    stop();
                }
            } catch (SandboxException e) {
                progress.notice("could not extend the E2B sandbox's lifetime: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, EXTEND_EVERY.toMinutes(), EXTEND_EVERY.toMinutes(), TimeUnit.MINUTES);
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
