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

    @Option(names = "--setting", split = ",", paramLabel = "NAME", description = "Setting(s) to merge into .claude/settings.local.json.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--hook", split = ",", paramLabel = "NAME", description = "Hook(s) to install with their scripts.")
    List<String> hooks = new ArrayList<>();

    @Option(names = "--skill", split = ",", paramLabel = "NAME", description = "Skill(s) to install.")
    List<String> skills = new ArrayList<>();

    /** Takes the components an earlier run used, by type label ("agent", "command", ...), when none are named. */
    void use(java.util.Map<String, List<String>> byType) {
        agents.addAll(byType.getOrDefault("agent", List.of()));
        commands.addAll(byType.getOrDefault("command", List.of()));
        mcps.addAll(byType.getOrDefault("mcp", List.of()));
        settings.addAll(byType.getOrDefault("setting", List.of()));
        hooks.addAll(byType.getOrDefault("hook", List.of()));
        skills.addAll(byType.getOrDefault("skill", List.of()));
    }

    boolean any() {
        return !(agents.isEmpty() && commands.isEmpty() && mcps.isEmpty() && settings.isEmpty() && hooks.isEmpty()
                && skills.isEmpty());
    }

    /**
     * Every named component, in flag order; an unknown name is bad input with suggestions. What Claude Code would
     * warn about when loading one is said once, here, and so is a bundled copy standing in for upstream's.
     */
    List<Component> resolve(Catalog catalog, Ui ui) {
        List<Catalog.Resolved> resolved = new ArrayList<>();
        resolveAll(catalog, ComponentType.AGENT, agents, resolved);
        resolveAll(catalog, ComponentType.COMMAND, commands, resolved);
        resolveAll(catalog, ComponentType.MCP, mcps, resolved);
        resolveAll(catalog, ComponentType.SETTING, settings, resolved);
        resolveAll(catalog, ComponentType.HOOK, hooks, resolved);
        resolveAll(catalog, ComponentType.SKILL, skills, resolved);
        List<Component> components = resolved.stream().map(Catalog.Resolved::component).toList();
        String offline = Catalog.offlineNote(resolved);
        if (offline != null) {
            ui.warn(offline);
        }
        components.forEach(component -> component.warnings().forEach(ui::warn));
        return components;
    }

    private static void resolveAll(Catalog catalog, ComponentType type, List<String> names, List<Catalog.Resolved> into) {
        for (String name : names) {
            if (!name.isBlank()) {
                into.add(catalog.locate(type, name));
            }
        }
    }
}
