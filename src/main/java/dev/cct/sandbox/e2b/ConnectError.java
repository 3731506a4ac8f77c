package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.io.IOException;
import java.net.ProtocolException;

/** The error a Connect end-of-stream frame carries; {@code code} is a Connect code name such as "deadline_exceeded". */
record ConnectError(String code, String message) {
    static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    static final String NOT_FOUND = "not_found";
    static final String UNAVAILABLE = "unavailable";

    /** Reads an end-of-stream payload: null for success ({@code {}} or empty), the error otherwise. */
    static ConnectError fromEndOfStream(byte[] payload) throws ProtocolException {
        if (payload.length == 0) {
            return null;
        }
        JsonNode json;
        try {
            json = Json.mapper().readTree(payload);
        } catch (IOException e) {
            throw new ProtocolException("unreadable Connect end-of-stream frame");
        }
        JsonNode error = json == null ? null : json.get("error");
        if (error == null || error.isNull()) {
            return null;
        }
        return new ConnectError(error.path("code").asText("unknown"), error.path("message").asText(""));
    }

    @Override
    public String toString() {
        return message.isEmpty() ? code : code + ": " + message;
    }
}
