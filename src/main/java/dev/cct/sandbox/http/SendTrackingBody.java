package dev.cct.sandbox.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Remembers whether OkHttp began writing a request body. Until it did, the server has at most an incomplete
 * request head and cannot have acted on it, so even a call that must not run twice (creating a sandbox, starting
 * a process, an upload) may be sent again after a connection failure.
 */
public final class SendTrackingBody extends RequestBody {
    private final RequestBody delegate;
    private final AtomicBoolean started = new AtomicBoolean();

    public SendTrackingBody(RequestBody delegate) {
        this.delegate = delegate;
    }

    public boolean sendStarted() {
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
