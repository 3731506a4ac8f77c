package dev.cct.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.catalog.Catalog;
import dev.cct.catalog.Component;
import dev.cct.catalog.ComponentType;
import dev.cct.catalog.FileTree;
import dev.cct.catalog.Renderer;
import dev.cct.core.CctException;
import dev.cct.core.Json;
import dev.cct.ui.Ui;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cct components list|search|show}: browse the bundled catalog and upstream's index (cached, offline-safe). */
@Command(name = "components", description = "Browse the component catalog: bundled, and upstream's index.",
        subcommands = {}, synopsisSubcommandLabel = "(list | search | show)")
public final class ComponentsCommand {
    private final Context context;

    public ComponentsCommand(Context context) {
        this.context = context;
    }

    @Command(name = "list", description = "List components, grouped by type, most downloaded first.")
    int list(@Mixin DisplayOptions display, @Option(names = "--type", paramLabel = "TYPE", description = "Only this type: agent, command, mcp, setting, hook, skill.") String type,
             @Option(names = "--json", description = "One JSON array instead of a table.") boolean json) {
        Ui ui = context.ui(display);
        List<ComponentType> types = type == null ? Arrays.asList(ComponentType.values()) : List.of(parseType(type));
        Catalog.Listing listing = listing(ui);
        List<Catalog.Entry> entries = new ArrayList<>();
        for (ComponentType t : types) {
            entries.addAll(listing.of(t));
        }
        print(ui, entries, json, true);
        return 0;
    }

    @Command(name = "search", description = "Find components whose name or description has all the WORDS, most downloaded first.")
    int search(@Mixin DisplayOptions display, @Parameters(arity = "1..*", paramLabel = "WORDS") List<String> words,
               @Option(names = "--type", paramLabel = "TYPE", description = "Only this type: agent, command, mcp, setting, hook, skill.") String type,
               @Option(names = "--json", description = "One JSON array instead of a table.") boolean json) {
        Ui ui = context.ui(display);
        List<String> needles = words.stream().flatMap(w -> Arrays.stream(w.toLowerCase(Locale.ROOT).split("\\s+")))
                .filter(w -> !w.isBlank()).toList();
        List<ComponentType> types = type == null ? Arrays.asList(ComponentType.values()) : List.of(parseType(type));
        record Hit(Catalog.Entry entry, int score) {
        }
        List<Hit> hits = new ArrayList<>();
        Catalog.Listing listing = listing(ui);
        for (ComponentType t : types) {
            for (Catalog.Entry e : listing.of(t)) {
                String id = e.id().toLowerCase(Locale.ROOT);
                String text = id + " " + e.text();
                if (needles.stream().allMatch(text::contains)) {
                    int score = (int) needles.stream().filter(id::contains).count();
                    hits.add(new Hit(e, score));
                }
            }
        }
        // Downloads rank first (what most people use); among equals, a word in the name beats one in the description.
        hits.sort(Comparator.comparingLong((Hit h) -> h.entry().downloads()).reversed()
                .thenComparing(Comparator.comparingInt(Hit::score).reversed())
                .thenComparing(h -> h.entry().id()));
        if (hits.isEmpty() && !json) {
            ui.info("No component matches '" + String.join(" ", words) + "'. Try fewer words, or 'cct components list'.");
            return 0;
        }
        print(ui, hits.stream().map(Hit::entry).toList(), json, false);
        return 0;
    }

    private Catalog.Listing listing(Ui ui) {
        Catalog.Listing listing = context.catalog().listing();
        if (listing.note() != null) {
            ui.warn(listing.note());
        }
        return listing;
    }

