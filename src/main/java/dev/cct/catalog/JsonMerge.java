package dev.cct.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Merges Claude Code's JSON files the way a person would by hand: arrays become unions without duplicates, objects
 * merge key by key, hook lists gain only the entries they lack. Every merge is idempotent, so installing the same
 * components twice yields the same bytes.
 */
public final class JsonMerge {

    /** Decides what happens when both sides set the same scalar (or the same MCP server) differently. */
    @FunctionalInterface
    public interface ConflictPolicy {
        /** @return the value to keep, or throw to refuse */
        JsonNode resolve(String path, JsonNode existing, JsonNode incoming);

        /** The incoming document wins: installing a component updates what it owns. */
        ConflictPolicy INCOMING_WINS = (path, existing, incoming) -> incoming;
    }

    private JsonMerge() {
    }

    /** Merges {@code incoming}'s mcpServers into {@code target}'s, by server name; other servers are kept. */
    public static void mergeMcp(ObjectNode target, ObjectNode incoming, ConflictPolicy policy) {
        ObjectNode targetServers = target.has("mcpServers") && target.get("mcpServers").isObject()
                ? (ObjectNode) target.get("mcpServers") : target.putObject("mcpServers");
        for (Iterator<Map.Entry<String, JsonNode>> it = incoming.path("mcpServers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> server = it.next();
            JsonNode existing = targetServers.get(server.getKey());
            if (existing == null || existing.equals(server.getValue())) {
                targetServers.set(server.getKey(), server.getValue().deepCopy());
            } else {
                targetServers.set(server.getKey(), policy.resolve("mcpServers." + server.getKey(), existing,
                        server.getValue()).deepCopy());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("mcpServers")) {
                mergeField(target, field.getKey(), field.getValue(), field.getKey(), policy);
            }
        }
    }

    /**
     * Merges a settings document: permission lists unioned, env merged, hooks merged per event without duplicating
     * an identical entry, anything else merged recursively.
     */
    public static void mergeSettings(ObjectNode target, ObjectNode incoming, ConflictPolicy policy) {
        for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("hooks") && field.getValue().isObject()) {
                mergeHooks(target, (ObjectNode) field.getValue());
            } else {
                mergeField(target, field.getKey(), field.getValue(), field.getKey(), policy);
            }
        }
    }

    private static void mergeHooks(ObjectNode target, ObjectNode incomingHooks) {
        ObjectNode hooks = target.has("hooks") && target.get("hooks").isObject()
                ? (ObjectNode) target.get("hooks") : target.putObject("hooks");
        for (Iterator<Map.Entry<String, JsonNode>> it = incomingHooks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> event = it.next();
            ArrayNode entries = hooks.has(event.getKey()) && hooks.get(event.getKey()).isArray()
                    ? (ArrayNode) hooks.get(event.getKey()) : hooks.putArray(event.getKey());
            for (JsonNode entry : event.getValue()) {
                if (!contains(entries, entry)) {
                    entries.add(entry.deepCopy());
                }
            }
        }
    }

    private static void mergeField(ObjectNode target, String key, JsonNode incoming, String path, ConflictPolicy policy) {
        JsonNode existing = target.get(key);
        if (existing == null || existing.isNull()) {
            target.set(key, incoming.deepCopy());
        } else if (existing.isObject() && incoming.isObject()) {
            ObjectNode object = (ObjectNode) existing;
            for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                mergeField(object, field.getKey(), field.getValue(), path + "." + field.getKey(), policy);
            }
        } else if (existing.isArray() && incoming.isArray()) {
            ArrayNode array = (ArrayNode) existing;
            for (JsonNode item : incoming) {
                if (!contains(array, item)) {
                    array.add(item.deepCopy());
                }
            }
        } else if (!existing.equals(incoming)) {
            target.set(key, policy.resolve(path, existing, incoming).deepCopy());
        }
    }

    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode existing : array) {
            if (existing.equals(item)) {
                return true;
            }
        }
        return false;
    }
}
