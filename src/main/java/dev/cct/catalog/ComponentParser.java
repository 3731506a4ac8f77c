package dev.cct.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.CctException;
import dev.cct.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a component's files and checks them against Claude Code's formats, so that a broken component is
 * refused before anything is installed or any sandbox exists.
 */
public final class ComponentParser {
    /** How hook commands name their scripts; the script sits beside the hook's JSON in its catalog. */
    static final Pattern HOOK_SCRIPT = Pattern.compile("\\.claude/hooks/([A-Za-z0-9][A-Za-z0-9._-]*)");
    /** The Claude Code whose hook events and types this parser knows; the version cct runs in sandboxes. */
    static final String CLAUDE_CODE_HOOKS = "2.1.331";
    /** The hook events Claude Code 2.1.331 knows, as its own list of them names them. */
    static final Set<String> HOOK_EVENTS = Set.of("PreToolUse", "PostToolUse", "PostToolUseFailure",
            "PostToolBatch", "Notification", "UserPromptSubmit", "UserPromptExpansion", "SessionStart", "SessionEnd",
            "Stop", "StopFailure", "SubagentStart", "SubagentStop", "PreCompact", "PostCompact", "PreModelSwitch",
            "PostModelSwitch", "PermissionRequest", "PermissionDenied", "Setup", "TeammateIdle", "TaskCreated",
            "TaskCompleted", "Elicitation", "ElicitationResult", "ConfigChange", "WorktreeCreate", "WorktreeRemove",
            "InstructionsLoaded", "CwdChanged", "FileChanged", "DirectoryAdded", "MessageDisplay");
    /**
     * The text fields each hook type of Claude Code 2.1.331 runs from; a hook lacking its type's fields does nothing
     * there, so it is refused here.
     */
    private static final Map<String, List<String>> HOOK_TYPE_FIELDS = Map.of("command", List.of("command"),
            "prompt", List.of("prompt"), "agent", List.of("prompt"), "http", List.of("url"),
            "mcp_tool", List.of("server", "tool"));

    private ComponentParser() {
    }

    public static Component parse(ComponentType type, String id, String origin, byte[] content,
                                  Map<String, byte[]> supportFiles) {
        return switch (type) {
            case AGENT, COMMAND, SKILL -> parseMarkdown(type, id, origin, content, supportFiles);
            case MCP, SETTING, HOOK -> parseJson(type, id, origin, content, supportFiles);
        };
    }

