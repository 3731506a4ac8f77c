package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.SendTrackingBody;
import java.io.IOException;
import java.io.InputStream;
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
 * One exec event stream (the POST that starts a command, or a re-attach), read on OkHttp's thread and handed over
 * through a small queue. The hand-over is what makes the reader interruptible and gives it an idle timeout: a
 * thread blocked in a socket read notices neither, a thread waiting on a queue notices both.
 */
final class EventStream implements AutoCloseable {
    /** What the stream produced next. After {@link Ended}, {@link Cut} or {@link Refused} nothing follows. */
    sealed interface Item {
    }

    record Event(ExecEvent event) implements Item {
    }

    /** The stream ended cleanly, which without an exit or error event proves nothing. */
    record Ended() implements Item {
    }

    /** The connection failed; {@code requestSent} is false when the Worker provably never saw the request. */
    record Cut(IOException cause, boolean requestSent) implements Item {
    }

    /** The Worker answered with an HTTP error instead of a stream. */
    record Refused(WorkerError error) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(256);
    private final Call call;
    private final SendTrackingBody body;
    private volatile boolean closed;
    private volatile Runnable onClose = () -> { };

    private EventStream(OkHttpClient client, Request request) {
        this.body = request.body() == null ? null : new SendTrackingBody(request.body());
        this.call = client.newCall(body == null ? request : request.newBuilder().method(request.method(), body).build());
    }

    /** Sends the request; events are read as they come. */
    static EventStream open(OkHttpClient client, Request request) {
        EventStream stream = new EventStream(client, request);
        stream.call.enqueue(stream.new Pump());
        return stream;
    }

    /** The next item, or null when nothing at all (not even a heartbeat) arrived within {@code idle}. */
    Item next(Duration idle) throws InterruptedException {
        return queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading and releases the connection. The command goes on: the Worker keeps it running. */
    @Override
    public void close() {
        closed = true;
        call.cancel();
        queue.clear();
        onClose.run();
    }

    /** Runs {@code action} when the stream is closed (the owner's bookkeeping). */
    void onClose(Runnable action) {
        onClose = action;
    }

    private void put(Item item) {
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

    private final class Pump implements Callback {
        @Override
        public void onFailure(Call failed, IOException e) {
            put(new Cut(e, body == null || body.sendStarted()));
        }

        @Override
        public void onResponse(Call answered, Response response) {
            if (!response.isSuccessful()) {
                put(new Refused(WorkerError.read(response)));
                return;
            }
            try (response; InputStream in = response.body().byteStream()) {
                SseReader reader = new SseReader(in);
                for (SseEvent event = reader.next(); !closed; event = reader.next()) {
                    if (event == null) {
                        put(new Ended());
                        return;
                    }
                    put(new Event(ExecEvent.parse(event)));
                }
            } catch (IOException e) {
                put(new Cut(e, true));
            }
        }
    }
}
