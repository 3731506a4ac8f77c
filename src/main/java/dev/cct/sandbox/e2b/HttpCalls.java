package dev.cct.sandbox.e2b;

import dev.cct.sandbox.http.NotSentException;
import dev.cct.sandbox.http.SendTrackingBody;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one HTTP request with E2B's retry rules and hands back a successful response (the caller closes it).
 *
 * <ul>
 *   <li>Idempotent calls (get, list, kill, set-timeout, file reads): connection failures and 5xx are retried
 *       with capped exponential backoff; a 429 waits for its Retry-After (or backs off without one).</li>
 *   <li>Calls that must not run twice (create, process start, upload): retried only when the connection failed
 *       before the body was sent, or on a 429 that names a Retry-After (the server refused it, so nothing
 *       happened) when the body can be sent again.</li>
 * </ul>
 */
final class HttpCalls {
    enum Safety { IDEMPOTENT, NOT_IDEMPOTENT }

    private final OkHttpClient client;
    /** Without OkHttp's own silent retry, which may resend a request that was already written. */
    private final OkHttpClient noSilentRetry;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final boolean badGatewayMeansGone;

    /**
     * @param badGatewayMeansGone true for envd, where the proxy's 502 means the sandbox no longer exists (retrying
     *                            cannot help); false for the REST API, where a 502 is an ordinary transient fault
     */
    HttpCalls(OkHttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, boolean badGatewayMeansGone) {
        this.client = client;
        this.noSilentRetry = withoutSilentRetry(client);
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.badGatewayMeansGone = badGatewayMeansGone;
    }

    /**
     * {@code client} without any of OkHttp's own resending: after a failed connection it may send a request that was
     * already written once more, and it resends one answered 503 with "Retry-After: 0". For calls that must not
     * run twice.
     */
    static OkHttpClient withoutSilentRetry(OkHttpClient client) {
        return client.newBuilder().retryOnConnectionFailure(false)
                .addNetworkInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    return response.code() == 503 ? response.newBuilder().removeHeader("Retry-After").build() : response;
                }).build();
    }

    OkHttpClient client() {
        return client;
    }

    /**
     * @throws NotSentException    the connection failed before the request went out (after any retries)
     * @throws IOException         the connection failed after the request may have been acted on
     * @throws E2bCallException    the server refused the request
     */
    Response execute(Request request, Safety safety) throws IOException, E2bCallException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            SendTrackingBody body = request.body() == null ? null : new SendTrackingBody(request.body());
            Request tracked = body == null ? request : request.newBuilder().method(request.method(), body).build();
            boolean replayable = body == null || !body.isOneShot();
            Response response;
            try {
                response = (safety == Safety.IDEMPOTENT ? client : noSilentRetry).newCall(tracked).execute();
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw interrupted(e);
                }
                boolean sent = body != null && body.sendStarted();
                boolean mayRetry = safety == Safety.IDEMPOTENT ? replayable || !sent : !sent;
                if (attempt < policy.maxAttempts() && mayRetry) {
                    sleeper.sleep(policy.backoff(attempt));
                    continue;
                }
                throw sent || body == null ? e : new NotSentException(e);
            }
            if (response.isSuccessful()) {
                return response;
            }
            String retryAfterHeader = response.header("Retry-After");
            ApiError error = ApiError.read(response);
            Optional<Duration> wait = attempt < policy.maxAttempts() && replayable
                    ? retryDelay(error, retryAfterHeader, safety, attempt) : Optional.empty();
            if (wait.isEmpty()) {
                throw new E2bCallException(error);
            }
            sleeper.sleep(wait.get());
        }
    }

    private Optional<Duration> retryDelay(ApiError error, String retryAfterHeader, Safety safety, int attempt) {
        Optional<Duration> retryAfter = RetryAfter.parse(retryAfterHeader, clock);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.longestRetryAfter()) > 0) {
            return Optional.empty();
        }
        int status = error.httpStatus();
        if (status == 429) {
            // Without a Retry-After, a refused create is a concurrency limit: waiting a few seconds will not lift it.
            return retryAfter.isPresent() ? retryAfter : safety == Safety.IDEMPOTENT ? Optional.of(policy.backoff(attempt)) : Optional.empty();
        }
        boolean serverFault = status >= 500 && status != 501;
        boolean gone = badGatewayMeansGone && error.sandboxGone();
        if (safety == Safety.IDEMPOTENT && serverFault && !gone) {
            return Optional.of(retryAfter.orElse(policy.backoff(attempt)));
        }
        return Optional.empty();
    }

    private static InterruptedException interrupted(IOException cause) {
        InterruptedException e = new InterruptedException("interrupted during an E2B call");
        e.initCause(cause);
        return e;
    }
}
