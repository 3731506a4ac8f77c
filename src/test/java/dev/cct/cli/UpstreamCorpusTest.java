package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.testing.CatalogServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every component of a corpus laid out like claude-code-templates (cli-tool/components, docs/components.json),
 * installed by cct into an empty project with {@code --yes} and compared file by file with what the npm tool's
 * installer writes there. The expected trees were derived by reading that installer (cli-tool/src/index.js), never
 * by running cct: JSON files are compared as values, every other file byte for byte, and execute bits both ways.
 * The corpus is served over loopback the way GitHub serves it: raw files, and a contents-API listing for skills.
 */
class UpstreamCorpusTest {
    private static final Path CORPUS = resource("upstream-corpus");
    private static final Path EXPECTED = resource("upstream-corpus-expected");
    private static final String COMPONENTS = "cli-tool/components";
    private static final String CONTENTS = "/repos/corpus/contents/";
    private static final List<String> TYPES = List.of("agents", "commands", "mcps", "settings", "hooks", "skills");

    @TempDir
    Path dir;
    private CatalogServer server;
    private String root;
    /** Repository paths the raw server answers 404 for although the listing still names them. */
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    /** One corpus component: its folder under cli-tool/components and the expected tree, and its install flag. */
    record Case(String type, String id) {
        String flag() {
            return "--" + type.substring(0, type.length() - 1);
        }

        @Override
        public String toString() {
            return type.substring(0, type.length() - 1) + " " + id;
        }
    }

