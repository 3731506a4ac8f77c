package dev.cct.cli;

import dev.cct.catalog.Catalog;
import dev.cct.catalog.Component;
import dev.cct.catalog.ComponentType;
import dev.cct.ui.Ui;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The components a run or an install asks for, by type, as the npm tool's flags name them. */
public final class ComponentOptions {
    @Option(names = "--agent", split = ",", paramLabel = "NAME", description = "Agent(s) to install (repeatable, comma-separated).")
    List<String> agents = new ArrayList<>();

    @Option(names = "--command", split = ",", paramLabel = "NAME", description = "Slash command(s) to install.")
    List<String> commands = new ArrayList<>();

    @Option(names = "--mcp", split = ",", paramLabel = "NAME", description = "MCP server(s) to add to .mcp.json.")
    List<String> mcps = new ArrayList<>();

    @Option(names = "--setting", split = ",", paramLabel = "NAME", description = "Setting(s) to merge into .claude/settings.json.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--hook", split = ",", paramLabel = "NAME", description = "Hook(s) to install with their scripts.")
    List<String> hooks = new ArrayList<>();

    @Option(names = "--skill", split = ",", paramLabel = "NAME", description = "Skill(s) to install.")
    List<String> skills = new ArrayList<>();

    boolean any() {
        return !(agents.isEmpty() && commands.isEmpty() && mcps.isEmpty() && settings.isEmpty() && hooks.isEmpty()
                && skills.isEmpty());
    }

    /**
     * Every named component, in flag order; an unknown name is bad input with suggestions. What Claude Code would
     * warn about when loading one is said once, here.
     */
    List<Component> resolve(Catalog catalog, Ui ui) {
        List<Component> components = new ArrayList<>();
        resolveAll(catalog, ComponentType.AGENT, agents, components);
        resolveAll(catalog, ComponentType.COMMAND, commands, components);
        resolveAll(catalog, ComponentType.MCP, mcps, components);
        resolveAll(catalog, ComponentType.SETTING, settings, components);
        resolveAll(catalog, ComponentType.HOOK, hooks, components);
        resolveAll(catalog, ComponentType.SKILL, skills, components);
        components.forEach(component -> component.warnings().forEach(ui::warn));
        return components;
    }

    private static void resolveAll(Catalog catalog, ComponentType type, List<String> names, List<Component> into) {
        for (String name : names) {
            if (!name.isBlank()) {
                into.add(catalog.resolve(type, name));
            }
        }
    }
}
