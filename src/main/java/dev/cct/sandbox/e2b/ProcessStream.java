package dev.cct.sandbox.e2b;

import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.QueuedStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A server-streaming Connect call ({@code Start} or {@code Connect}), read as it comes through a {@link QueuedStream}
 * so that the caller stays interruptible.
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

    private final QueuedStream<Item> stream;
    private Item peeked;

    private ProcessStream(QueuedStream<Item> stream) {
        this.stream = stream;
    }

    /** Sends the request; the response is read as it comes. */
    static ProcessStream open(OkHttpClient client, Request request) {
        // Never OkHttp's silent retry: after a reused connection drops, it would send the Start again and envd would
        // run the process twice. Whoever reads a Cut decides what to do, knowing whether the request went out.
        return new ProcessStream(QueuedStream.open(HttpCalls.onceOnly(client), request, 64, new ConnectStreaming()));
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
            peeked = stream.take();
        }
        return peeked;
    }

    /** Waits at most {@code wait} for the next item; null when none came in time. */
    Item poll(Duration wait) throws InterruptedException {
        if (peeked != null) {
            return next();
        }
        return stream.poll(wait);
    }

    /** Stops reading and releases the connection. Does not stop the process: envd keeps it running. */
    @Override
    public void close() {
        stream.close();
    }

    /** Connect's server streaming: envelopes, the last one the end-of-stream frame. */
    private static final class ConnectStreaming implements QueuedStream.Protocol<Item> {
        @Override
        public Item failed(IOException cause, boolean requestSent) {
            return new Cut(cause, requestSent);
        }

        @Override
        public void read(Response response, QueuedStream.Sink<Item> sink) throws IOException {
            if (!response.isSuccessful()) {
                sink.put(new Refused(ApiError.read(response)));
                return;
            }
            try (InputStream in = response.body().byteStream()) {
                EnvelopeReader reader = new EnvelopeReader(in);
                while (!sink.closed()) {
                    Envelope envelope = reader.next();
                    if (envelope == null) {
                        sink.put(new Cut(new EOFException("the stream ended without its end-of-stream frame"), true));
                        return;
                    }
                    if (envelope.endOfStream()) {
                        sink.put(new Finished(ConnectError.fromEndOfStream(envelope.payload())));
                        return;
                    }
                    sink.put(new Event(ProcessEvent.parse(envelope.payload())));
                }
            }
        }
    }
}
