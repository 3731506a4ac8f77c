package dev.cct.sandbox.e2b;

import java.nio.ByteBuffer;

/**
 * One Connect streaming frame: {@code [flags: 1 byte][length: 4 bytes big-endian][payload]}. Flag 0x02 marks the
 * end-of-stream frame (its payload carries the RPC's outcome); 0x01 marks compression, which cct never asks for.
 */
record Envelope(int flags, byte[] payload) {
    static final int MESSAGE = 0x00;
    static final int COMPRESSED = 0x01;
    static final int END_OF_STREAM = 0x02;
    static final int HEADER_BYTES = 5;

    static Envelope message(byte[] payload) {
        return new Envelope(MESSAGE, payload);
    }

    boolean endOfStream() {
        return (flags & END_OF_STREAM) != 0;
    }

    byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).put((byte) flags).putInt(payload.length).put(payload).array();
    }
}
