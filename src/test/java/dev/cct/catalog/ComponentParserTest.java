package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
}
