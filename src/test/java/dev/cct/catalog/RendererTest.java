package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererTest {

    private static Component json(ComponentType type, String id, String text) {
        return ComponentParser.parse(type, id, "test", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Component hook(String id, String script) {
        String text = "{\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\",\"command\":"
                + "\"\\\"$CLAUDE_PROJECT_DIR\\\"/.claude/hooks/" + script + "\"}]}]}}";
        return ComponentParser.parse(ComponentType.HOOK, id, "test", text.getBytes(StandardCharsets.UTF_8),
                Map.of(script, "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void settingsAreUnionedAndHooksMergedPerEventWithoutDuplicates() {
        Component a = json(ComponentType.SETTING, "p/a", "{\"description\":\"a\",\"permissions\":{\"allow\":[\"Bash(npm test:*)\",\"Read\"],"
                + "\"deny\":[\"Read(./.env)\"]},\"env\":{\"A\":\"1\"}}");
        Component b = json(ComponentType.SETTING, "p/b", "{\"permissions\":{\"allow\":[\"Read\",\"Bash(git status)\"],"
                + "\"ask\":[\"Bash(git push:*)\"]},\"env\":{\"B\":\"2\"}}");
        Component h1 = hook("h/one", "one.sh");
        Component h2 = hook("h/two", "two.sh");
        Renderer.Rendered rendered = Renderer.render(List.of(a, b, h1, h2, h1));
        ObjectNode settings = rendered.settings();
        assertThat(texts(settings.at("/permissions/allow"))).containsExactly("Bash(npm test:*)", "Read", "Bash(git status)");
        assertThat(texts(settings.at("/permissions/deny"))).containsExactly("Read(./.env)");
        assertThat(texts(settings.at("/permissions/ask"))).containsExactly("Bash(git push:*)");
        assertThat(settings.at("/env/A").asText()).isEqualTo("1");
        assertThat(settings.at("/env/B").asText()).isEqualTo("2");
        assertThat(settings.has("description")).isFalse();
        assertThat(settings.at("/hooks/PreToolUse").size()).isEqualTo(2);
        FileTree tree = rendered.toFileTree();
        assertThat(tree.get(".claude/hooks/one.sh").executable()).isTrue();
        assertThat(new String(tree.get(Renderer.SETTINGS_FILE).content(), StandardCharsets.UTF_8)).startsWith("{\n  \"permissions\": {");
    }

    @Test
    void conflictingValuesBetweenComponentsAreRefused() {
        Component sonnet = json(ComponentType.SETTING, "m/sonnet", "{\"model\":\"sonnet\"}");
        Component opus = json(ComponentType.SETTING, "m/opus", "{\"model\":\"opus\"}");
        assertThatThrownBy(() -> Renderer.render(List.of(sonnet, opus))).hasMessageContaining("sets model")
                .hasMessageContaining("setting m/sonnet");
        Component pg1 = json(ComponentType.MCP, "db/pg", "{\"mcpServers\":{\"pg\":{\"command\":\"a\"}}}");
        Component pg2 = json(ComponentType.MCP, "db/pg2", "{\"mcpServers\":{\"pg\":{\"command\":\"b\"}}}");
        assertThatThrownBy(() -> Renderer.render(List.of(pg1, pg2))).hasMessageContaining("mcpServers.pg");
    }

    @Test
    void mcpServersMergeByNameKeepingOthers() {
        ObjectNode existing = (ObjectNode) read("{\"mcpServers\":{\"mine\":{\"command\":\"x\"},\"pg\":{\"command\":\"old\"}}}");
        ObjectNode incoming = (ObjectNode) read("{\"mcpServers\":{\"pg\":{\"command\":\"new\"},\"gh\":{\"command\":\"g\"}}}");
        JsonMerge.mergeMcp(existing, incoming, JsonMerge.ConflictPolicy.INCOMING_WINS);
        assertThat(existing.toString()).isEqualTo("{\"mcpServers\":{\"mine\":{\"command\":\"x\"},\"pg\":{\"command\":\"new\"},\"gh\":{\"command\":\"g\"}}}");
        String once = existing.toString();
        JsonMerge.mergeMcp(existing, incoming, JsonMerge.ConflictPolicy.INCOMING_WINS);
        assertThat(existing.toString()).isEqualTo(once);
    }

    @Test
    void mcpServersLoseTheirDescriptionAsTheNpmToolDeletesIt() {
        // Shape of upstream mcps/devtools/context7.json: the description sits inside the server entry.
        Component context7 = json(ComponentType.MCP, "devtools/context7", "{\"mcpServers\":{\"context7\":{"
                + "\"description\":\"Context7 pulls up-to-date docs\",\"command\":\"npx\","
                + "\"args\":[\"-y\",\"@upstash/context7-mcp@latest\"],"
                + "\"env\":{\"CONTEXT7_API_KEY\":\"<your-context7-api-key>\"}}}}");
        Renderer.Rendered rendered = Renderer.render(List.of(context7));
        assertThat(new String(rendered.toFileTree().get(Renderer.MCP_FILE).content(), StandardCharsets.UTF_8))
                .isEqualTo(pretty(read("{\"mcpServers\":{\"context7\":{\"command\":\"npx\","
                        + "\"args\":[\"-y\",\"@upstash/context7-mcp@latest\"],"
                        + "\"env\":{\"CONTEXT7_API_KEY\":\"<your-context7-api-key>\"}}}}")));
        assertThat(context7.json().at("/mcpServers/context7/description").asText())
                .as("the parsed component is left whole; only what is written is stripped")
                .isEqualTo("Context7 pulls up-to-date docs");
    }

    @Test
    void aSettingLosesItsFilesAndAHookAllButItsHooks() {
        // Shape of a setting carrying inline "files" (upstream deletes "description" and "files" of a setting).
        Component setting = json(ComponentType.SETTING, "statusline/inline", "{\"description\":\"d\","
                + "\"statusLine\":{\"type\":\"command\",\"command\":\"bash .claude/s.sh\"},"
                + "\"files\":{\".claude/s.sh\":{\"content\":\"echo hi\",\"executable\":true}}}");
        // Shape of upstream hooks/automation/change-logger.json: the npm tool's hook installer merges only its
        // "hooks" into the settings file, so "supportingFiles" never arrives there.
        String hookText = "{\"description\":\"Log every file mutation\",\"supportingFiles\":[{\"source\":"
                + "\"change-logger.py\",\"destination\":\".claude/hooks/change-logger.py\",\"executable\":true}],"
                + "\"hooks\":{\"PostToolUse\":[{\"matcher\":\"Edit\",\"hooks\":[{\"type\":\"command\","
                + "\"command\":\"python3 .claude/hooks/change-logger.py\"}]}]}}";
        Component hook = ComponentParser.parse(ComponentType.HOOK, "automation/change-logger", "test",
                hookText.getBytes(StandardCharsets.UTF_8),
                Map.of("change-logger.py", "#!/usr/bin/env python3\n".getBytes(StandardCharsets.UTF_8)));
        Renderer.Rendered rendered = Renderer.render(List.of(setting, hook));
        assertThat(new String(rendered.toFileTree().get(Renderer.SETTINGS_FILE).content(), StandardCharsets.UTF_8))
                .isEqualTo(pretty(read("{\"statusLine\":{\"type\":\"command\",\"command\":\"bash .claude/s.sh\"},"
                        + "\"hooks\":{\"PostToolUse\":[{\"matcher\":\"Edit\",\"hooks\":[{\"type\":\"command\","
                        + "\"command\":\"python3 .claude/hooks/change-logger.py\"}]}]}}")));
    }

    private static String pretty(JsonNode node) {
        return new String(Json.pretty(node), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        java.util.ArrayList<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
