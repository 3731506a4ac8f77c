package dev.cct.testing.e2b;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A streaming response body for the JDK HTTP client that hands the reader every byte that arrived before the
 * connection broke, then the break. The JDK's own {@code ofInputStream()} drops what it had queued as soon as the
 * error arrives, so a test of a cut stream would race the client's reader against its network thread.
 */
final class WholeBodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final ArrayDeque<ByteBuffer> current = new ArrayDeque<>();
    private Flow.Subscription subscription;
    private Throwable failure;
    private boolean ended;

    static HttpResponse.BodyHandler<InputStream> handler() {
        return info -> new WholeBodyStream();
    }

    /** The stream is the body, readable at once, as with {@code ofInputStream()}. */
    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrived.add(throwable);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current.isEmpty() || !current.peek().hasRemaining()) {
            if (!current.isEmpty()) {
                current.poll();
                continue;
            }
            if (failure != null) {
                throw new IOException("the stream broke", failure);
            }
            if (ended) {
                return -1;
            }
            Object next;
            try {
                next = arrived.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable t) {
                failure = t;
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) next;
                current.addAll(buffers);
            }
        }
        ByteBuffer head = current.peek();
        int n = Math.min(length, head.remaining());
        head.get(buffer, offset, n);
        return n;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
