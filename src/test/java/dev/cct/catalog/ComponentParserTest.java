package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentParserTest {
    private static Component hook(String event, String hookJson) {
        String json = "{\"hooks\":{\"" + event + "\":[{\"matcher\":\"\",\"hooks\":[" + hookJson + "]}]}}";
        return ComponentParser.parse(ComponentType.HOOK, "h", "test", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void eventsAddedToClaudeCodeSinceTheFirstNineAreAccepted() {
        for (String event : new String[] {"SubagentStart", "WorktreeCreate", "PostToolUseFailure", "PermissionRequest",
                "StopFailure", "MessageDisplay"}) {
            assertThat(hook(event, "{\"type\":\"command\",\"command\":\"true\"}").json()).as(event).isNotNull();
        }
        assertThat(ComponentParser.HOOK_EVENTS).hasSize(33);
    }

    @Test
    void everyHookTypeClaudeCodeRunsIsAcceptedWithItsOwnFields() {
        hook("Stop", "{\"type\":\"agent\",\"prompt\":\"check the tests pass\"}");
        hook("Stop", "{\"type\":\"prompt\",\"prompt\":\"is the task done?\"}");
        hook("PostToolUse", "{\"type\":\"http\",\"url\":\"http://localhost:8080/hook\"}");
        hook("PostToolUse", "{\"type\":\"mcp_tool\",\"server\":\"memory\",\"tool\":\"store\"}");
    }

    @Test
    void aHookMissingWhatItsTypeRunsIsRefused() {
        assertThatThrownBy(() -> hook("Stop", "{\"type\":\"http\",\"command\":\"curl x\"}"))
                .hasMessageContaining("\"http\" hook in Stop has no \"url\"");
        assertThatThrownBy(() -> hook("Stop", "{\"type\":\"agent\"}"))
                .hasMessageContaining("\"agent\" hook in Stop has no \"prompt\"");
        assertThatThrownBy(() -> hook("Stop", "{\"type\":\"mcp_tool\",\"server\":\"memory\"}"))
                .hasMessageContaining("has no \"tool\"");
        assertThatThrownBy(() -> hook("Stop", "{\"type\":\"webhook\",\"url\":\"http://x\"}"))
                .hasMessageContaining("unknown type \"webhook\"");
        assertThatThrownBy(() -> hook("Stop", "{\"matcher\":\"x\"}"))
                .hasMessageContaining("has no \"command\"");
    }

    private static Component markdown(ComponentType type, String frontMatter) {
        byte[] text = ("---\n" + frontMatter + "---\nBody.\n").getBytes(StandardCharsets.UTF_8);
        return ComponentParser.parse(type, "a", "test", text, Map.of());
    }

    private static Map<String, Object> frontMatter(String frontMatter, List<String> warnings) {
        return ComponentParser.frontMatter(ComponentType.COMMAND, "c", "test", "---\n" + frontMatter + "---\nBody.\n",
                warnings);
    }

    /** Upstream's commonest break: a flow list followed by text. Claude Code quotes it and reads the hint. */
    @Test
    void aCommandsArgumentHintWithAListAndTextIsRead() {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> read = frontMatter("argument-hint: [file] | --all\nallowed-tools: Read, Bash(git diff:*)\n",
                warnings);
        assertThat(read).containsEntry("argument-hint", "[file] | --all")
                .containsEntry("allowed-tools", "Read, Bash(git diff:*)");
        assertThat(warnings).singleElement().asString()
                .contains("command c", "not strict YAML", "as Claude Code reads it", "argument-hint", "allowed-tools");
    }

    /** "[a] [b]" starts like a flow list but is not one; read whole, it is text to quote. */
    @Test
    void anArgumentHintOfSeveralBracketsIsReadAsText() {
        List<String> warnings = new ArrayList<>();
        assertThat(frontMatter("argument-hint: [resource] [method] [flags]\n", warnings))
                .containsEntry("argument-hint", "[resource] [method] [flags]");
        assertThat(warnings).singleElement().asString().contains("with argument-hint quoted");
    }

    @Test
    void anAgentWithAColonInItsDescriptionInstallsWithOneWarning() {
        Component agent = markdown(ComponentType.AGENT, "name: a\ndescription: Use when: the user asks\n");
        assertThat(agent.description()).isEqualTo("Use when: the user asks");
        assertThat(agent.warnings()).singleElement().asString().contains("agent a", "not strict YAML", "description");
        assertThat(agent.text()).isEqualTo("---\nname: a\ndescription: Use when: the user asks\n---\nBody.\n");
    }

    /**
     * Strictly, " #" starts a comment, and Claude Code reads it so while the document parses; once it does not, the
     * repair quotes the value and keeps all of it.
     */
    @Test
    void aValueWithAHashIsACommentUnlessTheDocumentNeedsTheRepair() {
        assertThat(markdown(ComponentType.AGENT, "name: a\ndescription: Reviews code # carefully\n").description())
                .isEqualTo("Reviews code");
        Component agent = markdown(ComponentType.AGENT,
                "name: a\ndescription: Reviews code # carefully\nargument-hint: [file] | --all\n");
        assertThat(agent.description()).isEqualTo("Reviews code # carefully");
        assertThat(agent.warnings()).singleElement();
    }

    @Test
    void quotesAndBackslashesInsideARepairedValueSurvive() {
        Component agent = markdown(ComponentType.AGENT, "name: a\ndescription: Say \"hi\" to C:\\tmp: @all\n");
        assertThat(agent.description()).isEqualTo("Say \"hi\" to C:\\tmp: @all");
    }

    @Test
    void quotedValuesAndFlowListsAreLeftAsTheyAre() {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> read = frontMatter("description: 'It''s: #1'\nname: \"x: {y}\"\ntools: [Read, Write]\n"
                + "argument-hint: [file] | --all\n", warnings);
        assertThat(read).containsEntry("description", "It's: #1").containsEntry("name", "x: {y}")
                .containsEntry("tools", List.of("Read", "Write"));
        assertThat(warnings).singleElement().asString().contains("argument-hint").doesNotContain("description", "tools");
    }

    @Test
    void strictFrontMatterWithABlockScalarIsReadWithoutAWarning() {
        Component agent = markdown(ComponentType.AGENT, "name: a\ndescription: |\n  Use when: the user asks.\n"
                + "  Reviews C# code.\ntools: Read\n");
        assertThat(agent.description()).isEqualTo("Use when: the user asks.\nReviews C# code.");
        assertThat(agent.warnings()).isEmpty();
    }

    /** Claude Code's repair quotes a block indicator like any value, which breaks the block: it ignores such a file. */
    @Test
    void aBlockScalarBesideABrokenLineIsNotRescued() {
        assertThatThrownBy(() -> markdown(ComponentType.AGENT,
                "name: a\ndescription: >-\n  Reviews code.\nargument-hint: [file] | --all\n"))
                .hasMessageContaining("not valid YAML, even as Claude Code repairs it");
    }

    @Test
    void frontMatterTheRepairCannotFixIsStillRefusedForAnAgentAndIgnoredForACommand() {
        String broken = "name: a\ndescription: x\ntools: [Read, Write\n  - nested: {garbage: [\n";
        assertThatThrownBy(() -> markdown(ComponentType.AGENT, broken))
                .hasMessageContaining("malformed agent 'a'", "not valid YAML");
        List<String> warnings = new ArrayList<>();
        assertThat(frontMatter(broken, warnings)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("command c", "not valid YAML", "installed as written");
    }

    @Test
    void leadingTabsAreReadAsSpaces() {
        Component agent = markdown(ComponentType.AGENT, "name: a\ndescription: x\nmetadata:\n\tversion: 1\n");
        assertThat(agent.warnings()).singleElement().asString().contains("leading tabs as spaces");
    }
}
