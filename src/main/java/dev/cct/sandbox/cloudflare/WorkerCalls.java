package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.NotSentException;
import dev.cct.sandbox.http.SendTrackingBody;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one request to the Worker with the retry rules that keep a run safe, and hands back a successful response
 * (the caller closes it).
 *
 * <ul>
 *   <li>{@link Safety#IDEMPOTENT} (health, list, status, download, delete): connection failures and 5xx are retried
 *       with capped backoff.</li>
 *   <li>{@link Safety#ONCE} (create, exec, upload): retried only when the connection failed before any of the body
 *       was written, so the Worker provably never acted; a refusal is never retried.</li>
 * </ul>
 * A blocked call is cancelled when the calling thread is interrupted, so Ctrl-C is never stuck behind a socket.
 */
final class WorkerCalls {
    enum Safety { IDEMPOTENT, ONCE }

    private final OkHttpClient client;
    /**
     * For calls that must not run twice: without OkHttp's silent retry (it may resend a request already written), and
     * always on a fresh connection. A pooled keep-alive connection may have been closed by the other end meanwhile;
     * a write into it fails only after the body "left", which would make a harmless failure look ambiguous.
     */
    private final OkHttpClient noSilentRetry;
    private final Backoff backoff;

    WorkerCalls(OkHttpClient client, Backoff backoff) {
        this.client = client;
        this.noSilentRetry = freshConnections(client);
        this.backoff = backoff;
    }

    OkHttpClient client() {
        return client;
    }

    /** A client that never resends on its own and never reuses a connection. */
    static OkHttpClient freshConnections(OkHttpClient client) {
        return client.newBuilder().retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    /**
     * @throws NotSentException      the connection failed before the request went out (after any retries)
     * @throws IOException           the connection failed after the request may have been acted on
     * @throws WorkerCallException   the Worker refused the request
     * @throws InterruptedException  the calling thread was interrupted; the call was cancelled
     */
    Response execute(Request request, Safety safety) throws IOException, WorkerCallException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            SendTrackingBody body = request.body() == null ? null : new SendTrackingBody(request.body());
            Request tracked = body == null ? request : request.newBuilder().method(request.method(), body).build();
            Response response;
            try {
                response = send((safety == Safety.IDEMPOTENT ? client : noSilentRetry).newCall(tracked));
            } catch (IOException e) {
                boolean sent = body != null && body.sendStarted();
                boolean replayable = body == null || !body.isOneShot();
                boolean mayRetry = safety == Safety.IDEMPOTENT ? replayable || !sent : !sent;
                if (attempt < backoff.maxAttempts() && mayRetry) {
                    backoff.sleep(attempt);
                    continue;
                }
                throw sent ? e : new NotSentException(e);
            }
            if (response.isSuccessful()) {
                return response;
            }
            WorkerError error = WorkerError.read(response);
            boolean replayable = body == null || !body.isOneShot();
            if (safety == Safety.IDEMPOTENT && error.serverFault() && replayable && attempt < backoff.maxAttempts()) {
                backoff.sleep(attempt);
                continue;
            }
            throw new WorkerCallException(error);
        }
    }

    /**
     * Runs a call and waits for its response interruptibly: OkHttp's blocking execute sits in a socket read that
     * ignores interrupts, so the call runs on OkHttp's dispatcher and an interrupt here cancels it.
     */
    static Response send(Call call) throws IOException, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before calling the Worker");
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
