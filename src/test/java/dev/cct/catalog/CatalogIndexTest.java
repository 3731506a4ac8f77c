package dev.cct.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
