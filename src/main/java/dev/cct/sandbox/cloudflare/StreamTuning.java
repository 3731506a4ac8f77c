package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.RetryPolicy;
import java.time.Duration;

/**
 * How patiently commands are followed.
 *
 * @param idleTimeout   silence (no event, not even a heartbeat) after which a stream counts as dead; the Worker
 *                      sends a heartbeat at least every 20 s, so the default of 60 s is three missed ones
 * @param reattach      tries and waits when re-attaching to a lost stream
 */
record StreamTuning(Duration idleTimeout, RetryPolicy reattach) {
    static final StreamTuning DEFAULT = new StreamTuning(Duration.ofSeconds(60), WorkerRetries.REATTACH);
}
