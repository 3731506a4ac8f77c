package dev.cct.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.core.OutputFormat;
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
                "▸ Write src/app.py (2 lines)", "▸ Run pytest -q …  # Run tests", "▸ Search 'TODO' in src",
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

    // ---- a terminal that shows time passing, with a fake clock

    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();

    private StreamRenderer atTerminal(dev.cct.ui.ActivityLine[] activity) {
        Ui ui = new Ui(new PrintWriter(out, true), new PrintWriter(err, true), false, true, false, false);
        activity[0] = new dev.cct.ui.ActivityLine(ui, now::get);
        return new StreamRenderer(ui, OutputFormat.TEXT, "/home/claude/workspace", activity[0]);
    }

    private static final String LONG_BASH = "{\"type\":\"assistant\",\"message\":{\"content\":["
            + "{\"type\":\"tool_use\",\"name\":\"Bash\",\"input\":{\"command\":\"sleep 60\"}}]}}";
    private static final String BASH_DONE = "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":\"\"}]}}";

    @Test
    void aLongToolCallShowsItsElapsedTimeRedrawnInPlaceAndKeepsItsLineWhenDone() {
        dev.cct.ui.ActivityLine[] activity = new dev.cct.ui.ActivityLine[1];
        StreamRenderer renderer = atTerminal(activity);
        renderer.stdoutLine(LONG_BASH);
        String first = err.toString();
        now.addAndGet(12_300_000_000L);
        activity[0].tick();
        String later = err.toString();
        assertThat(later).isNotEqualTo(first).endsWith("\r\u001b[2K  ▸ Run sleep 60  ⠸ 12s");
        now.addAndGet(50_000_000_000L);
        activity[0].tick();
        assertThat(err.toString()).endsWith("1m02s");
        renderer.stdoutLine(BASH_DONE);
        // The tool's line stays, with how long it took; then Claude is thinking.
        assertThat(err.toString()).contains("\r\u001b[2K  ▸ Run sleep 60  (1m02s)\n").endsWith("Claude is thinking");
        renderer.stdoutLine(RESULT);
        renderer.close();
        assertThat(err.toString()).endsWith("\r\u001b[2K");
    }

    @Test
    void withoutATerminalToolLinesArePrintedOnceAndNothingMoves() {
        Ui ui = new Ui(new PrintWriter(out, true), new PrintWriter(err, true), false, false, false, false);
        dev.cct.ui.ActivityLine activity = new dev.cct.ui.ActivityLine(ui, now::get);
        StreamRenderer renderer = new StreamRenderer(ui, OutputFormat.TEXT, "/home/claude/workspace", activity);
        renderer.stdoutLine(LONG_BASH);
        now.addAndGet(30_000_000_000L);
        activity.tick();
        renderer.stdoutLine(BASH_DONE);
        renderer.close();
        assertThat(err.toString()).isEqualTo("  ▸ Run sleep 60\n");
    }

    @Test
    void toolsThatCctsOwnStopKillsAreNotReportedAsFailures() {
        StreamRenderer renderer = renderer(OutputFormat.TEXT);
        renderer.stdoutLine(LONG_BASH);
        renderer.stopping();
        renderer.stdoutLine("{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":true,\"content\":\"Exit code 137\"}]}}");
        assertThat(err.toString()).contains("■ stopped by cct").doesNotContain("✗", "137");
        assertThat(renderer.toolErrors()).isZero();
    }
}
