package dev.cct.sandbox.cloudflare;

import java.io.IOException;
import java.io.InputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/** Streams an InputStream as a request body, once, without holding it in memory (chunked: size unknown). */
final class InputStreamBody extends RequestBody {
    private final InputStream data;
    private final MediaType type;

    InputStreamBody(InputStream data, MediaType type) {
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
        Source source = Okio.source(data); // not closed: the caller owns the stream
        sink.writeAll(source);
    }
}
