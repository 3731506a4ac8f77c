package dev.cct.sandbox.e2b;

import dev.cct.sandbox.http.SendTrackingBody;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A server-streaming Connect call ({@code Start} or {@code Connect}) read on OkHttp's thread and handed over through
 * a small queue. The hand-over is what makes the caller interruptible: a thread blocked in a socket read ignores
 * interrupts, but one waiting on a queue does not, and then {@link #close()} cancels the call.
 */
final class ProcessStream implements AutoCloseable {
    /** What the stream produced next; the last item is always one of the three terminal kinds. */
    sealed interface Item {
    }

    record Event(ProcessEvent event) implements Item {
    }

    /** The end-of-stream frame arrived: {@code error} is null on success. */
    record Finished(ConnectError error) implements Item {
    }

    /** The connection broke, or the stream ended without its end-of-stream frame. */
    record Cut(IOException cause, boolean requestSent) implements Item {
    }

    /** envd or its proxy answered with an HTTP error instead of a stream. */
    record Refused(ApiError error) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(64);
    private final Call call;
    private final SendTrackingBody body;
    private volatile boolean closed;
    private Item peeked;

    private ProcessStream(OkHttpClient client, Request request) {
        this.body = new SendTrackingBody(request.body());
        // Never OkHttp's silent retry: after a reused connection drops, it would send the Start again and envd would
        // run the process twice. Whoever reads a Cut decides what to do, knowing whether the request went out.
        this.call = HttpCalls.withoutSilentRetry(client).newCall(request.newBuilder().post(body).build());
    }

    /** Sends the request; the response is read as it comes. */
    static ProcessStream open(OkHttpClient client, Request request) {
        ProcessStream stream = new ProcessStream(client, request);
        stream.call.enqueue(stream.new Pump());
        return stream;
    }

    /** Waits for the next item. */
    Item next() throws InterruptedException {
        Item item = peek();
        peeked = null;
        return item;
    }

    /** Waits for the next item without taking it (one reader only: the thread that follows the stream). */
    Item peek() throws InterruptedException {
        if (peeked == null) {
            peeked = queue.take();
        }
        return peeked;
    }

    /** Waits at most {@code wait} for the next item; null when none came in time. */
    Item poll(java.time.Duration wait) throws InterruptedException {
        if (peeked != null) {
            return next();
        }
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading and releases the connection. Does not stop the process: envd keeps it running. */
    @Override
    public void close() {
        closed = true;
        call.cancel();
        queue.clear();
    }

    private void put(Item item) {
        try {
            while (!closed) {
                if (queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Pump implements Callback {
        @Override
        public void onFailure(Call call, IOException e) {
            put(new Cut(e, body.sendStarted()));
        }

        @Override
        public void onResponse(Call call, Response response) {
            if (!response.isSuccessful()) {
                put(new Refused(ApiError.read(response)));
                return;
            }
            try (response; InputStream in = response.body().byteStream()) {
                EnvelopeReader reader = new EnvelopeReader(in);
                while (!closed) {
                    Envelope envelope = reader.next();
                    if (envelope == null) {
                        put(new Cut(new EOFException("the stream ended without its end-of-stream frame"), true));
                        return;
                    }
                    if (envelope.endOfStream()) {
                        put(new Finished(ConnectError.fromEndOfStream(envelope.payload())));
                        return;
                    }
                    put(new Event(ProcessEvent.parse(envelope.payload())));
                }
            } catch (IOException e) {
                put(new Cut(e, true));
            }
        }
    }
}
