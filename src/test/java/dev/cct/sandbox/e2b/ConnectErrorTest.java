package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConnectErrorTest {

    private static ConnectError read(String payload) throws ProtocolException {
        return ConnectError.fromEndOfStream(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void successIsNull() throws ProtocolException {
        assertThat(read("{}")).isNull();
        assertThat(read("")).isNull();
        assertThat(read("{\"metadata\":{\"x\":[\"y\"]}}")).isNull();
        assertThat(read("{\"error\":null}")).isNull();
    }

    @Test
    void anErrorKeepsItsCodeAndMessage() throws ProtocolException {
        ConnectError error = read("{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"process timed out\"},\"metadata\":{}}");
        assertThat(error).isEqualTo(new ConnectError(ConnectError.DEADLINE_EXCEEDED, "process timed out"));
        assertThat(error).hasToString("deadline_exceeded: process timed out");
    }

    @Test
    void missingPartsGetDefaults() throws ProtocolException {
        ConnectError error = read("{\"error\":{}}");
        assertThat(error).isEqualTo(new ConnectError("unknown", ""));
        assertThat(error).hasToString("unknown");
    }

    @Test
    void unreadablePayloadIsAProtocolError() {
        assertThatThrownBy(() -> read("{\"error\":")).isInstanceOf(ProtocolException.class);
    }
}
