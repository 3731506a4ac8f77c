package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogIndexTest {

    @Test
    void theIndexSitsInDocsOfTheSameRepositoryAndBranch() {
        assertThat(CatalogIndex.derivedUrl(RemoteCatalog.DEFAULT_BASE_URL))
                .isEqualTo("https://raw.githubusercontent.com/davila7/claude-code-templates/main/docs/components.json");
        assertThat(CatalogIndex.derivedUrl("https://raw.githubusercontent.com/me/fork/dev/cli-tool/components/"))
                .isEqualTo("https://raw.githubusercontent.com/me/fork/dev/docs/components.json");
        // A catalog that is not laid out like the repository has no index to guess at.
        assertThat(CatalogIndex.derivedUrl("http://mirror.example/catalog")).isNull();
    }

    @Test
    void keepsOnlyPlainCategoryNameEntriesOfInstallableTypes() {
        CatalogIndex index = CatalogIndex.parse(("{\"agents\":[{\"path\":\"a/b.md\",\"downloads\":3},"
                + "{\"path\":\"../x.md\"},{\"path\":\"a/b/c.md\"},{\"path\":\"noext\"}],"
                + "\"skills\":[{\"path\":\"s/t\",\"description\":\"d\"}],\"sandbox\":[{\"path\":\"c/d.md\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(index.entries(ComponentType.AGENT)).containsExactly(
                new CatalogIndex.Entry(ComponentType.AGENT, "a/b", "", 3, ""));
        assertThat(index.entries(ComponentType.SKILL)).containsExactly(
                new CatalogIndex.Entry(ComponentType.SKILL, "s/t", "d", 0, "d"));
        assertThat(index.entries(ComponentType.HOOK)).isEmpty();
    }

    @Test
    void descriptionsBecomeTheirFirstLineUnquoted() {
        assertThat(CatalogIndex.firstLine("\"Use this agent for audits.\\n\\n<example>x</example>\""))
                .isEqualTo("Use this agent for audits.");
        assertThat(CatalogIndex.firstLine("Plain.\nMore.")).isEqualTo("Plain.");
        assertThat(CatalogIndex.firstLine("")).isEmpty();
    }

    @Test
    void notAnIndexIsSaidSo() {
        assertThatThrownBy(() -> CatalogIndex.parse("<html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CatalogIndex.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDigestStandsInForTheIndexItWasMadeFromAndOnlyForThatOne(@TempDir Path dir) throws Exception {
        Path digest = dir.resolve("digest.tsv");
        byte[] json = ("{\"agents\":[{\"path\":\"a/b.md\",\"description\":\"Tabs\\there,\\nlines\\\\ and Case\",\"downloads\":3}],"
                + "\"skills\":[{\"path\":\"s/t\",\"description\":\"d\"}]}").getBytes(StandardCharsets.UTF_8);
        CatalogIndex parsed = CatalogIndex.parse(json);
        assertThat(CatalogIndex.read(json, digest).entries(ComponentType.AGENT)).isEqualTo(parsed.entries(ComponentType.AGENT));
        assertThat(digest).exists();
        // Read back from the digest, escapes and all.
        CatalogIndex again = CatalogIndex.read(json, digest);
        for (ComponentType type : ComponentType.values()) {
            assertThat(again.entries(type)).as(type.label()).isEqualTo(parsed.entries(type));
        }
        // Proof that the digest, not the JSON, answered: an edit to it shows.
        Files.writeString(digest, Files.readString(digest).replace("\t3\t", "\t7\t"));
        assertThat(CatalogIndex.read(json, digest).entries(ComponentType.AGENT).get(0).downloads()).isEqualTo(7);
        // Another index is parsed, and the digest follows it.
        byte[] changed = new String(json, StandardCharsets.UTF_8).replace("\"downloads\":3", "\"downloads\":4")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(CatalogIndex.read(changed, digest).entries(ComponentType.AGENT).get(0).downloads()).isEqualTo(4);
        assertThat(CatalogIndex.read(changed, digest).entries(ComponentType.AGENT).get(0).downloads()).isEqualTo(4);
        // A broken digest costs a parse, never a wrong answer.
        Files.writeString(digest, Files.readString(digest).replace("agents\t", "nonsense\t"));
        assertThat(CatalogIndex.read(changed, digest).entries(ComponentType.AGENT)).hasSize(1);
    }
}
