package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.testing.CatalogServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote catalog against a local HTTP server with the public catalog's layout. */
class RemoteCatalogTest {
    private static final String AGENT = "---\nname: rust-pro\ndescription: Writes idiomatic Rust.\ntools: Read, Edit\n---\nBe precise.\n";
    private static final String HOOK = "{\"description\":\"fmt\",\"hooks\":{\"PostToolUse\":[{\"matcher\":\"Edit\",\"hooks\":"
            + "[{\"type\":\"command\",\"command\":\"\\\"$CLAUDE_PROJECT_DIR\\\"/.claude/hooks/fmt.sh\"}]}]}}";

    @TempDir
    Path dir;
    private CatalogServer server;
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private String base;
    private String contents;
    private static final String SKILL = "---\nname: csv-tool\ndescription: Cleans CSV files.\n---\nRun scripts/clean.py.\n";

    @BeforeEach
    void start() throws Exception {
        files.put("/components/agents/lang/rust-pro.md", AGENT);
        files.put("/components/hooks/style/fmt.json", HOOK);
        files.put("/components/hooks/style/fmt.sh", "#!/bin/sh\nexit 0\n");
        server = CatalogServer.start(path -> {
            requests.incrementAndGet();
            String body = files.get(path);
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        });
        base = server.root() + "/components";
        contents = server.root() + "/api";
        files.put("/components/skills/data/csv-tool/SKILL.md", SKILL);
        files.put("/components/skills/data/csv-tool/scripts/clean.py", "print('clean')\n");
        files.put("/components/skills/data/csv-tool/reference.md", "# Columns\n");
        files.put("/api/skills/data/csv-tool", "[{\"name\":\"SKILL.md\",\"type\":\"file\"},"
                + "{\"name\":\"reference.md\",\"type\":\"file\"},{\"name\":\"scripts\",\"type\":\"dir\"}]");
        files.put("/api/skills/data/csv-tool/scripts", "[{\"name\":\"clean.py\",\"type\":\"file\"}]");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Catalog skillCatalog(Clock clock) {
        Environment environment = new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0]));
        return new Catalog(BundledCatalog.load(),
                new RemoteCatalog(base, contents, dir.resolve("cache"), Duration.ofHours(24), clock), environment);
    }

    private Catalog catalog(String url, Clock clock) {
        Environment environment = new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0]));
        return new Catalog(BundledCatalog.load(), new RemoteCatalog(url, dir.resolve("cache"), Duration.ofHours(24), clock), environment);
    }

    @Test
    void fetchesAComponentAndItsHookScript() {
        Component agent = catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro");
        assertThat(agent.origin()).isEqualTo(base + "/agents/lang/rust-pro.md");
        Component hook = catalog(base, Clock.systemUTC()).resolve(ComponentType.HOOK, "style/fmt");
        assertThat(hook.supportFiles()).containsKey("fmt.sh");
    }

    @Test
    void aStatuslineArrivesWithItsScriptAsTheNpmToolInstallsIt() {
        // Shape of upstream settings/statusline/context-monitor.json and the context-monitor.py beside it.
        files.put("/components/settings/statusline/context-monitor.json", "{\"description\":\"Context monitor\","
                + "\"statusLine\":{\"type\":\"command\",\"command\":\"python3 .claude/scripts/context-monitor.py\"}}");
        files.put("/components/settings/statusline/context-monitor.py", "#!/usr/bin/env python3\nprint('ctx')\n");
        Component setting = catalog(base, Clock.systemUTC()).resolve(ComponentType.SETTING, "statusline/context-monitor");
        Map<String, FileTree.Entry> tree = Renderer.render(java.util.List.of(setting)).toFileTree().entries();
        assertThat(tree.keySet()).containsExactlyInAnyOrder(".claude/scripts/context-monitor.py", Renderer.SETTINGS_FILE);
        FileTree.Entry script = tree.get(".claude/scripts/context-monitor.py");
        assertThat(new String(script.content(), StandardCharsets.UTF_8)).isEqualTo("#!/usr/bin/env python3\nprint('ctx')\n");
        assertThat(script.executable()).as("the npm tool chmods it 755").isTrue();
        assertThat(new String(tree.get(Renderer.SETTINGS_FILE).content(), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "statusLine": {
                    "type": "command",
                    "command": "python3 .claude/scripts/context-monitor.py"
                  }
                }
                """);
    }

    @Test
    void secondRunWorksOfflineFromTheCache() {
        catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro");
        server.close();
        Component cached = catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro");
        assertThat(cached.description()).isEqualTo("Writes idiomatic Rust.");
        // Even when the cached copy is old, an unreachable catalog falls back to it.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
        assertThat(catalog(base, later).resolve(ComponentType.AGENT, "lang/rust-pro").id()).isEqualTo("lang/rust-pro");
    }

    @Test
    void freshCacheAvoidsTheNetworkAndStaleCacheIsRefreshed() {
        catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro");
        int afterFirst = requests.get();
        catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro");
        assertThat(requests.get()).isEqualTo(afterFirst);
        files.put("/components/agents/lang/rust-pro.md", AGENT.replace("idiomatic", "fast"));
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
        assertThat(catalog(base, later).resolve(ComponentType.AGENT, "lang/rust-pro").description()).isEqualTo("Writes fast Rust.");
    }

    @Test
    void offlineWithoutCacheSaysSo() {
        server.close();
        assertThatThrownBy(() -> catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/rust-pro"))
                .isInstanceOf(CctException.class)
                .hasMessageContaining("unknown agent 'lang/rust-pro'")
                .hasMessageContaining("cannot be reached")
                .hasMessageContaining("not cached");
    }

    @Test
    void missingRemoteComponentIsUnknownWithSuggestions() {
        assertThatThrownBy(() -> catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "security/security-auditr"))
                .hasMessageContaining("unknown agent 'security/security-auditr'")
                .hasMessageContaining("did you mean security/security-auditor");
    }

    @Test
    void namesThatWouldEscapeTheCatalogAreNeverFetched() {
        assertThatThrownBy(() -> catalog(base, Clock.systemUTC()).resolve(ComponentType.AGENT, "lang/../../etc"))
                .hasMessageContaining("unknown agent");
        assertThat(requests.get()).isZero();
    }

    @Test
    void aRemoteSkillArrivesWithEveryFileOfItsFolder() {
        Component skill = skillCatalog(Clock.systemUTC()).resolve(ComponentType.SKILL, "data/csv-tool");
        assertThat(skill.supportFiles()).containsOnlyKeys("reference.md", "scripts/clean.py");
        assertThat(new String(skill.supportFiles().get("scripts/clean.py"), StandardCharsets.UTF_8)).isEqualTo("print('clean')\n");
    }

    @Test
    void aRemoteSkillWorksOfflineOnceFetched() {
        skillCatalog(Clock.systemUTC()).resolve(ComponentType.SKILL, "data/csv-tool");
        server.close();
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
        assertThat(skillCatalog(later).resolve(ComponentType.SKILL, "data/csv-tool").supportFiles()).hasSize(2);
    }

    @Test
    void aSkillWithAFileThatCannotBeFetchedIsRefusedWhole() {
        files.remove("/components/skills/data/csv-tool/scripts/clean.py");
        assertThatThrownBy(() -> skillCatalog(Clock.systemUTC()).resolve(ComponentType.SKILL, "data/csv-tool"))
                .isInstanceOf(CctException.class)
                .satisfies(e -> assertThat(((CctException) e).exitCode()).isEqualTo(2))
                .hasMessageContaining("skill data/csv-tool cannot be fetched whole")
                .hasMessageContaining("scripts/clean.py")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSkillWhoseFolderCannotBeListedIsRefusedNotInstalledAsSkillMdAlone() {
        files.remove("/api/skills/data/csv-tool/scripts");
        assertThatThrownBy(() -> skillCatalog(Clock.systemUTC()).resolve(ComponentType.SKILL, "data/csv-tool"))
                .isInstanceOf(CctException.class)
                .satisfies(e -> assertThat(((CctException) e).exitCode()).isEqualTo(2))
                .hasMessageContaining("cannot be fetched whole");
        // A catalog that is not on GitHub and names no contents API cannot list folders either.
        assertThatThrownBy(() -> catalog(base, Clock.systemUTC()).resolve(ComponentType.SKILL, "data/csv-tool"))
                .hasMessageContaining("cannot be fetched whole")
                .hasMessageContaining("CCT_CATALOG_CONTENTS_URL");
    }

    @Test
    void theContentsApiIsDerivedFromTheRawUrl() {
        assertThat(RemoteCatalog.contentsApi(RemoteCatalog.DEFAULT_BASE_URL)).containsExactly(
                "https://api.github.com/repos/davila7/claude-code-templates/contents/cli-tool/components", "?ref=main");
        assertThat(RemoteCatalog.contentsApi("http://mirror.example/components")).isNull();
    }

    @Test
    void anUnreachableContentsApiIsNamedNotTheCatalog() {
        Environment environment = new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0]));
        Catalog catalog = new Catalog(BundledCatalog.load(), new RemoteCatalog(base, "http://127.0.0.1:9/api",
                dir.resolve("cache"), Duration.ofHours(24), Clock.systemUTC()), environment);
        assertThatThrownBy(() -> catalog.resolve(ComponentType.SKILL, "data/csv-tool"))
                .hasMessageContaining("cannot be fetched whole: http://127.0.0.1:9/ cannot be reached")
                .hasMessageNotContaining(base + " cannot be reached");
    }

    private static final String UPSTREAM_AUDITOR = "---\nname: security-auditor\ndescription: Upstream's.\n---\nTheirs.\n";

    @Test
    void aBundledNameUpstreamAlsoHasIsUpstreamsComponent() {
        files.put("/components/agents/security/security-auditor.md", UPSTREAM_AUDITOR);
        Catalog.Resolved first = catalog(base, Clock.systemUTC()).locate(ComponentType.AGENT, "security-auditor");
        assertThat(first.source()).isEqualTo(Catalog.UPSTREAM);
        assertThat(first.component().origin()).isEqualTo(base + "/agents/security/security-auditor.md");
        assertThat(first.component().text()).isEqualTo(UPSTREAM_AUDITOR);
        assertThat(first.offlineReason()).isNull();
        Catalog.Resolved again = catalog(base, Clock.systemUTC()).locate(ComponentType.AGENT, "security/security-auditor");
        assertThat(again.source()).isEqualTo(Catalog.CACHED_UPSTREAM);
        assertThat(again.component().text()).isEqualTo(UPSTREAM_AUDITOR);
    }

    @Test
    void aNameUpstreamDoesNotHaveStaysBundledAndIsNotAskedAgain() {
        Catalog.Resolved resolved = catalog(base, Clock.systemUTC()).locate(ComponentType.AGENT, "security/security-auditor");
        assertThat(resolved.source()).isEqualTo(Catalog.BUNDLED);
        assertThat(resolved.component().origin()).isEqualTo("bundled");
        assertThat(Catalog.offlineNote(java.util.List.of(resolved))).isNull();
        int asked = requests.get();
        catalog(base, Clock.systemUTC()).locate(ComponentType.AGENT, "security/security-auditor");
        assertThat(requests.get()).as("the 404 is cached like a file").isEqualTo(asked);
    }

    @Test
    void offlineWithoutCacheTheBundledCopyStandsInAndSaysWhy() {
        server.close();
        Catalog catalog = catalog(base, Clock.systemUTC());
        Catalog.Resolved agent = catalog.locate(ComponentType.AGENT, "security/security-auditor");
        Catalog.Resolved command = catalog.locate(ComponentType.COMMAND, "generate-tests");
        assertThat(agent.source()).isEqualTo(Catalog.BUNDLED_OFFLINE);
        assertThat(agent.component().origin()).isEqualTo("bundled");
        assertThat(agent.offlineReason()).contains("cannot be reached", "not cached");
        assertThat(Catalog.offlineNote(java.util.List.of(agent, command)))
                .startsWith("used the bundled offline copies of agent security/security-auditor, command testing/generate-tests: upstream ")
                .doesNotContain("\n");
    }

    @Test
    void aBundledSkillWhoseUpstreamFolderCannotBeListedFallsBackToTheBundledCopy() {
        files.put("/components/skills/security/threat-model/SKILL.md", "---\nname: threat-model\ndescription: Theirs.\n---\nx\n");
        Catalog.Resolved skill = skillCatalog(Clock.systemUTC()).locate(ComponentType.SKILL, "security/threat-model");
        assertThat(skill.source()).isEqualTo(Catalog.BUNDLED_OFFLINE);
        assertThat(skill.offlineReason()).contains("no listing");
        assertThat(skill.component().supportFiles()).isNotEmpty();
    }

    @Test
    void aHostThatDidNotAnswerIsNotAskedAgainInTheSameRun() {
        // Answers nothing at all: the client sees the connection close, as with a dead proxy.
        AtomicInteger broken = new AtomicInteger();
        server.server().createContext("/broken", exchange -> {
            broken.incrementAndGet();
            exchange.close();
        });
        Catalog catalog = catalog(server.root() + "/broken", Clock.systemUTC());
        assertThat(catalog.locate(ComponentType.AGENT, "security/security-auditor").source()).isEqualTo(Catalog.BUNDLED_OFFLINE);
        int asked = broken.get();
        assertThat(asked).isPositive();
        assertThat(catalog.locate(ComponentType.COMMAND, "testing/generate-tests").source()).isEqualTo(Catalog.BUNDLED_OFFLINE);
        assertThat(broken.get()).isEqualTo(asked);
    }

    @Test
    void theIndexIsReadWithTheCatalogsCacheAndMarksWhatIsCached() {
        files.put("/docs/components.json", "{\"agents\":[{\"path\":\"lang/rust-pro.md\",\"description\":\"Rust.\",\"downloads\":5},"
                + "{\"path\":\"security/security-auditor.md\",\"description\":\"Theirs.\",\"downloads\":9}]}");
        Environment environment = new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0]));
        RemoteCatalog remote = new RemoteCatalog(base, dir.resolve("cache"), Duration.ofHours(24), Clock.systemUTC());
        String index = server.root() + "/docs/components.json";
        new Catalog(BundledCatalog.load(), remote, environment).resolve(ComponentType.AGENT, "lang/rust-pro");
        Catalog catalog = new Catalog(BundledCatalog.load(), remote, index, environment);
        var agents = catalog.listing().of(ComponentType.AGENT);
        assertThat(agents.subList(0, 2)).containsExactly(
                new Catalog.Entry(ComponentType.AGENT, "security/security-auditor", "Theirs.", 9, Catalog.UPSTREAM, "theirs."),
                new Catalog.Entry(ComponentType.AGENT, "lang/rust-pro", "Rust.", 5, Catalog.CACHED_UPSTREAM, "rust."));
        assertThat(agents.stream().filter(e -> e.id().equals("security/security-auditor"))).hasSize(1);
        assertThat(catalog.listing().note()).isNull();
        // Served from the same cache folder as components: a stopped server changes nothing for a fresh copy.
        server.close();
        Catalog offline = new Catalog(BundledCatalog.load(),
                new RemoteCatalog(base, dir.resolve("cache"), Duration.ofHours(24), Clock.systemUTC()), index, environment);
        assertThat(offline.listing().of(ComponentType.AGENT)).hasSameSizeAs(agents);
        assertThat(offline.names(ComponentType.AGENT)).contains("lang/rust-pro", "development-team/react-expert");
    }
}
