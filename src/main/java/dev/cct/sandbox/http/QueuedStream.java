package dev.cct.sandbox.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A streaming HTTP call read on OkHttp's thread and handed over through a small bounded queue. The hand-over is
 * what makes the reader interruptible and lets it time out a silent stream: a thread blocked in a socket read
 * notices neither, a thread waiting on a queue notices both. Closing cancels the call; it never stops what the
 * server runs.
 *
 * @param <T> the items one protocol makes of the stream (events, and how it ended)
 */
public final class QueuedStream<T> implements AutoCloseable {
    /** How one protocol turns a call's outcome into items. */
    public interface Protocol<T> {
        /** The connection failed; {@code requestSent} is false when the server provably never saw the request. */
        T failed(IOException cause, boolean requestSent);

        /** Reads a response, refused or not, to its end or until {@code sink} is closed, handing each item on. */
        void read(Response response, Sink<T> sink) throws IOException;
    }

    /** Where a protocol puts its items. */
    public interface Sink<T> {
        void put(T item);

        /** True once the reader closed the stream: stop reading. */
        boolean closed();
    }

    private final BlockingQueue<T> queue;
    private final Call call;
    private final SendTrackingBody body;
    private volatile boolean closed;

    private QueuedStream(OkHttpClient client, Request request, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.body = request.body() == null ? null : new SendTrackingBody(request.body());
        this.call = client.newCall(body == null ? request : request.newBuilder().method(request.method(), body).build());
    }

    /** Sends the request; the response is read as it comes, {@code capacity} items ahead of the reader at most. */
    public static <T> QueuedStream<T> open(OkHttpClient client, Request request, int capacity, Protocol<T> protocol) {
        QueuedStream<T> stream = new QueuedStream<>(client, request, capacity);
        stream.call.enqueue(stream.new Pump(protocol));
        return stream;
    }

    /** Waits for the next item. */
    public T take() throws InterruptedException {
        return queue.take();
    }

    /** Waits at most {@code wait} for the next item; null when none came in time. */
    public T poll(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading and releases the connection. */
    @Override
    public void close() {
        closed = true;
        call.cancel();
        queue.clear();
    }

    private void put(T item) {
        try {
            // Bounded: a reader that stopped listening (closed) must not keep OkHttp's thread forever.
            while (!closed) {
                if (queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Pump implements Callback, Sink<T> {
        private final Protocol<T> protocol;

        Pump(Protocol<T> protocol) {
            this.protocol = protocol;
        }

        @Override
        public void onFailure(Call failed, IOException e) {
            put(protocol.failed(e, body == null || body.sendStarted()));
        }

        @Override
        public void onResponse(Call answered, Response response) {
            try (response) {
                protocol.read(response, this);
            } catch (IOException e) {
                put(protocol.failed(e, true));
            }
        }

        @Override
        public void put(T item) {
            QueuedStream.this.put(item);
        }

        @Override
        public boolean closed() {
            return closed;
        }
    }
}
