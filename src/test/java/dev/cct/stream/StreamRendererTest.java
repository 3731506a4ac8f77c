package dev.cct.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.run.OutputFormat;
import dev.cct.ui.Ui;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRendererTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private StreamRenderer renderer(OutputFormat format) {
        Ui ui = new Ui(new PrintWriter(out, true), new PrintWriter(err, true), false, false, false, false);
        return new StreamRenderer(ui, format, "/home/claude/workspace");
    }

    private static final String INIT = "{\"type\":\"system\",\"subtype\":\"init\",\"model\":\"claude-x\",\"tools\":[\"Bash\",\"Write\"],\"claude_code_version\":\"2.1.331\"}";
    private static final String TOOLS = "{\"type\":\"assistant\",\"message\":{\"content\":["
            + "{\"type\":\"text\",\"text\":\"I'll build it.\"},"
            + "{\"type\":\"tool_use\",\"name\":\"Write\",\"input\":{\"file_path\":\"/home/claude/workspace/src/app.py\",\"content\":\"a\\nb\\n\"}},"
            + "{\"type\":\"tool_use\",\"name\":\"Bash\",\"input\":{\"command\":\"pytest -q\\necho more\",\"description\":\"Run tests\"}},"
            + "{\"type\":\"tool_use\",\"name\":\"Grep\",\"input\":{\"pattern\":\"TODO\",\"path\":\"/home/claude/workspace/src\"}}]}}";
    private static final String FAILED = "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":true,\"content\":\"command not found: pytest\"}]}}";
    private static final String RESULT = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":4,\"total_cost_usd\":0.5,\"duration_ms\":1200,\"result\":\"Built.\"}";

    @Test
    void textModeShowsClaudesWordsOnStdoutAndOneLinePerToolCallOnStderr() {
        StreamRenderer renderer = renderer(OutputFormat.TEXT);
        for (String line : List.of(INIT, TOOLS, FAILED, "not json at all", RESULT)) {
            renderer.stdoutLine(line);
        }
        assertThat(out.toString()).isEqualTo("I'll build it.\n");
        assertThat(err.toString()).contains("Claude Code 2.1.331 · model claude-x · 2 tools",
                "▸ Write src/app.py (2 lines)", "▸ Run pytest -q  # Run tests", "▸ Search 'TODO' in src",
                "✗ command not found: pytest").doesNotContain("not json");
        assertThat(renderer.toolCalls()).isEqualTo(3);
        assertThat(renderer.toolErrors()).isEqualTo(1);
        assertThat(renderer.outcome().turns()).isEqualTo(4);
        assertThat(renderer.outcome().isError()).isFalse();
    }

    @Test
    void streamJsonModePassesEveryLineThroughUntouched() {
        StreamRenderer renderer = renderer(OutputFormat.STREAM_JSON);
        for (String line : List.of(INIT, TOOLS, RESULT)) {
            renderer.stdoutLine(line);
        }
        assertThat(out.toString()).isEqualTo(INIT + "\n" + TOOLS + "\n" + RESULT + "\n");
        assertThat(err.toString()).isEmpty();
        assertThat(renderer.outcome().result()).isEqualTo("Built.");
    }

    @Test
    void linesAndUtf8CharactersSplitAcrossChunksAreReassembled() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(lines::add);
        byte[] bytes = "héllo ✓\nsecond\r\nthird".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            splitter.accept(new byte[] {b}, 0, 1);
        }
        splitter.finish();
        assertThat(lines).containsExactly("héllo ✓", "second", "third");
    }
}
