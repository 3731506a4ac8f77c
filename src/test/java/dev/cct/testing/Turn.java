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
 *
 * <p>Usage: by default a turn reports 10 input tokens ({@code message_start}) and 5 output tokens
 * ({@code message_delta}), which costs next to nothing. {@link #withUsage} sets other numbers, so that the
 * CLI's {@code total_cost_usd}, which it computes from them, can reach a budget: a few hundred thousand
 * input tokens cost dollars.
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

    /** The usage a turn reports when {@link #withUsage} was not called. */
    public static final long DEFAULT_INPUT_TOKENS = 10;
    /** The usage a turn reports when {@link #withUsage} was not called. */
    public static final long DEFAULT_OUTPUT_TOKENS = 5;

    private final String text;
    private final List<ToolUse> tools;
    private final long inputTokens;
    private final long outputTokens;

    private Turn(String text, List<ToolUse> tools, long inputTokens, long outputTokens) {
        this.text = text == null ? "" : text;
        this.tools = List.copyOf(tools);
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
    }

    /** A turn that says {@code text} (may be empty: then no text block is sent). */
    public static Turn text(String text) {
        return new Turn(text, List.of(), DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS);
    }

    /** A turn with no text and a single tool call. */
    public static Turn tool(String name, Map<String, ?> input) {
        return text("").withTool(name, input);
    }

    /** A copy of this turn with one more tool call appended. */
    public Turn withTool(String name, Map<String, ?> input) {
        List<ToolUse> more = new ArrayList<>(tools);
        more.add(new ToolUse(name, new LinkedHashMap<>(input)));
        return new Turn(text, more, inputTokens, outputTokens);
    }

    /**
     * A copy of this turn whose answer reports {@code inputTokens} in {@code message_start} and
     * {@code outputTokens} in {@code message_delta} (the API's final, cumulative count, which the CLI
     * keeps over the {@code message_start} one).
     *
     * <p>Keep {@code inputTokens} below the model's context window: 2.1.331's default model reports a window of
     * 1,000,000 tokens, and a turn reporting that many makes the CLI compact the conversation (extra requests,
     * and a first user message that no longer holds the prompt {@link FakeAnthropic#route} looks for).
     * 500,000 input tokens cost $2.00 there ($4 per million input, $20 per million output, list price).
     */
    public Turn withUsage(long inputTokens, long outputTokens) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative: " + inputTokens + ", " + outputTokens);
        }
        return new Turn(text, tools, inputTokens, outputTokens);
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

    /** The input tokens this turn's answer reports. */
    public long inputTokens() {
        return inputTokens;
    }

    /** The output tokens this turn's answer reports. */
    public long outputTokens() {
        return outputTokens;
    }

    /** True when this turn ends the conversation ({@code end_turn}). */
    public boolean isFinal() {
        return tools.isEmpty();
    }

    @Override
    public String toString() {
        return "Turn[text=" + text + ", tools=" + tools + ", usage=" + inputTokens + "/" + outputTokens + "]";
    }
}
