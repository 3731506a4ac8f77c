package dev.cct.sandbox.e2b;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/** Reads Connect envelopes off a response body, however the bytes are split across reads. */
final class EnvelopeReader {
    /** envd sends chunks of at most 32 KiB as base64 in JSON; anything near this is not a process event. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private final InputStream in;

    EnvelopeReader(InputStream in) {
        this.in = in;
    }

    /**
     * @return the next frame, or null when the stream ended cleanly between frames (which, without an
     *         end-of-stream frame first, means the stream was cut)
     * @throws EOFException      the stream ended inside a frame
     * @throws ProtocolException a frame cct cannot read (compressed, or absurdly large)
     */
    Envelope next() throws IOException {
        int flags = in.read();
        if (flags < 0) {
            return null;
        }
        byte[] header = readFully(4);
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new ProtocolException("Connect frame of " + Integer.toUnsignedString(length) + " bytes is too large");
        }
        if ((flags & Envelope.COMPRESSED) != 0) {
            throw new ProtocolException("compressed Connect frame, although cct asked for none");
        }
        return new Envelope(flags, readFully(length));
    }

    private byte[] readFully(int length) throws IOException {
        byte[] buffer = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                throw new EOFException("the stream ended inside a Connect frame (" + read + " of " + length + " bytes)");
            }
            read += n;
        }
        return buffer;
    }
}
