package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcessEventTest {

    private static ProcessEvent parse(String json) throws ProtocolException {
        return ProcessEvent.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void start() throws ProtocolException {
        assertThat(parse("{\"event\":{\"start\":{\"pid\":412}}}")).isEqualTo(new ProcessEvent.Started(412));
        // proto3 JSON readers accept numbers written as strings.
        assertThat(parse("{\"event\":{\"start\":{\"pid\":\"413\"}}}")).isEqualTo(new ProcessEvent.Started(413));
    }

    @Test
    void stdoutAndStderrAreDecodedFromBase64() throws ProtocolException {
        ProcessEvent.Output out = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"stdout\":\"aGkK\"}}}");
        assertThat(text(out.stdout())).isEqualTo("hi\n");
        assertThat(out.stderr()).isEmpty();
        ProcessEvent.Output err = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"stderr\":\"ZXJyCg==\"}}}");
        assertThat(err.stdout()).isEmpty();
        assertThat(text(err.stderr())).isEqualTo("err\n");
    }

    @Test
    void ptyOutputCountsAsStdout() throws ProtocolException {
        ProcessEvent.Output out = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"pty\":\"dHR5\"}}}");
        assertThat(text(out.stdout())).isEqualTo("tty");
        assertThat(out.stderr()).isEmpty();
    }

    @Test
    void rawBytesArriveUntouchedIncludingHalfACharacter() throws ProtocolException {
        // "é" is C3 A9: a chunk may end after C3. The event keeps the byte; decoding is the reader's job.
        ProcessEvent.Output out = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"stdout\":\"ww==\"}}}");
        assertThat(out.stdout()).containsExactly(0xc3);
    }

    @Test
    void urlSafeAndUnpaddedBase64AreAccepted() throws ProtocolException {
        // 0xFB 0xFF is "+/8=" in the standard alphabet, "-_8" URL-safe without padding.
        ProcessEvent.Output out = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"stdout\":\"-_8\"}}}");
        assertThat(out.stdout()).containsExactly(0xfb, 0xff);
        ProcessEvent.Output standard = (ProcessEvent.Output) parse("{\"event\":{\"data\":{\"stdout\":\"+/8=\"}}}");
        assertThat(standard.stdout()).containsExactly(0xfb, 0xff);
    }

    @Test
    void badBase64IsAProtocolError() {
        assertThatThrownBy(() -> parse("{\"event\":{\"data\":{\"stdout\":\"not base64!\"}}}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("base64");
    }

    @Test
    void keepalive() throws ProtocolException {
        assertThat(parse("{\"event\":{\"keepalive\":{}}}")).isInstanceOf(ProcessEvent.Keepalive.class);
    }

    @Test
    void exitZeroArrivesWithItsZeroValuesOmitted() throws ProtocolException {
        assertThat(parse("{\"event\":{\"end\":{\"exited\":true,\"status\":\"exit status 0\"}}}"))
                .isEqualTo(new ProcessEvent.Ended(0, true, "exit status 0", null));
    }

    @Test
    void nonZeroExit() throws ProtocolException {
        assertThat(parse("{\"event\":{\"end\":{\"exitCode\":3,\"exited\":true,\"status\":\"exit status 3\",\"error\":\"exit status 3\"}}}"))
                .isEqualTo(new ProcessEvent.Ended(3, true, "exit status 3", "exit status 3"));
    }

    @Test
    void killedBySignal() throws ProtocolException {
        assertThat(parse("{\"event\":{\"end\":{\"exitCode\":-1,\"status\":\"signal: killed\"}}}"))
                .isEqualTo(new ProcessEvent.Ended(-1, false, "signal: killed", null));
    }

    @Test
    void unknownKindsAndFieldsAreIgnored() throws ProtocolException {
        assertThat(parse("{\"event\":{\"resize\":{\"cols\":80}}}")).isInstanceOf(ProcessEvent.Unknown.class);
        assertThat(parse("{\"event\":{}}")).isInstanceOf(ProcessEvent.Unknown.class);
        assertThat(parse("{\"extra\":[1,2],\"event\":{\"start\":{\"pid\":7,\"cmdId\":\"x\",\"new\":{\"a\":1}}}}"))
                .isEqualTo(new ProcessEvent.Started(7));
    }

    @Test
    void aMessageWithoutAnEventIsAProtocolError() {
        for (String bad : new String[] {"{}", "{\"event\":null}", "{\"event\":\"start\"}", "", "[]", "not json", "{\"event\":"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ProtocolException.class);
        }
    }
}
