package dev.cct.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.ui.ActivityLine;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.util.Locale;

/**
 * Renders Claude Code's stream-json events as they come. Text mode: Claude's words on stdout, one readable line
 * per tool call on stderr. stream-json mode: the raw NDJSON on stdout, untouched. json mode: nothing until the
 * end. In every mode the final result event is kept.
 */
public final class StreamRenderer {
    private final Ui ui;
    private final OutputFormat format;
    private final String workspace;
    private RunOutcome outcome;
    private String sessionId;
    private int toolCalls;
    private int toolErrors;
    private boolean wroteText;
    private volatile boolean stopping;

    private final ActivityLine activity;
    private final CostEstimate cost = new CostEstimate();
    private Watcher watcher = (turns, estimatedCostUsd, lastTool) -> { };
    private String lastTool;

    /** Who follows Claude's progress besides the screen: a batch's table. Called on the stream's thread. */
    public interface Watcher {
        void progress(int turns, double estimatedCostUsd, String lastTool);
    }

    public StreamRenderer(Ui ui, OutputFormat format, String workspace) {
        this(ui, format, workspace, format == OutputFormat.TEXT ? ActivityLine.live(ui) : null);
    }

    /** With the activity line given (tests drive its clock); null for none. */
    public StreamRenderer(Ui ui, OutputFormat format, String workspace, ActivityLine activity) {
        this.ui = ui;
        this.activity = activity;
        this.format = format;
        this.workspace = workspace.endsWith("/") ? workspace : workspace + "/";
    }

    /** Also tells {@code watcher} of every assistant message; returns this renderer. */
    public StreamRenderer watchedBy(Watcher watcher) {
        this.watcher = watcher;
        return this;
    }

    /** What the run has cost so far by the stream's token counts; the result's figure is exact. */
    public synchronized double estimatedCostUsd() {
        return cost.dollars();
    }

    /** One line of Claude's stdout. */
    public synchronized void stdoutLine(String line) {
        if (format == OutputFormat.STREAM_JSON) {
            ui.out().println(line);
            ui.out().flush();
        }
        if (line.isBlank()) {
            return;
        }
        JsonNode event;
        try {
            event = Json.mapper().readTree(line);
        } catch (IOException e) {
            if (format == OutputFormat.TEXT) {
                ui.debug(line);
            }
            return;
        }
        if (event == null) {
            return;
        }
        if ("result".equals(event.path("type").asText())) {
            outcome = RunOutcome.from(event);
        }
        if (event.hasNonNull("session_id") && event.get("session_id").isTextual()) {
            sessionId = event.get("session_id").asText();
        }
        if (format == OutputFormat.TEXT) {
            render(event);
        } else if ("assistant".equals(event.path("type").asText())) {
            countTools(event);
        }
        if ("assistant".equals(event.path("type").asText())) {
            cost.add(event.path("message"));
            for (JsonNode block : event.path("message").path("content")) {
                if ("tool_use".equals(block.path("type").asText())) {
                    lastTool = plainTool(block.path("name").asText(), block.path("input"));
                }
            }
            watcher.progress(cost.messages(), cost.dollars(), lastTool);
        }
    }

