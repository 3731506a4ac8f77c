package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.RetryPolicy;
import java.time.Duration;

/**
 * How patiently commands are followed.
 *
 * @param idleTimeout   silence (no event, not even a heartbeat) after which a stream counts as dead; the Worker
 *                      sends a heartbeat at least every 20 s, so the default of 60 s is three missed ones
 * @param reattach      tries and waits when re-attaching to a lost stream
 * @param deadlineGrace added to a command's timeout for the Worker-side kill. The orchestrator owns the run's
 *                      deadline: it stops Claude gently and brings files back. The Worker's kill is the backstop
 *                      for a cct that died, so it comes a little later.
 */
record StreamTuning(Duration idleTimeout, RetryPolicy reattach, Duration deadlineGrace) {
    static final StreamTuning DEFAULT = new StreamTuning(Duration.ofSeconds(60), WorkerRetries.REATTACH, Duration.ofSeconds(5));
}
