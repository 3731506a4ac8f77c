package dev.cct.sandbox.e2b;

import dev.cct.sandbox.http.CallRules;
import dev.cct.sandbox.http.CallRules.Retry;
import dev.cct.sandbox.http.RetryPolicy;
import java.time.Duration;

/** E2B's part of the shared retry rules ({@code dev.cct.sandbox.http.HttpCalls}): how patient, and what refusals mean. */
final class E2bRetries {
    static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60));

    /** The REST API, where a 502 is an ordinary transient fault. */
    static final CallRules<ApiError> REST = new CallRules<>(ApiError::read, error -> retry(error, false));

    /** envd behind the edge proxy, whose 502 means the sandbox no longer exists: retrying cannot help. */
    static final CallRules<ApiError> ENVD = new CallRules<>(ApiError::read, error -> retry(error, true));

    private E2bRetries() {
    }

    static Retry retry(ApiError error, boolean badGatewayMeansGone) {
        int status = error.httpStatus();
        if (status == 429) {
            // E2B's rate limit names a Retry-After; without one, a refused create is a concurrency limit, which
            // waiting a few seconds will not lift.
            return Retry.BUSY;
        }
        boolean serverFault = status >= 500 && status != 501;
        boolean gone = badGatewayMeansGone && error.sandboxGone();
        return serverFault && !gone ? Retry.TRANSIENT : Retry.NEVER;
    }
}
