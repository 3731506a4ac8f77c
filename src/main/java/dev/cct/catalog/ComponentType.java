package dev.cct.catalog;

import java.util.Locale;
import java.util.Optional;

/** The kinds of Claude Code component, with where each lives in a catalog. */
public enum ComponentType {
    AGENT("agent", "agents", ".md"),
    COMMAND("command", "commands", ".md"),
    MCP("mcp", "mcps", ".json"),
    SETTING("setting", "settings", ".json"),
    HOOK("hook", "hooks", ".json"),
    /** A folder holding SKILL.md and its supporting files. */
    SKILL("skill", "skills", "/SKILL.md");

    private final String label;
    private final String directory;
    private final String suffix;

    ComponentType(String label, String directory, String suffix) {
        this.label = label;
        this.directory = directory;
        this.suffix = suffix;
    }

    /** Singular name as users type it: agent, command, mcp, setting, hook, skill. */
    public String label() {
        return label;
    }

    /** The folder of this type in a catalog: agents, commands, mcps, settings, hooks, skills. */
    public String directory() {
        return directory;
    }

    /** What follows the component name in its catalog path (".md", ".json" or "/SKILL.md"). */
    public String suffix() {
        return suffix;
    }

    /** The catalog-relative path of the main file of {@code category/name}. */
    public String mainPath(String id) {
        return directory + "/" + id + suffix;
    }

    /** Accepts "agent", "agents", "Agent", "mcp-server"... */
    public static Optional<ComponentType> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ComponentType type : values()) {
            if (t.equals(type.label) || t.equals(type.directory) || (type == MCP && t.startsWith("mcp"))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return "agent, command, mcp, setting, hook, skill";
    }
}
