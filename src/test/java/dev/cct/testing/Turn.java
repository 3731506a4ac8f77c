package dev.cct.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link FakeAnthropic}: an optional text block followed by zero or more
 * tool_use blocks, all in ONE assistant message. Immutable; {@link #withTool} returns a copy.
 *
 * <p>String values in tool inputs (also nested ones) may contain the placeholder {@value #CWD}; the
 * fake replaces it with the working directory it finds in the request (see {@link FakeAnthropic}).
 *
 * <p>A turn with tools ends with {@code stop_reason: tool_use} (the CLI runs the tools and calls
 * again); a turn without tools ends with {@code end_turn} (the CLI stops). So only the last turn
 * of a scenario should be text-only.
 */
public final class Turn {

    /** Placeholder replaced with the CLI's working directory in tool input strings. */
    public static final String CWD = "{cwd}";

    /** A tool call: the tool's name as the CLI knows it ({@code Write}, {@code Bash}, ...) and its input. */
    public record ToolUse(String name, Map<String, Object> input) {
        public ToolUse {
            Objects.requireNonNull(name, "name");
            input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        }
    }

    private final String text;
    private final List<ToolUse> tools;

    private Turn(String text, List<ToolUse> tools) {
        this.text = text == null ? "" : text;
        this.tools = List.copyOf(tools);
    }

    /** A turn that says {@code text} (may be empty: then no text block is sent). */
    public static Turn text(String text) {
        return new Turn(text, List.of());
    }

    /** A turn with no text and a single tool call. */
    public static Turn tool(String name, Map<String, ?> input) {
        return text("").withTool(name, input);
    }

    /** A copy of this turn with one more tool call appended. */
    public Turn withTool(String name, Map<String, ?> input) {
        List<ToolUse> more = new ArrayList<>(tools);
        more.add(new ToolUse(name, new LinkedHashMap<>(input)));
        return new Turn(text, more);
    }

    /** {@code Write} of {@code content} to {@code {cwd}/relativePath}. */
    public Turn withWrite(String relativePath, String content) {
        return withTool("Write", Map.of("file_path", CWD + "/" + relativePath, "content", content));
    }

    /** {@code Bash} running {@code command} (a short description is required by the tool). */
    public Turn withBash(String command, String description) {
        return withTool("Bash", Map.of("command", command, "description", description));
    }

    /** The text block's content ("" = no text block). */
    public String message() {
        return text;
    }

    public List<ToolUse> tools() {
        return tools;
    }

    /** True when this turn ends the conversation ({@code end_turn}). */
    public boolean isFinal() {
        return tools.isEmpty();
    }

    @Override
    public String toString() {
        return "Turn[text=" + text + ", tools=" + tools + "]";
    }
}
