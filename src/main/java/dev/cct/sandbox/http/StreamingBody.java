package dev.cct.sandbox.http;

import java.io.IOException;
import java.io.InputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;

/** Streams an InputStream as a request body, once, without holding it in memory (sent chunked: size unknown). */
public final class StreamingBody extends RequestBody {
    private final InputStream data;
    private final MediaType type;

    public StreamingBody(InputStream data, MediaType type) {
        this.data = data;
        this.type = type;
    }

    @Override
    public MediaType contentType() {
        return type;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        // Not closed here: the caller owns the stream.
        sink.writeAll(Okio.source(data));
    }
}
