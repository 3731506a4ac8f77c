package dev.cct.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.CctException;
import dev.cct.core.Json;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders components into the file tree Claude Code reads, where the npm tool's installer puts them: agents and
 * commands as Markdown files, MCP servers merged into .mcp.json, settings and hooks merged into
 * .claude/settings.local.json (the npm tool's location when it does not ask), hook scripts executable in
 * .claude/hooks/ and a statusline's script in .claude/scripts/, skills as folders. Two components that would
 * write the same file differently are refused.
 */
public final class Renderer {
    public static final String MCP_FILE = ".mcp.json";
    public static final String SETTINGS_FILE = ".claude/settings.local.json";
    static final String HOOKS_DIR = ".claude/hooks/";
    static final String SCRIPTS_DIR = ".claude/scripts/";

    /** The rendering: plain files, plus the two merged JSON documents (null when no component contributes). */
    public record Rendered(FileTree plainFiles, ObjectNode mcp, ObjectNode settings, List<Component> components) {

        /** Everything as bytes, the merged documents included: what a fresh workspace receives. */
        public FileTree toFileTree() {
            FileTree tree = new FileTree();
            plainFiles.entries().forEach(tree::put);
            if (mcp != null) {
                tree.put(MCP_FILE, new FileTree.Entry(Json.pretty(mcp), false, "merged"));
            }
            if (settings != null) {
                tree.put(SETTINGS_FILE, new FileTree.Entry(Json.pretty(settings), false, "merged"));
            }
            return tree;
        }
    }

    private Renderer() {
    }

    public static Rendered render(List<Component> requested) {
        List<Component> components = distinct(requested);
        FileTree files = new FileTree();
        ObjectNode mcp = null;
        ObjectNode settings = null;
        Map<String, String> owners = new HashMap<>();
        for (Component c : components) {
            switch (c.type()) {
                case AGENT -> add(files, ".claude/agents/" + c.name() + ".md", c.content(), false, c);
                case COMMAND -> add(files, ".claude/commands/" + c.name() + ".md", c.content(), false, c);
                case SKILL -> {
                    String folder = ".claude/skills/" + c.name() + "/";
                    add(files, folder + "SKILL.md", c.content(), false, c);
                    c.supportFiles().forEach((path, bytes) -> add(files, folder + path, bytes, isSkillScript(path), c));
                }
                case MCP -> {
                    mcp = mcp == null ? Json.mapper().createObjectNode() : mcp;
                    JsonMerge.mergeMcp(mcp, asUpstreamWritesIt(c), conflictBetween(c, owners, MCP_FILE));
                    recordOwners(owners, MCP_FILE, c);
                }
                case SETTING, HOOK -> {
                    settings = settings == null ? Json.mapper().createObjectNode() : settings;
                    JsonMerge.mergeSettings(settings, asUpstreamWritesIt(c), conflictBetween(c, owners, SETTINGS_FILE));
                    recordOwners(owners, SETTINGS_FILE, c);
                    // Where the npm tool puts them, always with mode 755: its statusline command runs the script
                    // from .claude/scripts/, a hook's command from .claude/hooks/.
                    String folder = c.type() == ComponentType.SETTING ? SCRIPTS_DIR : HOOKS_DIR;
                    c.supportFiles().forEach((script, bytes) -> add(files, folder + script, bytes, true, c));
                }
            }
        }
        return new Rendered(files, mcp, settings, components);
    }

    /**
     * The document as the npm tool merges it: it deletes each MCP server's "description", and a setting's "files"
     * (the parser has already taken the top-level "description" of every JSON component), and of a hook all but its
     * "hooks".
     */
    static ObjectNode asUpstreamWritesIt(Component c) {
        ObjectNode json = c.json().deepCopy();
        switch (c.type()) {
            case MCP -> json.path("mcpServers").forEach(server -> {
                if (server.isObject()) {
                    ((ObjectNode) server).remove("description");
                }
            });
            case SETTING -> json.remove("files");
            // The npm tool merges only a hook's "hooks" into the settings file: "supportingFiles", "tags" and any
            // other key of the component stay out of it.
            case HOOK -> json.retain("hooks");
            default -> {
            }
        }
        return json;
    }

    /**
     * A file as the npm tool writes it: it reads every file as text, which drops a leading UTF-8 byte order mark.
     * Anything else stays byte for byte (where the npm tool would mangle a binary file, cct keeps it whole).
     */
    static byte[] asUpstreamWritesIt(byte[] content) {
        boolean bom = content.length >= 3 && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB && content[2] == (byte) 0xBF;
        return bom ? Arrays.copyOfRange(content, 3, content.length) : content;
    }

    /** The same component asked for twice is installed once. */
    private static List<Component> distinct(List<Component> components) {
        Map<String, Component> byKey = new LinkedHashMap<>();
        for (Component c : components) {
            byKey.putIfAbsent(c.type() + ":" + c.id() + ":" + c.origin(), c);
        }
        return List.copyOf(byKey.values());
    }

    /** Every plain file passes here, written as the npm tool writes it. */
    private static void add(FileTree files, String path, byte[] bytes, boolean executable, Component owner) {
        byte[] content = asUpstreamWritesIt(bytes);
        FileTree.Entry existing = files.get(path);
        if (existing != null && !(Arrays.equals(existing.content(), content) && existing.executable() == executable)) {
            throw CctException.badInput(existing.owner() + " and " + owner.displayName() + " would both write " + path,
                    "keep only one of them");
        }
        files.put(path, new FileTree.Entry(content, executable, owner.displayName()));
    }

    private static void recordOwners(Map<String, String> owners, String file, Component c) {
        owners.merge(file, c.displayName(), (a, b) -> a.contains(b) ? a : a + ", " + b);
    }

    private static JsonMerge.ConflictPolicy conflictBetween(Component incoming, Map<String, String> owners, String file) {
        return (path, existing, value) -> {
            throw CctException.badInput(incoming.displayName() + " sets " + path + " in " + file + " to " + value
                    + " but " + owners.getOrDefault(file, "another component") + " set it to " + existing,
                    "keep only one of them");
        };
    }

    /**
     * The npm tool makes a skill's file executable by its name alone (.py or .sh, mode 755), and so does cct: a
     * skill's instructions run its scripts the way its author tested them under that tool.
     */
    static boolean isSkillScript(String path) {
        return path.endsWith(".py") || path.endsWith(".sh");
    }
}