    @Command(name = "show", description = "Show a component: what it is, the files it installs, and its content.")
    int show(@Mixin DisplayOptions display, @Parameters(paramLabel = "NAME", description = "e.g. security/security-auditor, or agent:frontend-developer") String name,
             @Option(names = "--type", paramLabel = "TYPE", description = "Only this type: agent, command, mcp, setting, hook, skill.") String type) {
        Ui ui = context.ui(display);
        Catalog.Resolved resolved = find(name, type);
        Component component = resolved.component();
        String offline = Catalog.offlineNote(List.of(resolved));
        if (offline != null) {
            ui.warn(offline);
        }
        ui.out().println(ui.bold(component.type().label() + " " + component.id()) + "  " + ui.dim("(" + component.origin() + ")"));
        ui.out().println("Source: " + resolved.source());
        if (!component.description().isEmpty()) {
            ui.out().println(component.description());
        }
        ui.out().println();
        ui.out().println("Installs:");
        FileTree tree = Renderer.render(List.of(component)).toFileTree();
        tree.entries().forEach((path, entry) -> ui.out().println("  " + path + (entry.executable() ? "  (executable)" : "")));
        ui.out().println();
        ui.out().println(component.text().stripTrailing());
        component.supportFiles().forEach((file, bytes) -> {
            ui.out().println();
            ui.out().println(ui.dim("--- " + file + " ---"));
            ui.out().println(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
        });
        return 0;
    }

    /** "type:name" or a name with --type, else the one type that has it. */
    private Catalog.Resolved find(String name, String type) {
        Catalog catalog = context.catalog();
        String wanted = name;
        ComponentType only = type == null ? null : parseType(type);
        int colon = name.indexOf(':');
        if (only == null && colon > 0 && ComponentType.parse(name.substring(0, colon)).isPresent()) {
            only = ComponentType.parse(name.substring(0, colon)).get();
            wanted = name.substring(colon + 1);
        }
        if (only != null) {
            return catalog.locate(only, wanted);
        }
        List<Catalog.Resolved> found = new ArrayList<>();
        CctException firstFailure = null;
        for (ComponentType t : ComponentType.values()) {
            try {
                found.add(catalog.locate(t, wanted));
            } catch (CctException e) {
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw CctException.badInput("'" + name + "' names several components: "
                    + String.join(", ", found.stream().map(r -> r.component().displayName()).toList()), "add --type");
        }
        List<String> all = new ArrayList<>();
        for (ComponentType t : ComponentType.values()) {
            all.addAll(catalog.names(t));
        }
        List<String> close = dev.cct.catalog.Suggestions.closest(wanted, all, 3);
        throw CctException.badInput("unknown component '" + name + "'",
                close.isEmpty() ? "see 'cct components list'" : "did you mean " + String.join(", ", close) + "?");
    }

    static ComponentType parseType(String type) {
        return ComponentType.parse(type).orElseThrow(() -> CctException.badInput("unknown component type '" + type + "'",
                "use one of: " + ComponentType.choices()));
    }

    private void print(Ui ui, List<Catalog.Entry> entries, boolean json, boolean grouped) {
        if (json) {
            ArrayNode array = Json.mapper().createArrayNode();
            for (Catalog.Entry e : entries) {
                ObjectNode node = array.addObject();
                node.put("type", e.type().label());
                node.put("name", e.id());
                node.put("description", e.description());
                node.put("source", e.source());
                node.put("downloads", e.downloads());
            }
            ui.out().println(Json.compact(array));
            return;
        }
        ComponentType current = null;
        int width = entries.stream().mapToInt(e -> e.id().length()).max().orElse(0);
        int sourceWidth = entries.stream().mapToInt(e -> e.source().length()).max().orElse(0);
        for (Catalog.Entry e : entries) {
            if (grouped && e.type() != current) {
                current = e.type();
                ui.out().println(ui.bold(current.directory().toUpperCase(Locale.ROOT)));
            }
            String kind = grouped ? "" : pad(e.type().label(), 7) + " ";
            ui.out().println("  " + kind + ui.cyan(pad(e.id(), width)) + "  " + pad(e.source(), sourceWidth) + " "
                    + String.format(Locale.ROOT, "%7d", e.downloads()) + "  " + ellipsize(e.description(), 100));
        }
        ui.out().flush();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String ellipsize(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
