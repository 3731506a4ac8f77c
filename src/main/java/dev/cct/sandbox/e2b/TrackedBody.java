package dev.cct.sandbox.e2b;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Remembers whether OkHttp started writing a request body. Until it did, the server cannot have acted on the
 * request (it has at most an incomplete request head), so even a call that is not idempotent, such as creating a
 * sandbox or starting a process, may be sent again after a connection failure.
 */
final class TrackedBody extends RequestBody {
    private final RequestBody delegate;
    private final AtomicBoolean sent = new AtomicBoolean();

    TrackedBody(RequestBody delegate) {
        this.delegate = delegate;
    }

    boolean sendStarted() {
        return sent.get();
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() throws IOException {
        return delegate.contentLength();
    }

    @Override
    public boolean isOneShot() {
        return delegate.isOneShot();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        sent.set(true);
        delegate.writeTo(sink);
    }
}
