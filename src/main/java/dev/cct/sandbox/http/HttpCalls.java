package dev.cct.sandbox.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one HTTP request with the retry rules that keep a run safe, and hands back a successful response (the
 * caller closes it). Both cloud providers use it; what their servers' refusals mean comes from their
 * {@link CallRules}, how patient to be from a {@link RetryPolicy}.
 *
 * <ul>
 *   <li>{@link Safety#IDEMPOTENT} calls (get, list, status, kill, delete, downloads): connection failures and the
 *       refusals the rules call transient or busy are retried, after the server's {@code Retry-After} or a capped
 *       exponential backoff.</li>
 *   <li>{@link Safety#ONCE} calls (create, process start, upload): sent again only when the connection failed
 *       before any of the body was written, so the server provably never acted, or on a refusal the rules call
 *       busy that names a {@code Retry-After} (the server refused it, so nothing happened).</li>
 *   <li>A body that can be sent only once (a stream) is never sent twice, whatever the call.</li>
 *   <li>A {@code Retry-After} longer than the policy allows is not waited for: the refusal is reported.</li>
 * </ul>
 * A blocked call is cancelled when the calling thread is interrupted, so Ctrl-C is never stuck behind a socket.
 *
 * @param <E> the provider's reading of a refusal
 */
public final class HttpCalls<E extends Refusal> {
    public enum Safety { IDEMPOTENT, ONCE }

    private final OkHttpClient client;
    private final OkHttpClient once;
    private final CallRules<E> rules;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;

    public HttpCalls(OkHttpClient client, CallRules<E> rules, RetryPolicy policy) {
        this(client, rules, policy, Sleeper.REAL, Clock.systemUTC());
    }

    /** @param clock reads {@code Retry-After} dates */
    public HttpCalls(OkHttpClient client, CallRules<E> rules, RetryPolicy policy, Sleeper sleeper, Clock clock) {
        this.client = client;
        this.once = onceOnly(client);
        this.rules = rules;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * {@code client} for calls that must not run twice, streams included. Without OkHttp's own resending: after a
     * failed connection it may send a request that was already written once more, and it resends one answered
     * 503 with "Retry-After: 0". And always on a fresh connection: a pooled keep-alive connection may have been
     * closed by the other end meanwhile, and a write into it fails only after the body "left", which would make a
     * harmless failure look ambiguous.
     */
    public static OkHttpClient onceOnly(OkHttpClient client) {
        return client.newBuilder().retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .addNetworkInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    return response.code() == 503 ? response.newBuilder().removeHeader("Retry-After").build() : response;
                }).build();
    }

    /**
     * A dispatcher for a provider's clients. Every call runs on it (that is what makes calls interruptible) and
     * every stream holds a slot for as long as it runs: OkHttp's default of five per host would queue a call
     * behind a few long streams.
     */
    public static Dispatcher dispatcher() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(64);
        dispatcher.setMaxRequestsPerHost(32);
        return dispatcher;
    }

    /**
     * @throws NotSentException     the connection failed before the request went out (after any retries)
     * @throws IOException          the connection failed after the request may have been acted on
     * @throws CallException        the server refused the request
     * @throws InterruptedException the calling thread was interrupted; the call was cancelled
     */
    public Response execute(Request request, Safety safety) throws IOException, CallException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            SendTrackingBody body = request.body() == null ? null : new SendTrackingBody(request.body());
            Request tracked = body == null ? request : request.newBuilder().method(request.method(), body).build();
            boolean replayable = body == null || !body.isOneShot();
            boolean more = attempt < policy.maxAttempts();
            Response response;
            try {
                response = send((safety == Safety.IDEMPOTENT ? client : once).newCall(tracked));
            } catch (IOException e) {
                boolean sent = body != null && body.sendStarted();
                boolean mayRetry = safety == Safety.IDEMPOTENT ? replayable || !sent : !sent;
                if (more && mayRetry) {
                    sleeper.sleep(policy.backoff(attempt));
                    continue;
                }
                // Without a body there is nothing to tell how far the request got.
                throw sent || body == null ? e : new NotSentException(e);
            }
            if (response.isSuccessful()) {
                return response;
            }
            String retryAfterHeader = response.header("Retry-After");
            E error = rules.reader().apply(response);
            Optional<Duration> wait = more && replayable ? retryDelay(error, retryAfterHeader, safety, attempt) : Optional.empty();
            if (wait.isEmpty()) {
                throw new CallException(error);
            }
            sleeper.sleep(wait.get());
        }
    }

    private Optional<Duration> retryDelay(E error, String retryAfterHeader, Safety safety, int attempt) {
        Optional<Duration> retryAfter = RetryAfter.parse(retryAfterHeader, clock);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.longestRetryAfter()) > 0) {
            return Optional.empty();
        }
        CallRules.Retry retry = rules.retry().apply(error);
        if (retry == CallRules.Retry.BUSY && retryAfter.isPresent()) {
            return retryAfter;
        }
        if (safety == Safety.IDEMPOTENT && retry != CallRules.Retry.NEVER) {
            return Optional.of(retryAfter.orElse(policy.backoff(attempt)));
        }
        return Optional.empty();
    }

    /**
     * Runs a call and waits for its response interruptibly: OkHttp's blocking execute sits in a socket read that
     * ignores interrupts, so the call runs on OkHttp's dispatcher and an interrupt here cancels it.
     */
    static Response send(Call call) throws IOException, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before the call");
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                result.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call answered, Response response) {
                if (!result.complete(response)) {
                    response.close();
                }
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            call.cancel();
            result.thenAccept(Response::close);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
