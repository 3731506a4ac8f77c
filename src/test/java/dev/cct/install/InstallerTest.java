package dev.cct.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.catalog.BundledCatalog;
import dev.cct.catalog.Catalog;
import dev.cct.catalog.ComponentType;
import dev.cct.catalog.Renderer;
import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {
    @TempDir
    Path dir;

    private Renderer.Rendered render() {
        Catalog catalog = new Catalog(BundledCatalog.load(), null, new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0])));
        return Renderer.render(List.of(catalog.resolve(ComponentType.AGENT, "security-auditor"),
                catalog.resolve(ComponentType.MCP, "postgresql"),
                catalog.resolve(ComponentType.HOOK, "security/block-dangerous-commands"),
                catalog.resolve(ComponentType.SETTING, "permissions/deny-sensitive-files")));
    }

    @Test
    void mergesWithTheProjectsOwnFilesAndIsIdempotent() throws Exception {
        Path project = Files.createDirectories(dir.resolve("p/.claude")).getParent();
        Files.writeString(project.resolve(".mcp.json"), "{\"mcpServers\":{\"mine\":{\"command\":\"my-server\"}}}");
        Files.writeString(project.resolve(".claude/settings.local.json"), "{\"permissions\":{\"allow\":[\"Bash(make:*)\"]},\"model\":\"opus\"}");
        Installer.install(render(), project, false);
        String mcp = Files.readString(project.resolve(".mcp.json"));
        String settings = Files.readString(project.resolve(".claude/settings.local.json"));
        assertThat(mcp).contains("\"mine\"", "\"postgresql\"");
        assertThat(settings).contains("Bash(make:*)", "\"model\": \"opus\"", "PreToolUse");

        List<Installer.InstalledFile> second = Installer.install(render(), project, false);
        assertThat(second).allMatch(f -> f.change() == Installer.Change.UNCHANGED);
        assertThat(Files.readString(project.resolve(".mcp.json"))).isEqualTo(mcp);
        assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).isEqualTo(settings);
    }

    @Test
    void nothingIsWrittenWhenAnyFileCannotBe() throws Exception {
        Path project = Files.createDirectories(dir.resolve("p"));
        // A folder where the settings file must go makes the whole install fail before any write.
        Files.createDirectories(project.resolve(".claude/settings.local.json"));
        assertThatThrownBy(() -> Installer.install(render(), project, false)).hasMessageContaining("not a regular file");
        assertThat(project.resolve(".claude/agents")).doesNotExist();
        assertThat(project.resolve(".mcp.json")).doesNotExist();
    }

    @Test
    void malformedProjectJsonIsReportedNotReplaced() throws Exception {
        Path project = Files.createDirectories(dir.resolve("p"));
        Files.writeString(project.resolve(".mcp.json"), "{ broken");
        assertThatThrownBy(() -> Installer.install(render(), project, false)).hasMessageContaining(".mcp.json is not valid JSON");
        assertThat(Files.readString(project.resolve(".mcp.json"))).isEqualTo("{ broken");
    }
}