    /** Names of hook scripts that a hook document's commands refer to. */
    public static Set<String> referencedScripts(byte[] hookJson) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Matcher m = HOOK_SCRIPT.matcher(new String(hookJson, StandardCharsets.UTF_8));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Component parseMarkdown(ComponentType type, String id, String origin, byte[] content,
                                           Map<String, byte[]> supportFiles) {
        String text = new String(content, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<String> warnings = new ArrayList<>();
        Map<String, Object> frontMatter = frontMatter(type, id, origin, text, warnings);
        String description = stringField(frontMatter, "description");
        if (type != ComponentType.COMMAND) {
            // Claude Code ignores an agent or skill without both; refusing it here beats a silent no-op later.
            if (stringField(frontMatter, "name") == null || description == null) {
                throw malformed(type, id, origin, "its front matter needs 'name' and 'description'");
            }
        }
        if (description == null) {
            description = firstLine(frontMatter.isEmpty() && text.startsWith("---\n") ? body(text) : text);
        }
        return new Component(type, id, origin, content, description, null, supportFiles, List.copyOf(warnings));
    }

    /** The front matter as Claude Code reads it; package-private for tests. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> frontMatter(ComponentType type, String id, String origin, String text,
                                                   List<String> warnings) {
        if (!text.startsWith("---\n")) {
            if (type == ComponentType.COMMAND) {
                return Map.of();
            }
            throw malformed(type, id, origin, "it does not start with '---' YAML front matter");
        }
        int end = text.indexOf("\n---", 3);
        if (end < 0) {
            throw malformed(type, id, origin, "its front matter is not closed by a '---' line");
        }
        String yaml = text.substring(4, end + 1);
        Object parsed;
        try {
            parsed = FrontMatterRepair.parse(yaml);
        } catch (JsonProcessingException strict) {
            // Claude Code tries once more after a repair, else warns ("Failed to parse YAML frontmatter") and loads the
            // file without front matter. cct reads it the same way; the file is still installed as written.
            FrontMatterRepair.Result repaired = FrontMatterRepair.repair(yaml);
            try {
                parsed = FrontMatterRepair.parse(repaired.text());
            } catch (JsonProcessingException e) {
                String problem = firstLine(e.getOriginalMessage());
                if (type != ComponentType.COMMAND) {
                    // An agent or skill without its name and description is one Claude Code ignores: refused here
                    // rather than installed to do nothing.
                    throw malformed(type, id, origin, "its front matter is not valid YAML, even as Claude Code repairs it ("
                            + problem + ")");
                }
                // A command still runs without its front matter; the npm tool installs it as written, so does cct.
                warnings.add(type.label() + " " + id + ": its front matter is not valid YAML (" + problem
                        + "); installed as written, but Claude Code may ignore its front matter (argument hint, allowed tools)");
                return Map.of();
            }
            warnings.add(type.label() + " " + id + ": its front matter is not strict YAML ("
                    + firstLine(strict.getOriginalMessage()) + "); installed as written and read as Claude Code reads it, with "
                    + (repaired.quotedKeys().isEmpty() ? "leading tabs as spaces"
                    : String.join(", ", repaired.quotedKeys()) + " quoted"));
        }
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map)) {
            throw malformed(type, id, origin, "its front matter is not a YAML mapping");
        }
        return (Map<String, Object>) parsed;
    }

    /** The text after the front matter's closing line. */
    private static String body(String text) {
        int end = text.indexOf("\n---", 3);
        int next = end < 0 ? -1 : text.indexOf('\n', end + 4);
        return next < 0 ? "" : text.substring(next + 1);
    }

    private static Component parseJson(ComponentType type, String id, String origin, byte[] content,
                                       Map<String, byte[]> supportFiles) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(content);
        } catch (java.io.IOException e) {
            throw malformed(type, id, origin, "it is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw malformed(type, id, origin, "it must be a JSON object");
        }
        ObjectNode json = ((ObjectNode) node).deepCopy();
        JsonNode descriptionNode = json.remove("description");
        String description = descriptionNode != null && descriptionNode.isTextual() ? descriptionNode.asText() : "";
        List<String> warnings = new ArrayList<>();
        switch (type) {
            case MCP -> checkMcp(type, id, origin, json);
            case HOOK -> checkHooks(type, id, origin, json, supportFiles, warnings);
            case SETTING -> checkSettings(type, id, origin, json, warnings);
            default -> throw new IllegalArgumentException(type.name());
        }
        return new Component(type, id, origin, content, description, json, supportFiles, List.copyOf(warnings));
    }

