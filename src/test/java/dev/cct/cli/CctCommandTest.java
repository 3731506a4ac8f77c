package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line called in-process, with captured out, err and exit code. */
class CctCommandTest {
    private static final String KEY = "sk-ant-test-key-abcdef";

    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir).env("ANTHROPIC_API_KEY", KEY);
    }

    @Test
    void helpListsTheFlagsAndExitCodes() {
        CliRunner.Result result = cli().run("--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("--sandbox", "--agent", "--prompt-file", "--timeout", "--output-format",
                "--dry-run", "components", "completion", "Exit codes");
    }

    @Test
    void helpSnapshotMatchesTheLiveRendering() throws Exception {
        try (var in = getClass().getResourceAsStream(HelpText.RESOURCE)) {
            assertThat(in).as("help snapshot built by process-classes").isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(HelpText.render());
        }
        assertThat(HelpText.render()).isEqualTo(cli().run("--help").out());
    }

    @Test
    void versionIsOneLine() {
        CliRunner.Result flag = cli().run("--version");
        CliRunner.Result command = cli().run("version");
        assertThat(flag.code()).isZero();
        assertThat(flag.out()).startsWith("cct ").isEqualTo(command.out());
    }

    /** What Claude Code would warn about is said once, on stderr, and the file is installed as the npm tool writes it. */
    @Test
    void aCommandWithNonStrictYamlFrontMatterInstallsAsWrittenWithOneWarningLine() throws Exception {
        String text = "---\nargument-hint: [file] | --all\n---\nReview the staged changes.\n";
        java.nio.file.Files.writeString(dir.resolve("review.md"), text);
        CliRunner.Result result = cli().run("--command", "./review.md", "--yes");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err().lines().filter(line -> line.startsWith("warning: ")).toList()).singleElement().asString()
                .contains("command review", "not strict YAML");
        assertThat(java.nio.file.Files.readString(dir.resolve(".claude/commands/review.md"))).isEqualTo(text);
    }

    @Test
    void installsComponentsAndListsEachFile() throws Exception {
        CliRunner.Result result = cli().run("--agent", "frontend-developer,security/security-auditor",
                "--command", "testing/generate-tests", "--mcp", "postgresql", "--hook", "security/block-dangerous-commands",
                "--setting", "permissions/deny-sensitive-files", "--skill", "security/threat-model");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains(".claude/agents/frontend-developer.md", ".claude/agents/security-auditor.md",
                ".claude/commands/generate-tests.md", ".mcp.json", ".claude/settings.local.json",
                ".claude/hooks/block-dangerous-commands.sh", ".claude/skills/threat-model/SKILL.md");
        assertThat(Files.isExecutable(dir.resolve(".claude/hooks/block-dangerous-commands.sh"))).isTrue();
        JsonNode mcp = Json.mapper().readTree(dir.resolve(".mcp.json").toFile());
        assertThat(mcp.path("mcpServers").has("postgresql")).isTrue();
        JsonNode settings = Json.mapper().readTree(dir.resolve(".claude/settings.local.json").toFile());
        assertThat(settings.path("hooks").has("PreToolUse")).isTrue();
        assertThat(settings.path("permissions").path("deny").size()).isPositive();

        CliRunner.Result again = cli().run("--agent", "frontend-developer,security/security-auditor",
                "--command", "testing/generate-tests", "--mcp", "postgresql", "--hook", "security/block-dangerous-commands",
                "--setting", "permissions/deny-sensitive-files", "--skill", "security/threat-model");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("unchanged").doesNotContain("created", "updated");
    }

    @Test
    void seedDocumentNamesResolveOffline() {
        // The names the npm tool's documentation uses must keep working, as written.
        CliRunner.Result result = cli().run("--sandbox", "e2b", "--dry-run", "--agent", "development/frontend-developer",
                "--agent", "data-ai/ml-engineer", "--command", "testing/generate-tests", "--agent", "react-expert,frontend-developer",
                "--agent", "fullstack-developer,database-expert", "--mcp", "postgresql", "--agent", "backend-developer",
                "--agent", "testing-specialist", "--agent", "security/security-auditor", "--prompt", "audit this codebase",
                "--timeout", "300");
        assertThat(result.code()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("E2B_API_KEY");

        CliRunner.Result withKey = cli().env("E2B_API_KEY", "e2b_secret_value_123").run("--sandbox", "e2b", "--dry-run",
                "--agent", "development/frontend-developer", "--agent", "data-ai/ml-engineer", "--command", "testing/generate-tests",
                "--agent", "react-expert,frontend-developer", "--agent", "fullstack-developer,database-expert", "--mcp", "postgresql",
                "--agent", "backend-developer", "--agent", "testing-specialist", "--prompt", "audit this codebase", "--timeout", "300");
        assertThat(withKey.code()).as(withKey.err()).isZero();
        assertThat(withKey.out()).contains("agent development-team/frontend-developer", "agent data-ai/ml-engineer",
                "command testing/generate-tests", "mcp database/postgresql", "timeout 5m", ".claude/agents/react-expert.md")
                .doesNotContain(KEY, "e2b_secret_value_123");
    }

    @Test
    void dryRunCreatesNothingAndJsonPlanIsMachineReadable() throws Exception {
        CliRunner.Result result = cli().env("DATABASE_URL", "postgres://user:pw-secret@db/x").run("--sandbox", "docker",
                "--dry-run", "--agent", "security/security-auditor", "--prompt", "audit", "--env", "DATABASE_URL",
                "--output-format", "json", "--timeout", "15m", "--model", "sonnet", "--max-turns", "5");
        assertThat(result.code()).as(result.err()).isZero();
        JsonNode plan = Json.mapper().readTree(result.out());
        assertThat(plan.path("provider").asText()).isEqualTo("docker");
        assertThat(plan.path("timeoutSeconds").asLong()).isEqualTo(900);
        assertThat(plan.path("maxTurns").asInt()).isEqualTo(5);
        assertThat(plan.path("files").get(0).path("path").asText()).isEqualTo(".claude/agents/security-auditor.md");
        assertThat(result.out()).doesNotContain("pw-secret", KEY);
        assertThat(CliRunner.filesUnder(dir)).isEmpty();
    }

    @Test
    void aNonEmptyOutputFolderIsAcceptedWithMergeOrYes() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("old"));
        java.nio.file.Files.writeString(dir.resolve("old/earlier.txt"), "kept");
        for (String consent : List.of("--merge", "--yes")) {
            CliRunner.Result result = cli().run("--sandbox", "docker", "--dry-run", "--prompt", "x", "--output", "old", consent);
            assertThat(result.code()).as(consent + ": " + result.err()).isZero();
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("old/earlier.txt"))).isEqualTo("kept");
    }

    @Test
    void promptFromStandardInput() {
        CliRunner.Result result = cli().stdin("write hello.py\n").run("--sandbox", "docker", "--dry-run", "--prompt-file", "-");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("15 characters from standard input");
    }

    @Test
    void keysFromDotenvFileAreUsedAndNeverShown() throws Exception {
        Files.writeString(dir.resolve(".env"), "ANTHROPIC_API_KEY=sk-from-dotenv-123456\nE2B_API_KEY=e2b-from-dotenv-98765\n");
        CliRunner.Result result = new CliRunner(dir).run("--sandbox", "e2b", "--dry-run", "--prompt", "x", "--verbose");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out() + result.err()).contains("set (****)").doesNotContain("sk-from-dotenv-123456", "e2b-from-dotenv-98765");
    }

    @Test
    void localPromptWithoutClaudeOnPathFailsBeforeInstalling() {
        CliRunner.Result result = cli().env("PATH", dir.toString()).run("--agent", "frontend-developer", "--prompt", "hi");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("'claude' is not on PATH");
        assertThat(CliRunner.filesUnder(dir)).isEmpty();
    }

    @Test
    void installRefusesToReplaceAChangedFileWithoutYes() throws Exception {
        assertThat(cli().run("--agent", "frontend-developer").code()).isZero();
        Path agent = dir.resolve(".claude/agents/frontend-developer.md");
        Files.writeString(agent, "my own edits");
        CliRunner.Result refused = cli().run("--agent", "frontend-developer,react-expert");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("would overwrite", "--yes");
        assertThat(Files.readString(agent)).isEqualTo("my own edits");
        assertThat(dir.resolve(".claude/agents/react-expert.md")).doesNotExist();
        CliRunner.Result replaced = cli().run("--agent", "frontend-developer,react-expert", "--yes");
        assertThat(replaced.code()).isZero();
        assertThat(Files.readString(agent)).startsWith("---");
    }

    @Test
    void componentsListSearchAndShow() throws Exception {
        CliRunner.Result list = cli().run("components", "list", "--type", "agent");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("security/security-auditor", "development-team/frontend-developer").doesNotContain("COMMANDS");

        CliRunner.Result json = cli().run("components", "list", "--json");
        JsonNode all = Json.mapper().readTree(json.out());
        assertThat(all.size()).isGreaterThanOrEqualTo(16 + 10 + 8 + 6 + 6 + 4);

        CliRunner.Result search = cli().run("components", "search", "security");
        assertThat(search.out()).contains("security/security-auditor", "security/block-dangerous-commands");

        CliRunner.Result show = cli().run("components", "show", "hook:security/block-dangerous-commands");
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains(".claude/hooks/block-dangerous-commands.sh  (executable)", "#!/usr/bin/env bash");

        CliRunner.Result unknown = cli().run("components", "show", "securty-auditor");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("did you mean", "security/security-auditor");
    }

    @Test
    void completionScripts() {
        CliRunner.Result bash = cli().run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F", "--sandbox");
        CliRunner.Result zsh = cli().run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit");
        assertThat(cli().run("completion", "fish").code()).isEqualTo(2);
    }
}
