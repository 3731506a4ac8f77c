package dev.cct.testing.e2b;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON for the fake: one mapper, and the two error body shapes E2B uses. */
final class FakeJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** REST and {@code /files} errors carry an integer code: {@code {"code":404,"message":"..."}}. */
    static String restError(int code, String message) {
        ObjectNode n = object();
        n.put("code", code);
        n.put("message", message);
        return write(n);
    }

    /** Connect errors carry a string code: {@code {"code":"not_found","message":"..."}}. */
    static ObjectNode connectError(String code, String message) {
        ObjectNode n = object();
        n.put("code", code);
        n.put("message", message);
        return n;
    }

    /** A string map from a JSON object; absent or null gives an empty map. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