    /** A tool call's line without colour, for a table cell. */
    private String plainTool(String name, JsonNode input) {
        return describeTool(name, input).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    /** One line of Claude's stderr: shown with --verbose, or always when it looks like an error. */
    public synchronized void stderrLine(String line) {
        if (line.isBlank()) {
            return;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (ui.verbose() || lower.contains("error") || lower.contains("refused")) {
            settle();
            ui.err().println(ui.dim("claude: ") + line);
            ui.err().flush();
        }
    }

    /** cct is stopping Claude: tools it kills on the way end in errors that are cct's doing, not failures. */
    public void stopping() {
        stopping = true;
    }

    /** Claude has ended: the activity line is settled and stops moving. */
    public synchronized void close() {
        if (activity != null) {
            activity.close();
        }
    }

    private void thinking() {
        if (activity != null) {
            activity.thinking();
        }
    }

    private void settle() {
        if (activity != null) {
            activity.settle();
        }
    }

    /** Claude Code's session id, from its first event that names one; null before. */
    public synchronized String sessionId() {
        return sessionId;
    }

    public RunOutcome outcome() {
        return outcome;
    }

    public int toolCalls() {
        return toolCalls;
    }

    public int toolErrors() {
        return toolErrors;
    }

    private void countTools(JsonNode event) {
        for (JsonNode block : event.path("message").path("content")) {
            if ("tool_use".equals(block.path("type").asText())) {
                toolCalls++;
            }
        }
    }

    private void render(JsonNode event) {
        switch (event.path("type").asText()) {
            case "system" -> {
                if ("init".equals(event.path("subtype").asText())) {
                    settle();
                    ui.info(ui.dim("Claude Code " + event.path("claude_code_version").asText("") + " · model "
                            + event.path("model").asText("default") + " · " + event.path("tools").size() + " tools"
                            + agentCount(event)));
                    thinking();
                }
            }
            case "assistant" -> {
                for (JsonNode block : event.path("message").path("content")) {
                    switch (block.path("type").asText()) {
                        case "text" -> text(block.path("text").asText());
                        case "tool_use" -> {
                            toolCalls++;
                            tool(block.path("name").asText(), block.path("input"));
                        }
                        default -> { }
                    }
                }
                if (!endsWithToolUse(event)) {
                    thinking();
                }
            }
            case "user" -> {
                settle();
                for (JsonNode block : event.path("message").path("content")) {
                    if ("tool_result".equals(block.path("type").asText()) && block.path("is_error").asBoolean(false)) {
                        if (stopping) {
                            ui.info("    " + ui.dim("■ stopped by cct"));
                        } else {
                            toolErrors++;
                            ui.info("    " + ui.red("✗ " + firstLine(contentText(block.path("content")), 160)));
                        }
                    }
                }
                thinking();
            }
            case "result" -> settle();
            default -> { }
        }
    }

    private static boolean endsWithToolUse(JsonNode assistant) {
        JsonNode content = assistant.path("message").path("content");
        return content.size() > 0 && "tool_use".equals(content.get(content.size() - 1).path("type").asText());
    }

    private static String agentCount(JsonNode init) {
        int agents = init.path("agents").size();
        return agents == 0 ? "" : " · " + agents + " agents";
    }

    private void text(String text) {
        if (text.isBlank()) {
            return;
        }
        settle();
        if (wroteText) {
            ui.out().println();
        }
        ui.out().println(text.strip());
        ui.out().flush();
        wroteText = true;
    }

    private void tool(String name, JsonNode input) {
        String line = "  " + ui.cyan("▸ " + describeTool(name, input));
        if (activity != null) {
            activity.tool(line);
        } else {
            ui.info(line);
        }
    }

    /** One readable line per tool call: file written, command run, search made. */
    String describeTool(String name, JsonNode input) {
        return switch (name) {
            case "Write" -> "Write " + relative(input.path("file_path").asText()) + sizeOf(input.path("content"));
            case "Edit", "MultiEdit" -> name + " " + relative(input.path("file_path").asText());
            case "Read" -> "Read " + relative(input.path("file_path").asText());
            case "NotebookEdit" -> "NotebookEdit " + relative(input.path("notebook_path").asText());
            case "Bash" -> "Run " + firstLine(input.path("command").asText(), 120)
                    + (input.hasNonNull("description") ? ui.dim("  # " + input.path("description").asText()) : "");
            case "Grep" -> "Search '" + input.path("pattern").asText() + "'" + where(input.path("path").asText(""))
                    + (input.hasNonNull("glob") ? " (" + input.path("glob").asText() + ")" : "");
            case "Glob" -> "Find " + input.path("pattern").asText() + where(input.path("path").asText(""));
            case "WebFetch" -> "Fetch " + input.path("url").asText();
            case "WebSearch" -> "Web search '" + input.path("query").asText() + "'";
            case "Task" -> "Agent " + input.path("subagent_type").asText("task") + ": " + firstLine(input.path("description").asText(), 100);
            case "TodoWrite" -> "Plan (" + input.path("todos").size() + " items)";
            default -> name + (input.isObject() && !input.isEmpty() ? " " + firstLine(input.toString(), 100) : "");
        };
    }

    private String where(String path) {
        return path.isEmpty() ? "" : " in " + relative(path);
    }

    private String relative(String path) {
        if (path.startsWith(workspace)) {
            return path.substring(workspace.length());
        }
        return path.equals(workspace.substring(0, workspace.length() - 1)) ? "." : path;
    }

    private static String sizeOf(JsonNode content) {
        if (!content.isTextual()) {
            return "";
        }
        long lines = content.asText().lines().count();
        return " (" + lines + (lines == 1 ? " line)" : " lines)");
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    /** The first line, cut at {@code max}; an ellipsis says when there was more (a longer line, more lines). */
    private static String firstLine(String text, int max) {
        String stripped = text.strip();
        String line = stripped.lines().findFirst().orElse("");
        if (line.length() > max) {
            return line.substring(0, max - 1) + "…";
        }
        return line.length() < stripped.length() ? line + " …" : line;
    }
}