    @BeforeEach
    void serveTheCorpus() throws IOException {
        server = CatalogServer.start(request -> {
            if (request.startsWith("/raw/")) {
                String path = request.substring("/raw/".length());
                Path file = inCorpus(path);
                boolean served = file != null && Files.isRegularFile(file) && !gone.contains(path);
                return served ? Files.readAllBytes(file) : null;
            }
            if (request.startsWith(CONTENTS)) {
                String path = request.substring(CONTENTS.length());
                Path folder = inCorpus(path);
                return folder != null && Files.isDirectory(folder) ? listing(path, folder) : null;
            }
            return null;
        });
        root = server.root();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRunner cli() {
        return new CliRunner(dir).env("CCT_CATALOG_URL", root + "/raw/" + COMPONENTS)
                .env("CCT_CATALOG_INDEX_URL", root + "/raw/docs/components.json")
                .env("CCT_CATALOG_CONTENTS_URL", root + CONTENTS + COMPONENTS);
    }

    static Stream<Case> components() {
        return indexedComponents().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void installsExactlyWhatTheNpmToolInstalls(Case component) throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        CliRunner.Result install = cli().run(component.flag(), component.id(), "--directory", project.toString(), "--yes");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(differences(EXPECTED.resolve(component.type()).resolve(component.id()), project)).isEmpty();
        assertThat(CliRunner.filesUnder(dir.resolve("home"))).as("nothing outside the project").isEmpty();
    }

    @Test
    void indexCorpusAndExpectationsNameTheSameComponents() throws IOException {
        Set<Case> inCorpus = new TreeSet<>(java.util.Comparator.comparing(Case::toString));
        Set<Case> expected = new TreeSet<>(java.util.Comparator.comparing(Case::toString));
        for (String type : TYPES) {
            try (Stream<Path> categories = Files.list(CORPUS.resolve(COMPONENTS).resolve(type))) {
                for (Path category : categories.filter(Files::isDirectory).toList()) {
                    try (Stream<Path> entries = Files.list(category)) {
                        entries.filter(p -> type.equals("skills") ? Files.isDirectory(p) : isMainFile(type, p))
                                .forEach(p -> inCorpus.add(new Case(type, category.getFileName() + "/" + stem(p.getFileName()))));
                    }
                }
            }
            try (Stream<Path> names = Files.walk(EXPECTED.resolve(type), 2)) {
                names.filter(p -> EXPECTED.resolve(type).relativize(p).getNameCount() == 2)
                        .forEach(p -> expected.add(new Case(type, EXPECTED.resolve(type).relativize(p).toString())));
            }
        }
        assertThat(indexedComponents()).containsExactlyInAnyOrderElementsOf(inCorpus).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void searchFindsCorpusEntriesRankedByDownloadsWithTheirSource() throws IOException {
        CliRunner.Result search = cli().run("components", "search", "ledger", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode hits = Json.mapper().readTree(search.out());
        assertThat(field(hits, "name")).containsExactly("bookkeeping/csv-ledger", "bookkeeping/ledger-auditor",
                "statusline/ledger-line", "database/ledger-sqlite", "permissions/ledger-read-only");
        assertThat(field(hits, "type")).containsExactly("skill", "agent", "setting", "mcp", "setting");
        assertThat(field(hits, "downloads")).containsExactly("1200", "410", "230", "95", "57");
        assertThat(field(hits, "source")).containsOnly("upstream");

        assertThat(cli().run("components", "search", "ledger").out())
                .containsPattern("bookkeeping/csv-ledger +upstream +1200 +Reconcile bank exports");
    }

    @Test
    void listShowsTheCorpusEntriesOfATypeMostDownloadedFirst() throws IOException {
        CliRunner.Result list = cli().run("components", "list", "--type", "hook", "--json");
        assertThat(list.code()).as(list.err()).isZero();
        JsonNode hooks = Json.mapper().readTree(list.out());
        // The bundled hooks have no download counts, so the corpus's come first.
        assertThat(field(hooks, "name").subList(0, 4)).containsExactly("quality/lint-on-edit", "security/secret-sniffer",
                "monitoring/subagent-review", "automation/worktree-notes");
        assertThat(field(hooks, "source").subList(0, 4)).containsOnly("upstream");
    }

    @Test
    void aSkillWhoseListedFileTheServerThenLosesIsRefusedAndWritesNothing() throws IOException {
        gone.add(COMPONENTS + "/skills/bookkeeping/csv-ledger/data/table.csv");
        Path project = Files.createDirectories(dir.resolve("project"));
        CliRunner.Result install = cli().run("--skill", "bookkeeping/csv-ledger", "--directory", project.toString(), "--yes");
        assertThat(install.code()).isEqualTo(2);
        assertThat(install.err()).contains("bookkeeping/csv-ledger", "data/table.csv");
        assertThat(CliRunner.filesUnder(project)).isEmpty();
    }

    // --- the corpus and its expectations

    private static List<Case> indexedComponents() {
        try {
            JsonNode index = Json.mapper().readTree(CORPUS.resolve("docs/components.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (String type : TYPES) {
                index.path(type).forEach(entry -> cases.add(new Case(type, stem(Path.of(entry.path("path").asText())))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "category/name" of an indexed path or a corpus file: the extension of agents, commands and JSON types dropped. */
    private static String stem(Path path) {
        String name = path.toString();
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') && dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean isMainFile(String type, Path file) {
        return file.getFileName().toString().endsWith(type.equals("agents") || type.equals("commands") ? ".md" : ".json");
    }

    /** Every way the installed tree differs from the expected one; empty when they are the same. */
    private static List<String> differences(Path expectedRoot, Path actualRoot) throws IOException {
        Map<String, Path> expected = files(expectedRoot);
        Map<String, Path> actual = files(actualRoot);
        Set<String> executables = executables(EXPECTED.relativize(expectedRoot).toString() + "/");
        List<String> problems = new ArrayList<>();
        for (String path : union(expected.keySet(), actual.keySet())) {
            if (!actual.containsKey(path)) {
                problems.add(path + ": not installed");
            } else if (!expected.containsKey(path)) {
                problems.add(path + ": installed, but the npm tool does not write it");
            } else {
                String content = contentDifference(path, expected.get(path), actual.get(path));
                if (content != null) {
                    problems.add(path + ": " + content);
                }
                boolean executable = Files.getPosixFilePermissions(actual.get(path)).contains(PosixFilePermission.OWNER_EXECUTE);
                if (executable != executables.contains(path)) {
                    problems.add(path + (executable ? ": executable, the npm tool leaves it 644" : ": not executable, the npm tool makes it 755"));
                }
            }
        }
        return problems;
    }

    private static String contentDifference(String path, Path expected, Path actual) throws IOException {
        byte[] want = Files.readAllBytes(expected);
        byte[] got = Files.readAllBytes(actual);
        if (path.endsWith(".json")) {
            JsonNode wantJson = Json.mapper().readTree(want);
            JsonNode gotJson = Json.mapper().readTree(got);
            return wantJson.equals(gotJson) ? null : "JSON differs: expected " + Json.compact(wantJson) + " got " + Json.compact(gotJson);
        }
        return Arrays.equals(want, got) ? null : "content differs: expected " + want.length + " bytes "
                + preview(want) + ", got " + got.length + " bytes " + preview(got);
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String head = text.length() > 40 ? text.substring(0, 40) : text;
        String tail = text.length() > 40 ? text.substring(text.length() - 20) : "";
        return Json.mapper().valueToTree(head).toString() + (tail.isEmpty() ? "" : "…" + Json.mapper().valueToTree(tail));
    }

    /** The manifest's paths under one component's expected folder, relative to it. */
    private static Set<String> executables(String componentPrefix) throws IOException {
        Set<String> paths = new TreeSet<>();
        for (String line : Files.readAllLines(EXPECTED.resolve("executables.txt"))) {
            if (line.startsWith(componentPrefix)) {
                paths.add(line.substring(componentPrefix.length()));
            }
        }
        return paths;
    }

    private static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).forEach(p -> files.put(root.relativize(p).toString(), p));
            }
        }
        return files;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.path(name).asText()));
        return values;
    }

    // --- the server

    /** A path inside the corpus, or null for one that would leave it. */
    private static Path inCorpus(String repositoryPath) {
        Path path = CORPUS.resolve(repositoryPath).normalize();
        return path.startsWith(CORPUS) ? path : null;
    }

    /** The folder as GitHub's contents API lists it: one object per entry, sorted by name. */
    private byte[] listing(String repositoryPath, Path folder) throws IOException {
        String prefix = repositoryPath.endsWith("/") ? repositoryPath : repositoryPath + "/";
        ArrayNode items = Json.mapper().createArrayNode();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                String path = prefix + entry.getFileName();
                boolean isDir = Files.isDirectory(entry);
                ObjectNode item = items.addObject().put("name", entry.getFileName().toString()).put("path", path)
                        .put("type", isDir ? "dir" : "file").put("url", root + CONTENTS + path);
                if (isDir) {
                    item.putNull("download_url");
                } else {
                    item.put("download_url", root + "/raw/" + path);
                }
            }
        }
        return Json.compact(items).getBytes(StandardCharsets.UTF_8);
    }

    private static Path resource(String name) {
        try {
            return Path.of(UpstreamCorpusTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
