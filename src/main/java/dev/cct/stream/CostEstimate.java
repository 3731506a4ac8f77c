package dev.cct.stream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run has cost so far, estimated while Claude works. Claude Code's stream says its exact cost only in the
 * final result; until then each assistant message carries its token counts, which this prices at the public list
 * prices of the model's family. A message is counted once, however many events repeat it, at the largest counts
 * seen for it.
 */
public final class CostEstimate {
    /** Dollars per million tokens: input, output. Cache writes cost 1.25x input, cache reads 0.1x. */
    record Price(double input, double output) {
    }

    private final Map<String, Double> byMessage = new LinkedHashMap<>();

    /** Takes an {@code assistant} event's message; returns whether it was a message not seen before. */
    public boolean add(JsonNode message) {
        String id = message.path("id").asText("");
        JsonNode usage = message.path("usage");
        Price price = priceOf(message.path("model").asText(""));
        double dollars = (usage.path("input_tokens").asDouble(0) * price.input
                + usage.path("cache_creation_input_tokens").asDouble(0) * price.input * 1.25
                + usage.path("cache_read_input_tokens").asDouble(0) * price.input * 0.1
                + usage.path("output_tokens").asDouble(0) * price.output) / 1_000_000;
        Double before = byMessage.get(id);
        byMessage.put(id, before == null ? dollars : Math.max(before, dollars));
        return before == null;
    }

    public double dollars() {
        return byMessage.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Messages seen: Claude's turns so far. */
    public int messages() {
        return byMessage.size();
    }

    static Price priceOf(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        if (name.contains("opus")) {
            // The Opus generations before 4.5 cost three times as much.
            boolean older = name.matches(".*opus-(3|4)(-[01])?(-20\\d{6})?$") || name.contains("claude-3");
            if (older) {
                return new Price(15, 75);
            }
            // Claude Code 2.1.331 prices its default Opus 5 model so.
            return name.contains("opus-5") ? new Price(4, 20) : new Price(5, 25);
        }
        if (name.contains("haiku")) {
            return name.contains("3-5") || name.contains("3.5") ? new Price(0.8, 4)
                    : name.contains("claude-3") ? new Price(0.25, 1.25) : new Price(1, 5);
        }
        // Sonnet, and any model this does not know: the middle of the range.
        return new Price(3, 15);
    }
}