    private static void checkMcp(ComponentType type, String id, String origin, ObjectNode json) {
        JsonNode servers = json.get("mcpServers");
        if (servers == null || !servers.isObject() || servers.isEmpty()) {
            throw malformed(type, id, origin, "it needs a non-empty \"mcpServers\" object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> server = it.next();
            JsonNode config = server.getValue();
            if (!config.isObject() || !(config.has("command") || config.has("url"))) {
                throw malformed(type, id, origin, "server '" + server.getKey() + "' needs a \"command\" or a \"url\"");
            }
        }
    }

    private static void checkSettings(ComponentType type, String id, String origin, ObjectNode json,
                                      List<String> warnings) {
        JsonNode permissions = json.get("permissions");
        if (permissions != null) {
            if (!permissions.isObject()) {
                throw malformed(type, id, origin, "\"permissions\" must be an object");
            }
            for (String list : new String[] {"allow", "deny", "ask"}) {
                JsonNode rules = permissions.get(list);
                if (rules != null && !(rules.isArray() && allText(rules))) {
                    throw malformed(type, id, origin, "\"permissions." + list + "\" must be an array of strings");
                }
            }
        }
        JsonNode env = json.get("env");
        if (env != null && !env.isObject()) {
            throw malformed(type, id, origin, "\"env\" must be an object of strings");
        }
        if (json.has("hooks")) {
            checkHookEvents(type, id, origin, json.get("hooks"), warnings);
        }
    }

    private static void checkHooks(ComponentType type, String id, String origin, ObjectNode json,
                                   Map<String, byte[]> supportFiles, List<String> warnings) {
        JsonNode hooks = json.get("hooks");
        if (hooks == null || !hooks.isObject() || hooks.isEmpty()) {
            throw malformed(type, id, origin, "it needs a non-empty \"hooks\" object keyed by event");
        }
        checkHookEvents(type, id, origin, hooks, warnings);
        for (String script : referencedScripts(Json.pretty(json))) {
            if (!supportFiles.containsKey(script)) {
                throw malformed(type, id, origin, "it runs .claude/hooks/" + script + " but that script is not beside it");
            }
        }
    }

    private static void checkHookEvents(ComponentType type, String id, String origin, JsonNode hooks,
                                        List<String> warnings) {
        if (!hooks.isObject()) {
            throw malformed(type, id, origin, "\"hooks\" must be an object keyed by event");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = hooks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> event = it.next();
            if (!HOOK_EVENTS.contains(event.getKey())) {
                // A newer Claude Code may know it; this one ignores it. Installed, as the npm tool would, and said.
                warnings.add(type.label() + " " + id + ": hook event '" + event.getKey() + "' is not one Claude Code "
                        + CLAUDE_CODE_HOOKS + " knows; installed anyway, it runs only in a Claude Code that knows it");
            }
            if (!event.getValue().isArray()) {
                throw malformed(type, id, origin, "hooks." + event.getKey() + " must be an array");
            }
            for (JsonNode matcher : event.getValue()) {
                JsonNode inner = matcher.get("hooks");
                if (inner == null || !inner.isArray()) {
                    throw malformed(type, id, origin, "each hooks." + event.getKey() + " entry needs a \"hooks\" array");
                }
                for (JsonNode hook : inner) {
                    checkHook(type, id, origin, event.getKey(), hook);
                }
            }
        }
    }

    private static void checkHook(ComponentType type, String id, String origin, String event, JsonNode hook) {
        JsonNode hookType = hook.get("type");
        if (hookType == null) {
            // Before hooks had types, one was a command or a prompt by which field it carried.
            if (!hook.path("command").isTextual() && !hook.path("prompt").isTextual()) {
                throw malformed(type, id, origin, "a hook in " + event + " has no \"command\"");
            }
            return;
        }
        List<String> fields = HOOK_TYPE_FIELDS.get(hookType.asText());
        if (!hookType.isTextual() || fields == null) {
            throw malformed(type, id, origin, "a hook in " + event + " has unknown type " + hookType
                    + " (Claude Code knows " + String.join(", ", new java.util.TreeSet<>(HOOK_TYPE_FIELDS.keySet())) + ")");
        }
        for (String field : fields) {
            if (!hook.path(field).isTextual() || hook.path(field).asText().isBlank()) {
                throw malformed(type, id, origin, "a \"" + hookType.asText() + "\" hook in " + event
                        + " has no \"" + field + "\"");
            }
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String stringField(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        for (String line : text.split("\n")) {
            String t = line.replaceFirst("^#+\\s*", "").trim();
            if (!t.isEmpty() && !t.equals("---")) {
                return t.length() > 120 ? t.substring(0, 117) + "..." : t;
            }
        }
        return "";
    }

    static CctException malformed(ComponentType type, String id, String origin, String why) {
        return CctException.badInput("malformed " + type.label() + " '" + id + "' (" + origin + "): " + why,
                "fix the file or choose another " + type.label());
    }

    /** Copies a map, keeping its order; callers hand in mutable maps. */
    static Map<String, byte[]> copy(Map<String, byte[]> files) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }
}
