package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.testing.CatalogServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cct components list|search|show} across the bundled catalog and upstream's index, bundled names that
 * upstream also has, and remote skills installed whole, against a local HTTP server laid out like the repository:
 * cli-tool/components, docs/components.json and a GitHub-contents-API-shaped listing.
 */
class ComponentsIndexTest {
    // The shape of upstream's docs/components.json, trimmed: quoted multi-line descriptions, extra fields, and
    // types cct does not install.
    private static final String INDEX = """
            {"agents":[
              {"name":"react-pro","path":"web/react-pro.md","category":"web","type":"agent",
               "description":"\\"Builds React apps.\\\\n\\\\n<example>user: hi</example>\\"","author":"","downloads":300,
               "security":{"validated":false}},
              {"name":"security-auditor","path":"security/security-auditor.md","category":"security","type":"agent",
               "description":"Audits.","downloads":50},
              {"name":"frontend-developer","path":"web/frontend-developer.md","category":"web","type":"agent",
               "description":"Frontend.","downloads":900},
              {"name":"react-tiny","path":"web/react-tiny.md","category":"web","type":"agent",
               "description":"A small React helper.","downloads":2}],
             "skills":[{"name":"react-skill","path":"web/react-skill","category":"web","type":"skill",
               "description":"React skill.","downloads":120,"references":[]}],
             "templates":[{"name":"angular-app","id":"angular-app","type":"template","downloads":7}],
             "plugins":[],
             "componentsMarketplace":{}}
            """;

    @TempDir
    Path dir;
    private CatalogServer server;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final AtomicInteger indexRequests = new AtomicInteger();
    private String root;

