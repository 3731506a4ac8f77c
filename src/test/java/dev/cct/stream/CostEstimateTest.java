package dev.cct.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost a batch sees while Claude works, from the token counts of the stream's assistant messages. */
class CostEstimateTest {

    @Test
    void aMessageRepeatedForEachOfItsBlocksIsCountedOnceAtItsLargestCounts() throws IOException {
        CostEstimate cost = new CostEstimate();
        assertThat(cost.add(message("m1", "claude-sonnet-4-5", 1_000_000, 0, 0, 1))).isTrue();
        assertThat(cost.add(message("m1", "claude-sonnet-4-5", 1_000_000, 0, 0, 100_000))).isFalse();
        assertThat(cost.messages()).isEqualTo(1);
        // $3 per million input tokens, $15 per million output tokens.
        assertThat(cost.dollars()).isCloseTo(3 + 1.5, within(1e-9));
        cost.add(message("m2", "claude-sonnet-4-5", 0, 1_000_000, 1_000_000, 0));
        // A cache write costs 1.25x the input price, a cache read 0.1x.
        assertThat(cost.dollars()).isCloseTo(4.5 + 3.75 + 0.3, within(1e-9));
        assertThat(cost.messages()).isEqualTo(2);
    }

    @Test
    void eachFamilyHasItsListPrice() {
        assertThat(CostEstimate.priceOf("claude-opus-4-1-20250805").input()).isEqualTo(15);
        assertThat(CostEstimate.priceOf("claude-opus-4-5").input()).isEqualTo(5);
        assertThat(CostEstimate.priceOf("claude-opus-5-5").input()).isEqualTo(4);
        assertThat(CostEstimate.priceOf("claude-haiku-4-5").output()).isEqualTo(5);
        assertThat(CostEstimate.priceOf("claude-3-5-haiku-20241022").input()).isEqualTo(0.8);
        assertThat(CostEstimate.priceOf("some-other-model").input()).isEqualTo(3);
    }

    @Test
    void theRendererTellsItsWatcherTheTurnsTheCostSoFarAndTheLastToolCall() {
        StringWriter sink = new StringWriter();
        Ui ui = new Ui(new PrintWriter(sink), new PrintWriter(sink), false, false, false, false);
        List<String> seen = new ArrayList<>();
        StreamRenderer renderer = new StreamRenderer(ui, OutputFormat.JSON, "/w", null)
                .watchedBy((turns, dollars, tool) -> seen.add(turns + " " + Math.round(dollars * 100) + " " + tool));
        renderer.stdoutLine("{\"type\":\"assistant\",\"message\":{\"id\":\"a\",\"model\":\"claude-sonnet-4-5\","
                + "\"usage\":{\"input_tokens\":1000000,\"output_tokens\":1},\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}}");
        renderer.stdoutLine("{\"type\":\"assistant\",\"message\":{\"id\":\"a\",\"model\":\"claude-sonnet-4-5\","
                + "\"usage\":{\"input_tokens\":1000000,\"output_tokens\":1},\"content\":[{\"type\":\"tool_use\",\"name\":\"Write\","
                + "\"input\":{\"file_path\":\"/w/app.py\",\"content\":\"x\\n\"}}]}}");
        renderer.stdoutLine("{\"type\":\"user\",\"message\":{\"content\":[]}}");
        renderer.stdoutLine("{\"type\":\"assistant\",\"message\":{\"id\":\"b\",\"model\":\"claude-sonnet-4-5\","
                + "\"usage\":{\"input_tokens\":1000000,\"output_tokens\":1},\"content\":[{\"type\":\"text\",\"text\":\"Done\"}]}}");
        assertThat(seen).containsExactly("1 300 null", "1 300 Write app.py (1 line)", "2 600 Write app.py (1 line)");
        assertThat(renderer.estimatedCostUsd()).isCloseTo(6.0, within(0.001));
    }

    private static JsonNode message(String id, String model, long input, long cacheWrite, long cacheRead, long output)
            throws IOException {
        return Json.mapper().readTree("{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"usage\":{\"input_tokens\":" + input
                + ",\"cache_creation_input_tokens\":" + cacheWrite + ",\"cache_read_input_tokens\":" + cacheRead
                + ",\"output_tokens\":" + output + "}}");
    }
}
