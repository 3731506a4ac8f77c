package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.Base64;

/**
 * One message of envd's process stream ({@code Start} or {@code Connect}), read as proto3 JSON: zero values are
 * absent (exit code 0, exited false), bytes are base64, unknown fields are ignored.
 */
sealed interface ProcessEvent {
    byte[] NONE = new byte[0];

    record Started(int pid) implements ProcessEvent {
    }

    /** A chunk of output; either array may be empty. Bytes exactly as the process wrote them. */
    record Output(byte[] stdout, byte[] stderr) implements ProcessEvent {
    }

    record Keepalive() implements ProcessEvent {
    }

    record Ended(int exitCode, boolean exited, String status, String error) implements ProcessEvent {
    }

    /** A kind of event this client does not know; newer envd versions may add some. */
    record Unknown() implements ProcessEvent {
    }

    static ProcessEvent parse(byte[] payload) throws ProtocolException {
        JsonNode event;
        try {
            JsonNode root = Json.mapper().readTree(payload);
            event = root == null ? null : root.get("event");
        } catch (IOException e) {
            throw new ProtocolException("unreadable process event");
        }
        if (event == null || !event.isObject()) {
            throw new ProtocolException("process message without an event");
        }
        if (event.has("start")) {
            return new Started(event.get("start").path("pid").asInt(0));
        }
        if (event.has("data")) {
            JsonNode data = event.get("data");
            // A pty's output is the terminal's combined stream: stdout is the nearest fit.
            byte[] pty = bytes(data, "pty");
            byte[] stdout = bytes(data, "stdout");
            return new Output(pty.length > 0 && stdout.length == 0 ? pty : stdout, bytes(data, "stderr"));
        }
        if (event.has("end")) {
            JsonNode end = event.get("end");
            JsonNode error = end.get("error");
            return new Ended(end.path("exitCode").asInt(0), end.path("exited").asBoolean(false), end.path("status").asText(""),
                    error == null || error.isNull() ? null : error.asText());
        }
        if (event.has("keepalive")) {
            return new Keepalive();
        }
        return new Unknown();
    }

    private static byte[] bytes(JsonNode parent, String field) throws ProtocolException {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return NONE;
        }
        String text = value.asText();
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                // proto3 JSON readers accept the URL-safe alphabet too.
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException again) {
                throw new ProtocolException("process output that is not base64");
            }
        }
    }
}
