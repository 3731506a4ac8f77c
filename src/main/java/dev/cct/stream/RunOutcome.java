package dev.cct.stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Claude's final {@code result} event said.
 *
 * @param isError            Claude reported an error (API error, max turns...)
 * @param subtype            "success", "error_max_turns"...
 * @param turns              num_turns
 * @param costUsd            total_cost_usd
 * @param durationMs         duration_ms
 * @param result             the final text
 * @param permissionDenials  how many tool calls were denied
 * @param raw                the whole event
 */
public record RunOutcome(boolean isError, String subtype, int turns, double costUsd, long durationMs, String result,
                         int permissionDenials, JsonNode raw) {

    static RunOutcome from(JsonNode event) {
        return new RunOutcome(event.path("is_error").asBoolean(false), event.path("subtype").asText(""),
                event.path("num_turns").asInt(0), event.path("total_cost_usd").asDouble(0),
                event.path("duration_ms").asLong(0), event.path("result").asText(""),
                event.path("permission_denials").size(), event);
    }
}
