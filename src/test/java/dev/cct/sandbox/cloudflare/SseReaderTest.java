package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

    /** Hands out at most {@code chunk} bytes per read, so that lines and characters are split anywhere. */
    private static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<SseEvent> readAll(String wire, int chunk) throws IOException {
        SseReader reader = new SseReader(chunked(wire.getBytes(StandardCharsets.UTF_8), chunk));
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 4096})
    void theWorkersFramesParseTheSameHoweverTheReadsCutThem(int chunk) throws IOException {
        String wire = "id: 0\nevent: start\ndata: {\"execId\":\"exec-1\",\"pid\":7}\n\n"
                + "id: 1\nevent: stdout\ndata: {\"seq\":1,\"data\":\"aGk=\"}\n\n"
                + "id: 1\nevent: heartbeat\ndata: {}\n\n"
                + "id: 2\nevent: exit\ndata: {\"seq\":2,\"exitCode\":0}\n\n";
        assertThat(readAll(wire, chunk)).containsExactly(
                new SseEvent("0", "start", "{\"execId\":\"exec-1\",\"pid\":7}"),
                new SseEvent("1", "stdout", "{\"seq\":1,\"data\":\"aGk=\"}"),
                new SseEvent("1", "heartbeat", "{}"),
                new SseEvent("2", "exit", "{\"seq\":2,\"exitCode\":0}"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 4096})
    void crlfAndLoneCrEndLinesToo(int chunk) throws IOException {
        assertThat(readAll("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r", chunk))
                .containsExactly(new SseEvent("", "a", "1"), new SseEvent("", "b", "2"));
    }

    @Test
    void aCrAtTheEndOfOneReadAndItsLfAtTheStartOfTheNextAreOneLineEnd() throws IOException {
        // chunk 9 splits "data: 1\r" | "\n\r\n": the LF must not count as an empty line of its own.
        assertThat(readAll("data: 1\r\n\r\ndata: 2\r\n\r\n", 8))
                .containsExactly(new SseEvent("", "message", "1"), new SseEvent("", "message", "2"));
    }

    @Test
    void severalDataLinesJoinWithNewlinesAndEventDefaultsToMessage() throws IOException {
        assertThat(readAll("data: first\ndata:second\ndata\ndata:  indented\n\n", 3))
                .containsExactly(new SseEvent("", "message", "first\nsecond\n\n indented"));
    }

    @Test
    void commentsRetryAndUnknownFieldsAreIgnored() throws IOException {
        assertThat(readAll(": keep-alive\nretry: 3000\nfoo: bar\nevent: x\n: more\ndata: y\n\n", 4))
                .containsExactly(new SseEvent("", "x", "y"));
    }

    @Test
    void theLastIdIsRememberedAcrossEventsAndAnIdWithNulIsIgnored() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(
                "id: 5\ndata: a\n\ndata: b\n\nid: 6\u0000\ndata: c\n\nid\ndata: d\n\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(reader.next()).isEqualTo(new SseEvent("5", "message", "a"));
        assertThat(reader.next()).isEqualTo(new SseEvent("5", "message", "b"));
        assertThat(reader.next()).isEqualTo(new SseEvent("5", "message", "c"));
        assertThat(reader.next()).isEqualTo(new SseEvent("", "message", "d"));
        assertThat(reader.lastEventId()).isEmpty();
        assertThat(reader.next()).isNull();
    }

    @Test
    void aBlankLineWithoutDataDispatchesNothingAndResetsTheEventName() throws IOException {
        assertThat(readAll("event: lost\n\ndata: kept\n\n", 2)).containsExactly(new SseEvent("", "message", "kept"));
    }

    @Test
    void anEventTheStreamCutBeforeItsBlankLineIsDroppedNotHalfDelivered() throws IOException {
        assertThat(readAll("event: stdout\ndata: {\"seq\":1}\n\nevent: stdout\ndata: {\"seq\":2}\n", 5))
                .containsExactly(new SseEvent("", "stdout", "{\"seq\":1}"));
        assertThat(readAll("id: 9\nevent: std", 1)).isEmpty();
    }

    @Test
    void aByteOrderMarkAtTheStartIsNotPartOfTheFirstField() throws IOException {
        assertThat(readAll("\uFEFFevent: a\ndata: 1\n\n", 1)).containsExactly(new SseEvent("", "a", "1"));
    }

    @Test
    void multiByteCharactersSplitAcrossReadsDecodeWhole() throws IOException {
        assertThat(readAll("data: é✓€\n\n", 1)).containsExactly(new SseEvent("", "message", "é✓€"));
    }

    @Test
    void anAbsurdlyLongLineIsAnErrorNotAnOutOfMemory() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertThatThrownBy(() -> new SseReader(endless).next()).isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }
}
