package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.core.CctException;
import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;

    private Catalog catalog() {
        return new Catalog(BundledCatalog.load(), null, new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void bundledCatalogHasEnoughValidComponentsOfEveryType() {
        Catalog catalog = catalog();
        Map<ComponentType, Integer> minimum = Map.of(ComponentType.AGENT, 16, ComponentType.COMMAND, 10,
                ComponentType.MCP, 8, ComponentType.SETTING, 6, ComponentType.HOOK, 6, ComponentType.SKILL, 4);
        minimum.forEach((type, count) -> {
            var components = catalog.list(type); // parsing validates every file
            assertThat(components).as(type.label()).hasSizeGreaterThanOrEqualTo(count);
            for (Component c : components) {
                assertThat(c.description()).as(c.id()).isNotBlank();
                assertThat(c.category()).as(c.id()).isNotEmpty();
            }
        });
    }

    @Test
    void theBuildsListingSnapshotIsTheParsedCatalog() throws Exception {
        try (var in = getClass().getResourceAsStream(BundledCatalog.LISTING_RESOURCE)) {
            assertThat(in).as("the build writes " + BundledCatalog.LISTING_RESOURCE).isNotNull();
        }
        BundledCatalog packaged = BundledCatalog.load();
        assertThat(packaged.summaries()).isEqualTo(packaged.parsedSummaries()).hasSizeGreaterThan(50);
    }

    @Test
    void agentNamesMatchTheirFrontMatterAndAreUnique() {
        var agents = catalog().list(ComponentType.AGENT);
        assertThat(agents.stream().map(Component::name).distinct().count()).isEqualTo(agents.size());
        for (Component agent : agents) {
            assertThat(agent.text()).as(agent.id()).contains("\nname: " + agent.name() + "\n");
        }
    }

    @Test
    void hookScriptsTravelWithTheirHooks() {
        for (Component hook : catalog().list(ComponentType.HOOK)) {
            assertThat(hook.supportFiles()).as(hook.id()).isNotEmpty();
            hook.supportFiles().values().forEach(script -> assertThat(new String(script, 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("#!"));
        }
    }

    @Test
    void resolvesFullNamesShortNamesAndCategoryAliases() {
        Catalog catalog = catalog();
        assertThat(catalog.resolve(ComponentType.AGENT, "security/security-auditor").id()).isEqualTo("security/security-auditor");
        assertThat(catalog.resolve(ComponentType.AGENT, "frontend-developer").id()).isEqualTo("development-team/frontend-developer");
        assertThat(catalog.resolve(ComponentType.AGENT, "development/frontend-developer").id()).isEqualTo("development-team/frontend-developer");
        assertThat(catalog.resolve(ComponentType.MCP, "postgresql").id()).isEqualTo("database/postgresql");
        assertThat(catalog.resolve(ComponentType.SKILL, "threat-model").supportFiles()).isNotEmpty();
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        assertThatThrownBy(() -> catalog().resolve(ComponentType.AGENT, "frontend-develper"))
                .isInstanceOf(CctException.class)
                .hasMessageContaining("unknown agent 'frontend-develper'")
                .hasMessageContaining("development-team/frontend-developer");
    }

    @Test
    void readsLocalComponentsByPath() throws Exception {
        Files.writeString(dir.resolve("my-agent.md"), "---\nname: my-agent\ndescription: Reviews my code.\ntools: Read\n---\nBe kind.\n");
        Component agent = catalog().resolve(ComponentType.AGENT, "./my-agent.md");
        assertThat(agent.name()).isEqualTo("my-agent");
        assertThat(agent.description()).isEqualTo("Reviews my code.");

        Path hookDir = Files.createDirectories(dir.resolve("hooks"));
        Files.writeString(hookDir.resolve("lint.json"), "{\"description\":\"lint\",\"hooks\":{\"PostToolUse\":[{\"matcher\":\"Edit\","
                + "\"hooks\":[{\"type\":\"command\",\"command\":\".claude/hooks/lint.sh\"}]}]}}");
        Files.writeString(hookDir.resolve("lint.sh"), "#!/bin/sh\nexit 0\n");
        Component hook = catalog().resolve(ComponentType.HOOK, "./hooks/lint.json");
        assertThat(hook.supportFiles()).containsKey("lint.sh");

        Files.delete(hookDir.resolve("lint.sh"));
        assertThatThrownBy(() -> catalog().resolve(ComponentType.HOOK, "./hooks/lint.json"))
                .hasMessageContaining("lint.sh but that script is not beside it");

        Path skill = Files.createDirectories(dir.resolve("my-skill"));
        Files.writeString(skill.resolve("SKILL.md"), "---\nname: my-skill\ndescription: Does a thing.\n---\nSteps.\n");
        Files.writeString(skill.resolve("helper.py"), "#!/usr/bin/env python3\nprint(1)\n");
        Component s = catalog().resolve(ComponentType.SKILL, "./my-skill");
        assertThat(s.supportFiles()).containsKey("helper.py");
    }

    @Test
    void malformedComponentsAreRefusedWithTheReason() throws Exception {
        Files.writeString(dir.resolve("a.md"), "---\nname: a\n---\nno description\n");
        assertThatThrownBy(() -> catalog().resolve(ComponentType.AGENT, "./a.md")).hasMessageContaining("'name' and 'description'");
        Files.writeString(dir.resolve("b.md"), "---\nname: b\ndescription: x\ntools: [unclosed\n  - garbage\n---\n");
        assertThatThrownBy(() -> catalog().resolve(ComponentType.AGENT, "./b.md")).hasMessageContaining("not valid YAML");
        Files.writeString(dir.resolve("m.json"), "{\"mcpServers\":{\"x\":{\"args\":[]}}}");
        assertThatThrownBy(() -> catalog().resolve(ComponentType.MCP, "./m.json")).hasMessageContaining("\"command\" or a \"url\"");
        Files.writeString(dir.resolve("s.json"), "{\"permissions\":{\"allow\":\"Bash\"}}");
        assertThatThrownBy(() -> catalog().resolve(ComponentType.SETTING, "./s.json")).hasMessageContaining("array of strings");
    }

    /** An event this Claude Code does not know may be a newer one's: installed, with one warning, not refused. */
    @Test
    void anUnknownHookEventIsInstalledWithOneWarning() throws Exception {
        Files.writeString(dir.resolve("h.json"), "{\"hooks\":{\"OnSave\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"true\"}]}]}}");
        Component hook = catalog().resolve(ComponentType.HOOK, "./h.json");
        assertThat(hook.warnings()).singleElement().asString().contains("hook event 'OnSave'", "2.1.331");
    }

    /**
     * Upstream commands such as those with {@code argument-hint: [file] | --all} are not strict YAML; Claude Code reads
     * them after quoting such values, so cct does too, installs them as written and says so once.
     */
    @Test
    void aCommandWhoseFrontMatterIsNotStrictYamlIsReadAsClaudeCodeReadsItWithOneWarning() throws Exception {
        String text = "---\nargument-hint: [file] | --all\ndescription: Review: the diff\n---\nReview the staged changes.\n";
        Files.writeString(dir.resolve("review.md"), text);
        Component command = catalog().resolve(ComponentType.COMMAND, "./review.md");
        assertThat(command.text()).isEqualTo(text);
        assertThat(command.description()).isEqualTo("Review: the diff");
        assertThat(command.warnings()).singleElement().asString().contains("command review", "not strict YAML", "installed as written");
    }

    /** A command whose front matter even the repair cannot read still runs in Claude Code, without it. */
    @Test
    void aCommandWhoseFrontMatterIsNotYamlIsInstalledAsWrittenWithOneWarning() throws Exception {
        String text = "---\nargument-hint: [file\n  - x: [\n---\nReview the staged changes.\n";
        Files.writeString(dir.resolve("review.md"), text);
        Component command = catalog().resolve(ComponentType.COMMAND, "./review.md");
        assertThat(command.text()).isEqualTo(text);
        assertThat(command.description()).isEqualTo("Review the staged changes.");
        assertThat(command.warnings()).singleElement().asString().contains("command review", "not valid YAML", "installed as written");
    }

    /** An agent's name and description live in its front matter: without readable YAML Claude Code ignores it. */
    @Test
    void anAgentWhoseFrontMatterIsNotYamlIsStillRefused() throws Exception {
        Files.writeString(dir.resolve("a.md"), "---\nname: a\ndescription: [x, y\n  z: {\n---\nbody\n");
        assertThatThrownBy(() -> catalog().resolve(ComponentType.AGENT, "./a.md")).hasMessageContaining("not valid YAML");
    }
}
