package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Returns at most {@code max} bytes per read, the sizes drawn from a seeded random source (max 1: byte by byte). */
    private static InputStream trickle(byte[] data, int max, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(max)));
            }
        };
    }

    private static List<Envelope> readAll(InputStream in) throws IOException {
        EnvelopeReader reader = new EnvelopeReader(in);
        List<Envelope> frames = new ArrayList<>();
        for (Envelope e = reader.next(); e != null; e = reader.next()) {
            frames.add(e);
        }
        return frames;
    }

    @Test
    void encodesFlagsThenBigEndianLengthThenPayload() {
        assertThat(Envelope.message(utf8("{}")).encode()).containsExactly(0x00, 0x00, 0x00, 0x00, 0x02, '{', '}');
        byte[] big = new byte[0x010203];
        Arrays.fill(big, (byte) 'x');
        byte[] frame = Envelope.message(big).encode();
        assertThat(Arrays.copyOf(frame, 5)).containsExactly(0x00, 0x00, 0x01, 0x02, 0x03);
        assertThat(frame).hasSize(5 + 0x010203);
        assertThat(new Envelope(Envelope.END_OF_STREAM, new byte[0]).encode()).containsExactly(0x02, 0, 0, 0, 0);
    }

    @Test
    void readsAnExactFrameAndSeesTheEndOfStreamFlag() throws IOException {
        byte[] wire = {0x00, 0, 0, 0, 3, 'a', 'b', 'c', 0x02, 0, 0, 0, 2, '{', '}'};
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(wire));
        Envelope first = reader.next();
        assertThat(first.flags()).isZero();
        assertThat(first.endOfStream()).isFalse();
        assertThat(first.payload()).containsExactly('a', 'b', 'c');
        Envelope last = reader.next();
        assertThat(last.endOfStream()).isTrue();
        assertThat(last.payload()).isEqualTo(utf8("{}"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void framesSurviveOneByteReads() throws IOException {
        byte[] wire = concat(Envelope.message(utf8("{\"event\":{\"start\":{\"pid\":1}}}")).encode(),
                Envelope.message(new byte[0]).encode(), new Envelope(Envelope.END_OF_STREAM, utf8("{}")).encode());
        List<Envelope> frames = readAll(trickle(wire, 1, 0));
        assertThat(frames).hasSize(3);
        assertThat(new String(frames.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"event\":{\"start\":{\"pid\":1}}}");
        assertThat(frames.get(1).payload()).isEmpty();
        assertThat(frames.get(2).endOfStream()).isTrue();
    }

    @Test
    void framesSurviveRandomSplits() throws IOException {
        Random random = new Random(42);
        List<byte[]> payloads = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            byte[] payload = new byte[random.nextInt(3000)];
            random.nextBytes(payload);
            payloads.add(payload);
            wire.writeBytes(Envelope.message(payload).encode());
        }
        for (long seed = 0; seed < 5; seed++) {
            List<Envelope> frames = readAll(trickle(wire.toByteArray(), 700, seed));
            assertThat(frames).hasSize(payloads.size());
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).payload()).isEqualTo(payloads.get(i));
            }
        }
    }

    @Test
    void cleanEndBetweenFramesIsNull() throws IOException {
        assertThat(new EnvelopeReader(InputStream.nullInputStream()).next()).isNull();
    }

    @Test
    void endInsideTheHeaderOrThePayloadIsEof() {
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(new byte[] {0, 0, 0})).next())
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new EnvelopeReader(trickle(new byte[] {0, 0, 0, 0, 5, 'a', 'b'}, 1, 0)).next())
                .isInstanceOf(EOFException.class).hasMessageContaining("2 of 5");
    }

    @Test
    void compressedFramesAreRefused() {
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(new byte[] {0x01, 0, 0, 0, 1, 'x'})).next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("compressed");
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(new byte[] {0x03, 0, 0, 0, 0})).next())
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizeLengthsAreRefusedBeforeAllocating() {
        int over = EnvelopeReader.MAX_PAYLOAD + 1;
        byte[] header = {0, (byte) (over >>> 24), (byte) (over >>> 16), (byte) (over >>> 8), (byte) over};
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(header)).next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining(Integer.toString(over));
        byte[] negative = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(negative)).next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("4294967295");
    }

    @Test
    void theLargestAllowedLengthIsAcceptedThenReadInFull() {
        int max = EnvelopeReader.MAX_PAYLOAD;
        byte[] header = {0, (byte) (max >>> 24), (byte) (max >>> 16), (byte) (max >>> 8), (byte) max};
        // Not a ProtocolException: the length is allowed, the payload simply is not there.
        assertThatThrownBy(() -> new EnvelopeReader(new ByteArrayInputStream(header)).next()).isInstanceOf(EOFException.class);
    }
}
