package dev.cct.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.ExitCode;
import dev.cct.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what users type ({@code security/security-auditor}, {@code frontend-developer}, {@code ./my-agent.md})
 * into validated components: local paths first, then the names the bundled catalog knows (full name, category
 * alias, or unique short name), then the remote catalog for full names it does not hold. A bundled name that
 * upstream also has is upstream's component: the bundled copy only stands in when upstream cannot be asked and
 * nothing is cached, so cct installs what the npm tool would.
 */
public final class Catalog {
    public static final String BUNDLED = "bundled";
    public static final String UPSTREAM = "upstream";
    public static final String CACHED_UPSTREAM = "cached upstream";
    public static final String BUNDLED_OFFLINE = "bundled (offline copy)";
    public static final String LOCAL = "local";
    private static final long MAX_LOCAL_FILE = 1 << 20;
    private final BundledCatalog bundled;
    private final CatalogSource remote;
    private final Environment environment;
    private Map<String, Map<String, String>> aliases;
    private final String indexUrl;
    private Listing listing;

    public Catalog(BundledCatalog bundled, CatalogSource remote, Environment environment) {
        this(bundled, remote, null, environment);
    }

    /** {@code indexUrl}: upstream's components.json to list and search beyond the bundled catalog, or null. */
    public Catalog(BundledCatalog bundled, CatalogSource remote, String indexUrl, Environment environment) {
        this.bundled = bundled;
        this.remote = remote;
        this.environment = environment;
        this.indexUrl = indexUrl;
    }

    /** The bundled catalog, with CCT_CATALOG_URL (or the public catalog) behind it, cached under the user's cache. */
    public static Catalog standard(Environment environment) {
        String base = environment.get("CCT_CATALOG_URL") != null ? environment.get("CCT_CATALOG_URL")
                : RemoteCatalog.DEFAULT_BASE_URL;
        RemoteCatalog remote = new RemoteCatalog(base, environment.get("CCT_CATALOG_CONTENTS_URL"),
                environment.cacheDirectory(), Duration.ofHours(24), Clock.systemUTC());
        String index = environment.get("CCT_CATALOG_INDEX_URL") != null ? environment.get("CCT_CATALOG_INDEX_URL")
                : CatalogIndex.derivedUrl(base);
        return new Catalog(BundledCatalog.load(), remote, index, environment);
    }

    /**
     * One listed component.
     *
     * @param source where its name resolves: {@link #BUNDLED}, {@link #UPSTREAM} or {@link #CACHED_UPSTREAM}
     * @param text   what a search looks through besides the name: the whole description, in lower case
     */
    public record Entry(ComponentType type, String id, String description, long downloads, String source, String text) {
    }

    /** Every component cct can name, and a one-line note when the upstream index could not be had. */
    public record Listing(List<Entry> entries, String note) {
        public List<Entry> of(ComponentType type) {
            return entries.stream().filter(e -> e.type() == type).toList();
        }
    }

