package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.http.QueuedStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One exec event stream (the POST that starts a command, or a re-attach), read as it comes through a
 * {@link QueuedStream}, so that the reader stays interruptible and can time out a silent stream.
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

    private final QueuedStream<Item> stream;
    private volatile Runnable onClose = () -> { };

    private EventStream(QueuedStream<Item> stream) {
        this.stream = stream;
    }

    /** Sends the request; events are read as they come. */
    static EventStream open(OkHttpClient client, Request request) {
        return new EventStream(QueuedStream.open(client, request, 256, new ServerSentEvents()));
    }

    /** The next item, or null when nothing at all (not even a heartbeat) arrived within {@code idle}. */
    Item next(Duration idle) throws InterruptedException {
        return stream.poll(idle);
    }

    /** Stops reading and releases the connection. The command goes on: the Worker keeps it running. */
    @Override
    public void close() {
        stream.close();
        onClose.run();
    }

    /** Runs {@code action} when the stream is closed (the owner's bookkeeping). */
    void onClose(Runnable action) {
        onClose = action;
    }

    /** The Worker's exec events over Server-Sent Events. */
    private static final class ServerSentEvents implements QueuedStream.Protocol<Item> {
        @Override
        public Item failed(IOException cause, boolean requestSent) {
            return new Cut(cause, requestSent);
        }

        @Override
        public void read(Response response, QueuedStream.Sink<Item> sink) throws IOException {
            if (!response.isSuccessful()) {
                sink.put(new Refused(WorkerError.read(response)));
                return;
            }
            try (InputStream in = response.body().byteStream()) {
                SseReader reader = new SseReader(in);
                for (SseEvent event = reader.next(); !sink.closed(); event = reader.next()) {
                    if (event == null) {
                        sink.put(new Ended());
                        return;
                    }
                    sink.put(new Event(ExecEvent.parse(event)));
                }
            }
        }
    }
}
