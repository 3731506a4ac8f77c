package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.CallRules;
import dev.cct.sandbox.http.CallRules.Retry;
import dev.cct.sandbox.http.RetryPolicy;
import java.time.Duration;

/**
 * The Worker's part of the shared retry rules ({@code dev.cct.sandbox.http.HttpCalls}): how patient, and what
 * its refusals mean.
 */
final class WorkerRetries {
    static final RetryPolicy CALLS = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(4));
    /** Re-attaching to a command's stream: more patience, since a lost command is a lost run. */
    static final RetryPolicy REATTACH = new RetryPolicy(8, Duration.ofMillis(250), Duration.ofSeconds(8));

    /**
     * Only a server fault is worth another try, and only for an idempotent call. Nothing counts as busy: the
     * contract has no rate limit, so a 429 (from whatever stands in front of the Worker) is final, Retry-After or
     * not. A gone sandbox is a 404, final like every 4xx.
     */
    static final CallRules<WorkerError> RULES = new CallRules<>(WorkerError::read,
            error -> error.serverFault() ? Retry.TRANSIENT : Retry.NEVER);

    private WorkerRetries() {
    }
}