    /**
     * Bundled components plus upstream's index, each name once, ordered by type, then most downloaded first. A
     * name both hold is listed as upstream's, since that is what it installs; one already on disk installs offline,
     * so it is listed as cached. The index is cached like remote
     * components: without network or cache the bundled ones are still listed, with a note saying why the rest
     * are not.
     */
    public Listing listing() {
        if (listing != null) {
            return listing;
        }
        String note = null;
        CatalogIndex index = null;
        if (indexUrl != null) {
            int slash = indexUrl.lastIndexOf('/');
            String folder = indexUrl.substring(0, slash);
            RemoteCatalog source = remote instanceof RemoteCatalog r ? r.beside(folder)
                    : new RemoteCatalog(folder, environment.cacheDirectory(), Duration.ofHours(24), Clock.systemUTC());
            String only = "; showing bundled components only";
            try {
                String file = indexUrl.substring(slash + 1);
                byte[] bytes = source.read(file);
                if (bytes == null) {
                    note = "the upstream index " + indexUrl + " does not exist (HTTP 404)" + only;
                } else {
                    index = CatalogIndex.read(bytes, source.cacheFileBeside(file, ".digest"));
                }
            } catch (RemoteCatalog.Unreachable e) {
                note = "upstream index unreachable: " + e.getMessage() + only;
            } catch (IllegalArgumentException e) {
                note = "the upstream index " + indexUrl + " is unreadable (" + e.getMessage() + ")" + only;
            }
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> cached = remote instanceof RemoteCatalog r ? r.cachedPaths() : Set.of();
        List<BundledCatalog.Summary> bundledSummaries = bundled.summaries();
        for (ComponentType type : ComponentType.values()) {
            Map<String, CatalogIndex.Entry> upstream = new LinkedHashMap<>();
            for (CatalogIndex.Entry e : index == null ? List.<CatalogIndex.Entry>of() : index.entries(type)) {
                upstream.putIfAbsent(e.id(), e);
            }
            List<Entry> ofType = new ArrayList<>();
            for (BundledCatalog.Summary c : bundledSummaries) {
                if (c.type() == type && !upstream.containsKey(c.id())) {
                    ofType.add(new Entry(type, c.id(), c.description(), 0, BUNDLED, c.description().toLowerCase(Locale.ROOT)));
                }
            }
            for (CatalogIndex.Entry e : upstream.values()) {
                ofType.add(new Entry(type, e.id(), e.description(), e.downloads(),
                        cached.contains(type.mainPath(e.id())) ? CACHED_UPSTREAM : UPSTREAM, e.text()));
            }
            ofType.sort(Comparator.comparingLong(Entry::downloads).reversed().thenComparing(Entry::id));
            entries.addAll(ofType);
        }
        listing = new Listing(List.copyOf(entries), note);
        return listing;
    }

    /** Every name of {@code type} cct knows of: bundled, and upstream's index when it could be had. */
    public List<String> names(ComponentType type) {
        Set<String> names = new LinkedHashSet<>(bundled.ids(type));
        listing().of(type).forEach(e -> names.add(e.id()));
        return List.copyOf(names);
    }

    public BundledCatalog bundled() {
        return bundled;
    }

    /** Every bundled component of a type, parsed. */
    public List<Component> list(ComponentType type) {
        List<Component> components = new ArrayList<>();
        for (String id : bundled.ids(type)) {
            components.add(load(bundled, type, id));
        }
        return components;
    }

    /**
     * A resolved component and where it came from.
     *
     * @param source        {@link #LOCAL}, {@link #BUNDLED}, {@link #UPSTREAM}, {@link #CACHED_UPSTREAM}, or
     *                      {@link #BUNDLED_OFFLINE} when upstream has the name but could not be asked
     * @param offlineReason why upstream could not be asked, for {@link #BUNDLED_OFFLINE}; else null
     */
    public record Resolved(Component component, String source, String offlineReason) {
    }

    public Component resolve(ComponentType type, String spec) {
        return locate(type, spec).component();
    }

    public Resolved locate(ComponentType type, String spec) {
        String name = spec.trim();
        if (name.isEmpty()) {
            throw CctException.badInput("empty " + type.label() + " name", "give --" + type.label() + " a name such as "
                    + example(type));
        }
        if (looksLikePath(name)) {
            return new Resolved(loadLocal(type, name), LOCAL, null);
        }
        String id = name.toLowerCase(Locale.ROOT).endsWith(type.suffix()) ? name.substring(0, name.length() - type.suffix().length()) : name;
        List<String> ids = bundled.ids(type);
        if (id.contains("/")) {
            String canonical = applyAlias(type, id);
            if (ids.contains(canonical)) {
                return upstreamFirst(type, canonical);
            }
            if (remote != null && isSafeId(id)) {
                try {
                    Component fetched = loadOrNull(remote, type, id);
                    if (fetched != null) {
                        return new Resolved(fetched, fetchedSource(type, id), null);
                    }
                } catch (RemoteCatalog.Unreachable e) {
                    throw unknown(type, name + "' (not bundled, and the remote catalog " + e.getMessage() + ")", name);
                }
            }
        } else {
            List<String> matches = ids.stream().filter(i -> i.substring(i.lastIndexOf('/') + 1).equals(id)).toList();
            if (matches.size() == 1) {
                return upstreamFirst(type, matches.get(0));
            }
            if (matches.size() > 1) {
                throw CctException.badInput(type.label() + " '" + id + "' is ambiguous: " + String.join(", ", matches),
                        "name it with its category");
            }
        }
        throw unknown(type, name + "'", name);
    }

    /**
     * A bundled name: upstream's component when upstream has it (a 404 means it does not, and is cached as such),
     * the bundled copy when upstream says no, and the bundled copy as a stand-in when upstream cannot be asked.
     */
    private Resolved upstreamFirst(ComponentType type, String id) {
        if (remote == null) {
            return new Resolved(load(bundled, type, id), BUNDLED, null);
        }
        try {
            Component fetched = loadOrNull(remote, type, id);
            return fetched != null ? new Resolved(fetched, fetchedSource(type, id), null)
                    : new Resolved(load(bundled, type, id), BUNDLED, null);
        } catch (RemoteCatalog.Unreachable e) {
            return new Resolved(load(bundled, type, id), BUNDLED_OFFLINE, e.getMessage());
        } catch (CctException e) {
            // Upstream's skill folder could not be listed: as unreachable as a file that could not be fetched.
            if (e.getCause() instanceof RemoteCatalog.Unreachable u) {
                return new Resolved(load(bundled, type, id), BUNDLED_OFFLINE, u.getMessage());
            }
            throw e;
        }
    }

    private String fetchedSource(ComponentType type, String id) {
        return remote instanceof RemoteCatalog r && !r.wasFetched(type.mainPath(id)) ? CACHED_UPSTREAM : UPSTREAM;
    }

    /** The one line that says which components are bundled stand-ins for upstream's, or null when none are. */
    public static String offlineNote(List<Resolved> resolved) {
        List<Resolved> standIns = resolved.stream().filter(r -> r.offlineReason() != null).toList();
        if (standIns.isEmpty()) {
            return null;
        }
        return "used the bundled offline cop" + (standIns.size() == 1 ? "y" : "ies") + " of "
                + String.join(", ", standIns.stream().map(r -> r.component().displayName()).toList())
                + ": upstream " + standIns.get(0).offlineReason();
    }

    private CctException unknown(ComponentType type, String what, String name) {
        List<String> close = Suggestions.closest(name, names(type), 3);
        String fix = close.isEmpty()
                ? "see 'cct components list --type " + type.label() + "'"
                : "did you mean " + String.join(", ", close) + "? (see 'cct components search " + lastPart(name) + "')";
        return CctException.badInput("unknown " + type.label() + " '" + what, fix);
    }

    private static String lastPart(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String example(ComponentType type) {
        return switch (type) {
            case AGENT -> "security/security-auditor";
            case COMMAND -> "testing/generate-tests";
            case MCP -> "database/postgresql";
            case SETTING -> "permissions/deny-sensitive-files";
            case HOOK -> "security/block-dangerous-commands";
            case SKILL -> "security/threat-model";
        };
    }

    /** A path-shaped name is read from disk: ./x, ../x, /x, ~/x, or a name ending in the type's extension. */
    static boolean looksLikePath(String name) {
        return name.startsWith("./") || name.startsWith("../") || name.startsWith("/") || name.startsWith("~/")
                || name.equals(".") || name.endsWith(".md") || name.endsWith(".json");
    }

    /** Remote names become URL paths: only plain segments, never "..". */
    private static boolean isSafeId(String id) {
        for (String part : id.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || !part.matches("[A-Za-z0-9._-]+")) {
                return false;
            }
        }
        return true;
    }

    private String applyAlias(ComponentType type, String id) {
        String category = id.substring(0, id.lastIndexOf('/'));
        String replacement = aliases().getOrDefault(type.directory(), Map.of()).get(category);
        return replacement == null ? id : replacement + id.substring(category.length());
    }

    /** Category aliases (components/aliases.json) keep names from older docs working, e.g. development/ -> development-team/. */
    private Map<String, Map<String, String>> aliases() {
        if (aliases == null) {
            aliases = new LinkedHashMap<>();
            byte[] file = bundled.read("aliases.json");
            if (file != null) {
                try {
                    JsonNode root = Json.mapper().readTree(file);
                    root.fields().forEachRemaining(type -> {
                        Map<String, String> map = new LinkedHashMap<>();
                        type.getValue().fields().forEachRemaining(a -> map.put(a.getKey(), a.getValue().asText()));
                        aliases.put(type.getKey(), map);
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException("bundled aliases.json is broken", e);
                }
            }
        }
        return aliases;
    }

    static Component load(CatalogSource source, ComponentType type, String id) {
        Component component = loadOrNull(source, type, id);
        if (component == null) {
            throw new IllegalStateException("listed but unreadable: " + id);
        }
        return component;
    }

    private static Component loadOrNull(CatalogSource source, ComponentType type, String id) {
        String mainPath = type.mainPath(id);
        byte[] main = source.read(mainPath);
        if (main == null) {
            return null;
        }
        Map<String, byte[]> support = new LinkedHashMap<>();
        if (type == ComponentType.HOOK) {
            String folder = type.directory() + "/" + id.substring(0, id.lastIndexOf('/') + 1);
            for (String script : hookScripts(id, main)) {
                byte[] bytes = source.read(folder + script);
                if (bytes != null) {
                    support.put(script, bytes);
                }
            }
        } else if (type == ComponentType.SETTING && id.startsWith("statusline/")) {
            // The npm tool fetches a statusline's same-named .py (read, never listed: a remote source cannot list).
            String script = id.substring(id.lastIndexOf('/') + 1) + ".py";
            byte[] bytes = source.read(type.directory() + "/" + id + ".py");
            if (bytes != null) {
                support.put(script, bytes);
            }
        } else if (type == ComponentType.SKILL) {
            // A skill is its whole folder: one file that cannot be fetched refuses the skill rather than
            // installing the rest of it as if that were all.
            String folder = type.directory() + "/" + id + "/";
            try {
                for (String path : source.list(folder)) {
                    if (!path.equals(mainPath)) {
                        byte[] bytes = source.read(path);
                        if (bytes == null) {
                            throw incompleteSkill(id, source.describe(path) + " is missing", null);
                        }
                        support.put(path.substring(folder.length()), bytes);
                    }
                }
            } catch (RemoteCatalog.Unreachable e) {
                throw incompleteSkill(id, e.getMessage(), e);
            }
        }
        return ComponentParser.parse(type, id, source.describe(mainPath), main, ComponentParser.copy(support));
    }

    /**
     * The scripts a hook brings: the npm tool's "{name}.py" and "{name}.sh" beside it (each when it exists, named in
     * the hook or not), and any other script beside it that the hook's commands run from .claude/hooks/.
     */
    private static Set<String> hookScripts(String id, byte[] hookJson) {
        String name = id.substring(id.lastIndexOf('/') + 1);
        Set<String> scripts = new LinkedHashSet<>(List.of(name + ".py", name + ".sh"));
        scripts.addAll(ComponentParser.referencedScripts(hookJson));
        return scripts;
    }

    /** {@code unreachable}: the listing that could not be had, so a bundled copy may still stand in. */
    private static CctException incompleteSkill(String id, String why, RemoteCatalog.Unreachable unreachable) {
        return new CctException(ExitCode.BAD_INPUT, "skill " + id + " cannot be fetched whole: " + why
                + "; try again when the catalog is reachable; nothing was installed", unreachable);
    }

    private Component loadLocal(ComponentType type, String spec) {
        Path path = environment.resolve(spec);
        if (!Files.exists(path)) {
            throw CctException.badInput(type.label() + " file " + spec + " does not exist", "check the path");
        }
        try {
            if (type == ComponentType.SKILL) {
                Path folder = Files.isDirectory(path) ? path : path.getParent();
                Path skillFile = folder.resolve("SKILL.md");
                if (!Files.isRegularFile(skillFile)) {
                    throw CctException.badInput("skill folder " + spec + " has no SKILL.md", "point --skill at a folder holding SKILL.md");
                }
                Map<String, byte[]> support = new LinkedHashMap<>();
                try (Stream<Path> walk = Files.walk(folder)) {
                    for (Path file : (Iterable<Path>) walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))::iterator) {
                        if (!file.equals(skillFile)) {
                            support.put(folder.relativize(file).toString().replace('\\', '/'), readLimited(file));
                        }
                    }
                }
                return ComponentParser.parse(type, folder.getFileName().toString(), folder.toString(),
                        readLimited(skillFile), ComponentParser.copy(support));
            }
            if (!Files.isRegularFile(path)) {
                throw CctException.badInput(type.label() + " " + spec + " is not a file", "point --" + type.label()
                        + " at a " + type.suffix() + " file");
            }
            String fileName = path.getFileName().toString();
            String id = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
            byte[] main = readLimited(path);
            Map<String, byte[]> support = new LinkedHashMap<>();
            if (type == ComponentType.HOOK) {
                for (String script : hookScripts(id, main)) {
                    Path scriptFile = path.resolveSibling(script);
                    if (Files.isRegularFile(scriptFile)) {
                        support.put(script, readLimited(scriptFile));
                    }
                }
            }
            return ComponentParser.parse(type, id, path.toString(), main, ComponentParser.copy(support));
        } catch (IOException e) {
            throw CctException.badInput("cannot read " + type.label() + " " + spec + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }

    private static byte[] readLimited(Path file) throws IOException {
        if (Files.size(file) > MAX_LOCAL_FILE) {
            throw CctException.badInput(file + " is larger than 1 MiB", "components are small text files; use --upload for data");
        }
        return Files.readAllBytes(file);
    }
}
