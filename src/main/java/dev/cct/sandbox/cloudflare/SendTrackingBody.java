package dev.cct.sandbox.cloudflare;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Remembers whether OkHttp began writing a request body. Until it did, the Worker has at most an incomplete
 * request head and cannot have acted on it, so even a call that must not run twice (create, exec, upload) may be
 * sent again after a connection failure.
 */
final class SendTrackingBody extends RequestBody {
    private final RequestBody delegate;
    private final AtomicBoolean started = new AtomicBoolean();

    SendTrackingBody(RequestBody delegate) {
        this.delegate = delegate;
    }

    boolean sendStarted() {
        return started.get();
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
        started.set(true);
        delegate.writeTo(sink);
    }
}
