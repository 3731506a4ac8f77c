package dev.cct.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.catalog.BundledCatalog;
import dev.cct.catalog.Catalog;
import dev.cct.catalog.ComponentType;
import dev.cct.catalog.Renderer;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.OutputFormat;
import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderSettings;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.testing.LocalSandbox;
import dev.cct.ui.Ui;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator against a sandbox that is a local folder, with a stand-in claude that runs its prompt as a
 * shell script: fast checks of exit codes, result handling, excludes and uploads without Docker.
 */
class RunTest {
    private static final String KEY = "sk-ant-run-test-secret";

    @TempDir
    Path dir;
    private final List<LocalSandbox> created = new ArrayList<>();
    private String loseOn;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void folders() throws Exception {
        Files.createDirectories(dir.resolve("cwd"));
    }

    private Run run() {
        Environment environment = new Environment(Map.of("CCT_DATA_DIR", dir.resolve("data").toString()), dir.resolve("cwd"),
                new ByteArrayInputStream(new byte[0]));
        Providers providers = new Providers(environment) {
            @Override
            public SandboxProvider create(ProviderSettings settings, Duration runTimeout) {
                return new SandboxProvider() {
                    @Override
                    public void prepare(Progress progress) {
                    }

                    @Override
                    public Sandbox create(SandboxLabels labels, Progress progress) {
                        LocalSandbox sandbox = new LocalSandbox(dir.resolve("sandbox" + created.size()));
                        try {
                            Path claude = sandbox.bin().resolve("claude");
                            // Stand-in for Claude Code: runs the prompt (its stdin) as a shell script.
                            Files.writeString(claude, "#!/bin/sh\nexec sh -s\n");
                            Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        if (loseOn != null) {
                            sandbox.loseOn(loseOn);
                        }
                        created.add(sandbox);
                        return sandbox;
                    }

                    @Override
                    public List<SandboxInfo> list() {
                        return List.of();
                    }

                    @Override
                    public void remove(String id) {
                    }
                };
            }
        };
        return new Run(environment, providers);
    }

    private RunRequest request(String script, OutputFormat format, Duration timeout, List<Path> uploads, List<String> excludes,
                               boolean includeAll) {
        return request(script, format, timeout, uploads, excludes, includeAll, Landing.RESULTS_ONLY);
    }

    private RunRequest request(String script, OutputFormat format, Duration timeout, List<Path> uploads, List<String> excludes,
                               boolean includeAll, Landing landing) {
        Catalog catalog = new Catalog(BundledCatalog.load(), null, new Environment(Map.of(), dir, new ByteArrayInputStream(new byte[0])));
        Renderer.Rendered components = Renderer.render(List.of(catalog.resolve(ComponentType.AGENT, "security-auditor"),
                catalog.resolve(ComponentType.MCP, "postgresql")));
        return new RunRequest(DockerSettings.defaults(), components, script, "--prompt", timeout, dir.resolve("out"),
                Map.of("GREETING", "hi"), Secrets.of(Map.of(Secrets.ANTHROPIC_API_KEY, KEY)), null, null, format, uploads,
                excludes, includeAll, landing, null, null);
    }

    private Ui ui() {
        return new Ui(new PrintWriter(out, true), new PrintWriter(err, true), false, false, false, false);
    }

    private static String result(boolean isError, String text) {
        return "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":" + isError + ",\"num_turns\":2,"
                + "\"total_cost_usd\":0.01,\"duration_ms\":5,\"result\":\"" + text + "\"}'\n";
    }

    @Test
    void successBringsBackResultsButNotComponentsOrDependencyCaches() throws Exception {
        String script = "echo '{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Working on it\"},"
                + "{\"type\":\"tool_use\",\"name\":\"Write\",\"input\":{\"file_path\":\"'\"$PWD\"'/app.py\",\"content\":\"x\"}}]}}'\n"
                + "printf 'print(1)\\n' > app.py\nmkdir -p node_modules/x .hidden && echo dep > node_modules/x/i.js && echo h > .hidden/h\n"
                + "test -f .claude/agents/security-auditor.md && test -f .mcp.json || exit 9\n"
                + "[ \"$GREETING\" = hi ] && [ \"$ANTHROPIC_API_KEY\" = " + KEY + " ] || exit 8\n"
                + result(false, "all good");
        int code = run().run(request(script, OutputFormat.TEXT, Duration.ofMinutes(1), List.of(), List.of(), false), ui());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("out/app.py"))).isEqualTo("print(1)\n");
        assertThat(dir.resolve("out/.hidden/h")).exists();
        assertThat(dir.resolve("out/node_modules")).doesNotExist();
        assertThat(dir.resolve("out/.claude/agents/security-auditor.md")).doesNotExist();
        assertThat(out.toString()).contains("Working on it");
        assertThat(err.toString()).contains("▸ Write app.py", "Done", "2 turns").doesNotContain(KEY);
        assertThat(created).allMatch(LocalSandbox::isClosed);
    }

    @Test
    void claudesErrorResultIsExitOne() {
        int code = run().run(request(result(true, "API Error: 529"), OutputFormat.TEXT, Duration.ofMinutes(1), List.of(), List.of(), false), ui());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Claude reported an error: API Error: 529");
        assertThat(created).allMatch(LocalSandbox::isClosed);
    }

    @Test
    void noResultEventIsExitOne() {
        int code = run().run(request("echo broken >&2; exit 3\n", OutputFormat.TEXT, Duration.ofMinutes(1), List.of(), List.of(), false), ui());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("exited with code 3 without a result");
    }

    @Test
    void deniedToolsThatWroteNothingAreNotASuccess() {
        String script = "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,\"result\":\"I could not\","
                + "\"permission_denials\":[{\"tool_name\":\"Write\"}]}'\n";
        int code = run().run(request(script, OutputFormat.JSON, Duration.ofMinutes(1), List.of(), List.of(), false), ui());
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("\"status\":\"denied\"", "\"exitCode\":1");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void timeoutStopsClaudeAndKeepsWhatExists() {
        String script = "echo early > early.txt\nsleep 30\necho late > late.txt\n" + result(false, "late");
        long start = System.nanoTime();
        int code = run().run(request(script, OutputFormat.TEXT, Duration.ofSeconds(2), List.of(), List.of(), false), ui());
        assertThat(code).isEqualTo(124);
        // The stop ends what Claude started too: a 'sleep 30' left holding Claude's output would keep the run
        // waiting for the whole grace after the stop.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2).plus(ClaudeCommand.AFTER_STOP));
        assertThat(dir.resolve("out/early.txt")).exists();
        assertThat(dir.resolve("out/late.txt")).doesNotExist();
        assertThat(created).allMatch(LocalSandbox::isClosed);
    }

    /**
     * Claude Code keeps --max-budget-usd itself; should it start another turn past the budget all the same, cct
     * stops it there, keeps what exists and ends with exit 1, status budget.
     */
    @Test
    void aRunThatGoesOnPastItsBudgetIsStoppedAndKeepsWhatExists() {
        String costly = "{\"type\":\"assistant\",\"message\":{\"id\":\"%s\",\"model\":\"claude-sonnet-4-5\","
                + "\"usage\":{\"input_tokens\":1000000,\"output_tokens\":1},\"content\":[{\"type\":\"text\",\"text\":\"%s\"}]}}";
        String script = "echo early > early.txt\necho '" + String.format(costly, "m1", "one") + "'\n"
                + "echo '" + String.format(costly, "m2", "two") + "'\nsleep 30\necho late > late.txt\n" + result(false, "late");
        RunRequest request = request(script, OutputFormat.JSON, Duration.ofMinutes(1), List.of(), List.of(), false);
        RunRequest budgeted = new RunRequest(request.settings(), request.components(), request.prompt(), request.promptSource(),
                request.timeout(), request.outputDirectory(), request.environment(), request.secrets(), request.model(),
                request.maxTurns(), request.outputFormat(), request.uploads(), request.excludes(), request.includeAll(),
                request.landing(), request.continuation(), 2.0);
        long start = System.nanoTime();
        int code = run().run(budgeted, ui());
        assertThat(code).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2).plus(ClaudeCommand.AFTER_STOP));
        assertThat(out.toString()).contains("\"status\":\"budget\"", "\"exitCode\":1");
        assertThat(dir.resolve("out/early.txt")).exists();
        assertThat(dir.resolve("out/late.txt")).doesNotExist();
        assertThat(created).allMatch(LocalSandbox::isClosed);
    }

    @Test
    void uploadsShipTheProjectWithoutEnvFilesAndMergeItsSettings() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("main.py"), "print('mine')\n");
        Files.writeString(project.resolve(".env"), "ANTHROPIC_API_KEY=" + KEY + "\n");
        Files.writeString(project.resolve(".mcp.json"), "{\"mcpServers\":{\"mine\":{\"command\":\"x\"}}}");
        String script = "test -f main.py || exit 7\ntest -f .env && exit 6\ngrep -q mine .mcp.json && grep -q postgresql .mcp.json || exit 5\n"
                + "echo reviewed >> main.py\n" + result(false, "ok");
        int code = run().run(request(script, OutputFormat.TEXT, Duration.ofMinutes(1), List.of(project), List.of("*.log"), false), ui());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("out/main.py"))).isEqualTo("print('mine')\nreviewed\n");
        assertThat(dir.resolve("out/.env")).doesNotExist();
    }

    @Test
    void everyRunLeavesAnOwnerOnlyRecordWithItsWorkspaceAndTranscriptAndNoKey() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("main.py"), "print('mine')\n");
        Files.writeString(project.resolve("gone.py"), "bye\n");
        Files.writeString(project.resolve(".env"), "ANTHROPIC_API_KEY=" + KEY + "\n");
        // Claude's transcript echoes the key, as one of its tools might have printed it.
        String script = "slug=$(pwd | sed 's/[^a-zA-Z0-9]/-/g'); mkdir -p \"$HOME/.claude/projects/$slug\"\n"
                + "echo \"{\\\"said\\\":\\\"key is $ANTHROPIC_API_KEY\\\"}\" > \"$HOME/.claude/projects/$slug/sess-1.jsonl\"\n"
                + "echo '{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"sess-1\"}'\n"
                + "echo reviewed >> main.py && rm gone.py && echo new > new.py\n" + result(false, "ok");
        int code = run().run(request(script, OutputFormat.TEXT, Duration.ofMinutes(1), List.of(project), List.of(), false), ui());
        assertThat(code).as(err.toString()).isZero();

        dev.cct.runs.RunRecords records = new dev.cct.runs.RunRecords(dir.resolve("data/runs"));
        dev.cct.runs.RunRecords.Entry entry = records.find("last");
        assertThat(entry.record().sessionId()).isEqualTo("sess-1");
        assertThat(entry.record().prompt()).contains("echo reviewed");
        assertThat(Files.readString(entry.session())).contains("key is").doesNotContain(KEY);
        Map<String, String> workspace = new java.util.TreeMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(entry.workspace()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) {
                    workspace.put(e.getName(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        // The workspace as Claude left it: no .env, no component cct installed, the deletion gone.
        assertThat(workspace).containsOnlyKeys("main.py", "new.py");
        assertThat(workspace.get("main.py")).isEqualTo("print('mine')\nreviewed\n");
        try (var files = Files.walk(dir.resolve("data"))) {
            for (Path file : files.toList()) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                if (file.startsWith(dir.resolve("data/runs"))) {
                    assertThat(mode).as(file.toString()).isEqualTo(Files.isDirectory(file) ? "rwx------" : "rw-------");
                }
                if (Files.isRegularFile(file)) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain(KEY);
                }
            }
        }
    }

    @Test
    void aSandboxLostBeforeAnythingCameBackLeavesNoResultsFolderOfUploadsOnly() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(project.resolve("file" + i + ".txt"), "mine " + i + "\n");
        }
        loseOn = "claude -p";
        assertThatThrownBy(() -> run().run(request(result(false, "never"), OutputFormat.TEXT, Duration.ofMinutes(1),
                List.of(project), List.of(), false), ui())).hasMessageContaining("expired");
        assertThat(err.toString()).contains("nothing could be brought back");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(created).allMatch(LocalSandbox::isClosed);
    }

    @Test
    void onlyTheChangeComesBackAndLandsOnABranchAndAsAPatch() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        PersonIdent who = new PersonIdent("Test", "test@example.invalid");
        try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
            Files.writeString(project.resolve("keep.txt"), "keep\n");
            Files.writeString(project.resolve("edit.txt"), "one\n");
            Files.writeString(project.resolve("gone.txt"), "gone\n");
            Files.writeString(project.resolve("old.txt"), "moving\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor(who).setCommitter(who).setSign(false).call();
        }
        Files.writeString(project.resolve("edit.txt"), "one\nuncommitted\n");
        String script = "echo two >> edit.txt && rm gone.txt && mv old.txt new.txt && echo new > added.txt\n" + result(false, "changed");
        Path patch = dir.resolve("change.patch");
        int code = run().run(request(script, OutputFormat.JSON, Duration.ofMinutes(1), List.of(project), List.of(), false,
                new Landing("", false, patch, project)), ui());
        assertThat(code).as(err.toString()).isZero();

        JsonNode changes = Json.mapper().readTree(out.toString()).get("changes");
        assertThat(changes.get("entries").toString()).contains("\"added.txt\"", "\"kind\":\"deleted\"", "\"from\":\"old.txt\"");
        String branch = changes.get("branch").asText();
        assertThat(branch).startsWith("cct/");
        assertThat(changes.get("patch").asText()).isEqualTo(patch.toString());
        assertThat(Files.readString(patch)).contains("rename from old.txt", "deleted file mode", "+two");
        try (Git git = Git.open(project.toFile())) {
            var repo = git.getRepository();
            assertThat(repo.getBranch()).isEqualTo("main");
            assertThat(git.status().call().getModified()).containsExactly("edit.txt");
            var tip = repo.parseCommit(repo.resolve(branch));
            assertThat(tip.getFullMessage()).startsWith("echo two").contains("Cct-Provider: docker");
            assertThat(read(repo, branch + ":edit.txt")).isEqualTo("one\nuncommitted\ntwo\n");
            assertThat(read(repo, branch + "~1:edit.txt")).isEqualTo("one\nuncommitted\n");
            assertThat(repo.resolve(branch + ":gone.txt")).isNull();
            assertThat(read(repo, branch + ":new.txt")).isEqualTo("moving\n");
        }
        // The project is as it was; the results folder named (as with --output) has the change too.
        assertThat(Files.readString(project.resolve("edit.txt"))).isEqualTo("one\nuncommitted\n");
        assertThat(project.resolve("gone.txt")).exists();
        assertThat(dir.resolve("out/new.txt")).exists();
        assertThat(dir.resolve("out/gone.txt")).doesNotExist();
    }

    @Test
    void theResultsFolderIsTheUploadPlusTheChangeWithDeletionsAbsent() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("keep.txt"), "keep\n");
        Files.writeString(project.resolve("gone.txt"), "gone\n");
        String script = "rm gone.txt && echo new > added.txt\n" + result(false, "changed");
        int code = run().run(request(script, OutputFormat.JSON, Duration.ofMinutes(1), List.of(project), List.of(), false), ui());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("out/keep.txt"))).isEqualTo("keep\n");
        assertThat(Files.readString(dir.resolve("out/added.txt"))).isEqualTo("new\n");
        assertThat(dir.resolve("out/gone.txt")).doesNotExist();
        assertThat(dir.resolve("out/.claude")).doesNotExist();
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("created").toString()).isEqualTo("[\"added.txt\"]");
        assertThat(json.get("unchangedUploads").asInt()).isEqualTo(1);
    }

    private static String read(org.eclipse.jgit.lib.Repository repo, String revision) throws Exception {
        return new String(repo.open(repo.resolve(revision)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void anInvalidExcludeIsBadInputBeforeAnySandboxExists() {
        assertThatThrownBy(() -> run().run(request("true", OutputFormat.TEXT, Duration.ofMinutes(1), List.of(), List.of("!negated"), false), ui()))
                .isInstanceOf(CctException.class).hasMessageContaining("--exclude");
        assertThat(created).isEmpty();
    }
}
