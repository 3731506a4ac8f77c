package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecEventTest {

    private static ExecEvent parse(String id, String name, String data) throws IOException {
        return ExecEvent.parse(new SseEvent(id, name, data));
    }

    @Test
    void everyKindOfTheContractMapsToItsEvent() throws IOException {
        assertThat(parse("0", "start", "{\"execId\":\"exec-12345678\",\"pid\":42}"))
                .isEqualTo(new ExecEvent.Start("exec-12345678", 42));
        ExecEvent.Output out = (ExecEvent.Output) parse("3", "stdout", "{\"seq\":3,\"data\":\"AP/+\"}");
        assertThat(out.seq()).isEqualTo(3);
        assertThat(out.stderr()).isFalse();
        assertThat(out.data()).containsExactly(0x00, 0xff, 0xfe);
        ExecEvent.Output err = (ExecEvent.Output) parse("4", "stderr", "{\"seq\":4,\"data\":\"" + b64("oops") + "\"}");
        assertThat(err.stderr()).isTrue();
        assertThat(new String(err.data(), StandardCharsets.UTF_8)).isEqualTo("oops");
        assertThat(parse("4", "heartbeat", "{}")).isInstanceOf(ExecEvent.Heartbeat.class);
        assertThat(parse("5", "exit", "{\"seq\":5,\"exitCode\":124}")).isEqualTo(new ExecEvent.Exit(5, 124));
        assertThat(parse("6", "error", "{\"seq\":6,\"code\":\"unavailable\",\"message\":\"container crashed\"}"))
                .isEqualTo(new ExecEvent.Failure(6, "unavailable", "container crashed"));
        assertThat(parse("6", "progress", "{}")).isEqualTo(new ExecEvent.Unknown("progress"));
    }

    @Test
    void theSeqComesFromTheIdLineWhenTheDataLacksIt() throws IOException {
        assertThat(((ExecEvent.Output) parse("17", "stdout", "{\"data\":\"\"}")).seq()).isEqualTo(17);
    }

    @Test
    void malformedPayloadsOfKnownEventsAreProtocolErrors() {
        assertThatThrownBy(() -> parse("1", "stdout", "not json")).isInstanceOf(IOException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("1", "stdout", "[1]")).isInstanceOf(IOException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("1", "stdout", "{\"seq\":1,\"data\":\"***\"}")).hasMessageContaining("base64");
        assertThatThrownBy(() -> parse("", "stdout", "{\"data\":\"\"}")).hasMessageContaining("without a seq");
        assertThatThrownBy(() -> parse("0", "start", "{\"pid\":1}")).hasMessageContaining("without execId");
        assertThatThrownBy(() -> parse("2", "exit", "{\"seq\":2}")).hasMessageContaining("without an exitCode");
    }

    private static String b64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