    @BeforeEach
    void start() throws IOException {
        files.put("/repo/docs/components.json", INDEX);
        files.put("/repo/cli-tool/components/skills/web/react-skill/SKILL.md",
                "---\nname: react-skill\ndescription: React skill.\n---\nUse scripts/lint.sh and data/rules.txt.\n");
        files.put("/repo/cli-tool/components/skills/web/react-skill/scripts/lint.sh", "#!/bin/sh\necho lint\n");
        files.put("/repo/cli-tool/components/skills/web/react-skill/data/rules.txt", "no any\n");
        files.put("/api/skills/web/react-skill", "[{\"name\":\"SKILL.md\",\"type\":\"file\"},"
                + "{\"name\":\"scripts\",\"type\":\"dir\"},{\"name\":\"data\",\"type\":\"dir\"}]");
        files.put("/api/skills/web/react-skill/scripts", "[{\"name\":\"lint.sh\",\"type\":\"file\"}]");
        files.put("/api/skills/web/react-skill/data", "[{\"name\":\"rules.txt\",\"type\":\"file\"}]");
        server = CatalogServer.start(path -> {
            if (path.endsWith("/components.json")) {
                indexRequests.incrementAndGet();
            }
            String body = files.get(path);
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        });
        root = server.root();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The index URL derived from the catalog URL, as for the public repository. */
    private CliRunner cli() {
        return new CliRunner(dir).env("CCT_CATALOG_URL", root + "/repo/cli-tool/components")
                .env("CCT_CATALOG_CONTENTS_URL", root + "/api");
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static JsonNode named(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError(name + " not in " + array);
    }

    @Test
    void searchFindsUpstreamComponentsRankedByDownloads() throws Exception {
        CliRunner.Result search = cli().run("components", "search", "react", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode hits = Json.mapper().readTree(search.out());
        assertThat(names(hits)).startsWith("web/react-pro", "web/react-skill", "web/react-tiny")
                .contains("development-team/react-expert");
        JsonNode pro = named(hits, "web/react-pro");
        assertThat(pro.path("type").asText()).isEqualTo("agent");
        assertThat(pro.path("description").asText()).isEqualTo("Builds React apps.");
        assertThat(pro.path("source").asText()).isEqualTo("upstream");
        assertThat(pro.path("downloads").asLong()).isEqualTo(300);
        assertThat(named(hits, "development-team/react-expert").path("source").asText()).isEqualTo("bundled");
        assertThat(search.err()).isEmpty();

        // Words further down a description count too; the listing shows its first line only.
        JsonNode deeper = Json.mapper().readTree(cli().run("components", "search", "</example>", "--json").out());
        assertThat(names(deeper)).containsExactly("web/react-pro");

        CliRunner.Result table = cli().run("components", "search", "react");
        assertThat(table.out()).containsPattern("web/react-pro +upstream +300 +Builds React apps\\.")
                .containsPattern("development-team/react-expert +bundled");
    }

    @Test
    void listMergesBundledAndIndexEachNameOnceAsWhatItInstalls() throws Exception {
        JsonNode bundledOnly = Json.mapper().readTree(new CliRunner(dir).run("components", "list", "--type", "agent", "--json").out());
        CliRunner.Result list = cli().run("components", "list", "--type", "agent", "--json");
        JsonNode agents = Json.mapper().readTree(list.out());
        // react-pro, react-tiny and web/frontend-developer are new; security/security-auditor is bundled too.
        assertThat(agents.size()).isEqualTo(bundledOnly.size() + 3);
        assertThat(names(agents)).doesNotHaveDuplicates();
        // A name upstream has installs upstream's component, so it is listed as upstream's.
        JsonNode auditor = named(agents, "security/security-auditor");
        assertThat(auditor.path("source").asText()).isEqualTo("upstream");
        assertThat(auditor.path("downloads").asLong()).isEqualTo(50);
        assertThat(auditor.path("description").asText()).isEqualTo("Audits.");
        // The same short name in another category is another component: both listed, neither counted for the other.
        assertThat(names(agents)).first().isEqualTo("web/frontend-developer");
        JsonNode bundledFrontend = named(agents, "development-team/frontend-developer");
        assertThat(bundledFrontend.path("source").asText()).isEqualTo("bundled");
        assertThat(bundledFrontend.path("downloads").asLong()).isZero();
    }

    @Test
    void withoutNetworkOrCacheOnlyTheBundledListWithOneNote() throws Exception {
        server.close();
        CliRunner.Result list = cli().run("components", "list", "--json");
        assertThat(list.code()).isZero();
        JsonNode all = Json.mapper().readTree(list.out());
        all.forEach(n -> assertThat(n.path("source").asText()).isEqualTo("bundled"));
        assertThat(all.size()).isGreaterThanOrEqualTo(40);
        assertThat(list.err().strip().lines()).hasSize(1);
        assertThat(list.err()).contains("upstream index unreachable", "showing bundled components only");
    }

    @Test
    void indexIsCachedWithTheRemoteCatalogsOfflineRules() throws Exception {
        assertThat(cli().run("components", "search", "react-pro").out()).contains("web/react-pro");
        assertThat(indexRequests.get()).isEqualTo(1);
        // Fresh: used without asking.
        assertThat(cli().run("components", "search", "react-pro").out()).contains("web/react-pro");
        assertThat(indexRequests.get()).isEqualTo(1);

        // Stale, network answers: refreshed.
        age(Duration.ofDays(2));
        files.put("/repo/docs/components.json", INDEX.replace("react-tiny", "react-mini"));
        assertThat(cli().run("components", "search", "react-mini").out()).contains("web/react-mini");
        assertThat(indexRequests.get()).isEqualTo(2);

        // Stale, network silent: used as it is, without a note.
        age(Duration.ofDays(2));
        server.close();
        CliRunner.Result offline = cli().run("components", "search", "react-mini");
        assertThat(offline.out()).contains("web/react-mini");
        assertThat(offline.err()).isEmpty();
    }

    @Test
    void indexUrlCanBeSetOnItsOwn() throws Exception {
        files.put("/elsewhere/index.json", INDEX.replace("react-pro", "react-elsewhere"));
        CliRunner.Result search = new CliRunner(dir).env("CCT_CATALOG_INDEX_URL", root + "/elsewhere/index.json")
                .run("components", "search", "react", "--json");
        assertThat(names(Json.mapper().readTree(search.out()))).first().isEqualTo("web/react-elsewhere");
    }

    @Test
    void aRemoteSkillInstallsEveryFileOfItsFolder() throws Exception {
        CliRunner.Result install = cli().env("ANTHROPIC_API_KEY", "sk-ant-test-0000000000").run("--skill", "web/react-skill");
        assertThat(install.code()).as(install.err()).isZero();
        Path skill = dir.resolve(".claude/skills/react-skill");
        assertThat(skill.resolve("SKILL.md")).exists();
        assertThat(Files.readString(skill.resolve("scripts/lint.sh"))).isEqualTo("#!/bin/sh\necho lint\n");
        assertThat(Files.readString(skill.resolve("data/rules.txt"))).isEqualTo("no any\n");
    }

    @Test
    void aRemoteSkillMissingAFileIsRefusedAndNothingIsWritten() {
        files.remove("/repo/cli-tool/components/skills/web/react-skill/data/rules.txt");
        CliRunner.Result install = cli().env("ANTHROPIC_API_KEY", "sk-ant-test-0000000000").run("--skill", "web/react-skill");
        assertThat(install.code()).isEqualTo(2);
        assertThat(install.err().strip().lines()).hasSize(1);
        assertThat(install.err()).contains("skill web/react-skill cannot be fetched whole", "data/rules.txt");
        assertThat(dir.resolve(".claude")).doesNotExist();
    }

    private static final String AUDITOR = "/repo/cli-tool/components/agents/security/security-auditor.md";
    private static final String UPSTREAM_AUDITOR = "---\nname: security-auditor\ndescription: Upstream's auditor.\n---\nUpstream body.\n";

    @Test
    void aNameUpstreamHasInstallsUpstreamsComponentNotTheBundledCopy() throws Exception {
        files.put(AUDITOR, UPSTREAM_AUDITOR);
        CliRunner.Result show = cli().run("components", "show", "security/security-auditor");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("Source: upstream\n", "Upstream body.", root + AUDITOR);
        assertThat(show.err()).isEmpty();

        CliRunner.Result install = cli().env("ANTHROPIC_API_KEY", "sk-ant-test-0000000000").run("--agent", "security-auditor");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.err()).doesNotContain("offline");
        assertThat(dir.resolve(".claude/agents/security-auditor.md")).hasContent(UPSTREAM_AUDITOR.strip());

        // Fetched once, then served from the cache, which listings tell apart: it installs offline.
        assertThat(cli().run("components", "show", "agent:security-auditor").out()).contains("Source: cached upstream\n");
        JsonNode hits = Json.mapper().readTree(cli().run("components", "search", "audit", "--json").out());
        assertThat(named(hits, "security/security-auditor").path("source").asText()).isEqualTo("cached upstream");
        assertThat(cli().run("components", "search", "audit").out())
                .containsPattern("security/security-auditor +cached upstream +50 +Audits\\.");
    }

    @Test
    void aCachedUpstreamCopyIsUsedOfflineBeforeTheBundledOne() throws Exception {
        files.put(AUDITOR, UPSTREAM_AUDITOR);
        cli().run("components", "show", "security/security-auditor");
        age(Duration.ofDays(3));
        server.close();
        CliRunner.Result show = cli().run("components", "show", "security/security-auditor");
        assertThat(show.out()).contains("Source: cached upstream\n", "Upstream body.");
        assertThat(show.err()).isEmpty();
    }

    @Test
    void offlineWithoutCacheTheBundledCopyStandsInWithOneNote() throws Exception {
        String bundled = new String(dev.cct.catalog.BundledCatalog.load().read("agents/security/security-auditor.md"),
                StandardCharsets.UTF_8);
        server.close();
        CliRunner.Result show = cli().run("components", "show", "security/security-auditor");
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("Source: bundled (offline copy)\n");
        assertThat(show.err().strip().lines()).singleElement().asString()
                .startsWith("warning: used the bundled offline copy of agent security/security-auditor: upstream ")
                .contains("cannot be reached");

        CliRunner.Result install = cli().env("ANTHROPIC_API_KEY", "sk-ant-test-0000000000")
                .run("--agent", "security-auditor", "--command", "testing/generate-tests");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.err().lines().filter(l -> l.contains("offline"))).singleElement().asString()
                .contains("used the bundled offline copies of agent security/security-auditor, command testing/generate-tests");
        assertThat(dir.resolve(".claude/agents/security-auditor.md")).hasContent(bundled.strip());
    }

    @Test
    void aNameOnlyTheBundledCatalogHasStaysBundledWithoutANote() {
        CliRunner.Result show = cli().run("components", "show", "react-expert");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("agent development-team/react-expert", "Source: bundled\n");
        assertThat(show.err()).isEmpty();
    }

    @Test
    void typosAreMatchedAgainstUpstreamsNamesToo() {
        CliRunner.Result install = cli().env("ANTHROPIC_API_KEY", "sk-ant-test-0000000000").run("--agent", "web/react-pr");
        assertThat(install.code()).isEqualTo(2);
        assertThat(install.err()).contains("unknown agent 'web/react-pr'", "did you mean web/react-pro");
        assertThat(cli().run("components", "show", "react-tin").err()).contains("did you mean", "web/react-tiny");
    }

    private void age(Duration by) throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve("cache"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
            }
        }
    }
}
