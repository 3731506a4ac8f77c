package dev.cct.sandbox.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.io.IOException;
import java.util.Base64;

/** The events of an exec stream (CONTRACT.md, "Exec event stream"), decoded from their SSE form. */
sealed interface ExecEvent {

    /** Always first on the stream that started the command; names the exec for re-attaching. */
    record Start(String execId, long pid) implements ExecEvent {
    }

    /** A chunk of stdout or stderr; raw bytes that may split UTF-8 characters. */
    record Output(long seq, boolean stderr, byte[] data) implements ExecEvent {
    }

    /** Proof of life while the command is silent. */
    record Heartbeat() implements ExecEvent {
    }

    record Exit(long seq, int exitCode) implements ExecEvent {
    }

    /** The command could not run or the sandbox failed. */
    record Failure(long seq, String code, String message) implements ExecEvent {
    }

    /** An event this client does not know: a newer Worker may send more kinds; they are skipped. */
    record Unknown(String name) implements ExecEvent {
    }

    /** Decodes one SSE event; a known event with a malformed payload is a protocol error. */
    static ExecEvent parse(SseEvent event) throws IOException {
        JsonNode data;
        try {
            data = Json.mapper().readTree(event.data());
        } catch (IOException e) {
            throw new IOException("the Worker sent a '" + event.name() + "' event whose data is not JSON");
        }
        if (data == null || !data.isObject()) {
            throw new IOException("the Worker sent a '" + event.name() + "' event whose data is not a JSON object");
        }
        return switch (event.name()) {
            case "start" -> new Start(requiredText(data, "execId", event), data.path("pid").asLong(-1));
            case "stdout", "stderr" -> new Output(seq(data, event), event.name().equals("stderr"), bytes(data, event));
            case "heartbeat" -> new Heartbeat();
            case "exit" -> {
                if (!data.path("exitCode").canConvertToInt()) {
                    throw new IOException("the Worker sent an 'exit' event without an exitCode");
                }
                yield new Exit(seq(data, event), data.get("exitCode").intValue());
            }
            case "error" -> new Failure(seq(data, event), data.path("code").asText("error"),
                    data.path("message").asText("no message"));
            default -> new Unknown(event.name());
        };
    }

    /** The seq is in the data; the {@code id:} line carries the same number and stands in if the data lacks it. */
    private static long seq(JsonNode data, SseEvent event) throws IOException {
        if (data.path("seq").canConvertToLong()) {
            return data.get("seq").longValue();
        }
        try {
            return Long.parseLong(event.id());
        } catch (NumberFormatException e) {
            throw new IOException("the Worker sent a '" + event.name() + "' event without a seq");
        }
    }

    private static String requiredText(JsonNode data, String field, SseEvent event) throws IOException {
        JsonNode value = data.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IOException("the Worker sent a '" + event.name() + "' event without " + field);
        }
        return value.asText();
    }

    private static byte[] bytes(JsonNode data, SseEvent event) throws IOException {
        JsonNode value = data.get("data");
        if (value == null || !value.isTextual()) {
            throw new IOException("the Worker sent a '" + event.name() + "' event without data");
        }
        try {
            // An empty string is a valid (empty) chunk, unlike a missing field.
            return Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException("the Worker sent a '" + event.name() + "' event whose data is not base64");
        }
    }
}
