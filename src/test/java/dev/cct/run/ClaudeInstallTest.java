package dev.cct.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.e2b.E2bProvider;
import dev.cct.sandbox.e2b.E2bSettings;
import dev.cct.testing.LocalSandbox;
import dev.cct.testing.e2b.FakeE2b;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaudeInstallTest {
    private static final List<String> CHECK = List.of("sh", "-c", ClaudeInstall.CHECK_SCRIPT);
    private static final List<String> INSTALL = List.of("sh", "-c", ClaudeInstall.INSTALL_SCRIPT, "install", ClaudeCode.VERSION);

    @TempDir
    Path dir;

    @Test
    void aSandboxThatHasClaudeCostsOneShortCommandAndNoProgress() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox().answer(0, "/usr/local/bin/claude\n", "");
        RecordingProgress progress = new RecordingProgress();

        ClaudeInstall.ensure(sandbox, progress);

        assertThat(sandbox.commands()).containsExactly(CHECK);
        Sandbox.ExecSpec check = sandbox.specs.get(0);
        assertThat(check.workingDirectory()).isEqualTo("/home/someone");
        assertThat(check.environment()).isEmpty();
        assertThat(check.timeout()).isPositive();
        assertThat(progress.lines).isEmpty();
    }

    @Test
    void aSandboxWithoutClaudeGetsThePinnedVersionAsAnArgumentNeverInTheScript() throws Exception {
        ScriptedSandbox sandbox = new ScriptedSandbox()
                .answer(0, "", "")
                .answer(0, "added 3 packages\n", "")
                .answer(0, "/home/someone/.local/bin/claude\n", "");
        RecordingProgress progress = new RecordingProgress();

        ClaudeInstall.ensure(sandbox, progress);

        assertThat(sandbox.commands()).containsExactly(CHECK, INSTALL, CHECK);
        assertThat(ClaudeInstall.INSTALL_SCRIPT).doesNotContain(ClaudeCode.VERSION).contains("@$1\"");
        assertThat(sandbox.specs.get(1).workingDirectory()).isEqualTo("/home/someone");
        assertThat(sandbox.specs.get(1).timeout()).isGreaterThan(sandbox.specs.get(0).timeout());
        assertThat(progress.lines).containsExactly(
                "start Installing Claude Code " + ClaudeCode.VERSION + " (the sandbox lacks it)",
                "done Installed Claude Code " + ClaudeCode.VERSION);
    }

    @Test
    void aFailedInstallNamesTheExitCodeAndTheLastErrorLine() {
        ScriptedSandbox sandbox = new ScriptedSandbox()
                .answer(0, "", "")
                .answer(127, "", "some noise\nnpm is not available in the sandbox\n");

        assertThatThrownBy(() -> ClaudeInstall.ensure(sandbox, new RecordingProgress()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("cannot install Claude Code " + ClaudeCode.VERSION + " in the sandbox (exit 127): "
                        + "npm is not available in the sandbox; use a sandbox that ships it (e2b: --template claude)");
        assertThat(sandbox.commands()).containsExactly(CHECK, INSTALL);
    }

    @Test
    void anInstallThatLeavesClaudeOffThePathIsAClearError() {
        ScriptedSandbox sandbox = new ScriptedSandbox().answer(0, "", "").answer(0, "", "").answer(0, "\n", "");

        assertThatThrownBy(() -> ClaudeInstall.ensure(sandbox, new RecordingProgress()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("Claude Code was installed but the sandbox's shell does not find it on PATH")
                .hasMessageContaining("--template claude");
        assertThat(sandbox.commands()).containsExactly(CHECK, INSTALL, CHECK);
    }

    @Test
    void aCheckThatCannotRunIsAnErrorNotAnInstall() {
        ScriptedSandbox sandbox = new ScriptedSandbox().answer(126, "", "sh: permission denied\n");

        assertThatThrownBy(() -> ClaudeInstall.ensure(sandbox, new RecordingProgress()))
                .isInstanceOf(SandboxException.class)
                .hasMessage("cannot look for Claude Code in the sandbox (exit 126): sh: permission denied");
        assertThat(sandbox.commands()).containsExactly(CHECK);
    }

    /** The real scripts in a real shell, with stand-ins for sudo and npm that record how they were called. */
    @Test
    void theScriptsWorkInARealShellWithAndWithoutSudo() throws Exception {
        LocalSandbox withSudo = new LocalSandbox(dir.resolve("sudo"));
        // sudo lets the user through; the global install lands on PATH.
        executable(withSudo.bin().resolve("sudo"), "shift\nexec \"$@\"\n");
        executable(withSudo.bin().resolve("npm"), "printf '%s\\n' \"$@\" > \"$HOME/npm-args\"\n"
                + "printf '#!/bin/sh\\n' > \"" + withSudo.bin() + "/claude\" && chmod +x \"" + withSudo.bin() + "/claude\"\n");
        RecordingProgress progress = new RecordingProgress();
        ClaudeInstall.ensure(withSudo, progress);
        assertThat(Files.readAllLines(Path.of(withSudo.home(), "npm-args")))
                .containsExactly("install", "-g", "--no-fund", "--no-audit", "@anthropic-ai/claude-code@" + ClaudeCode.VERSION);
        assertThat(progress.lines).last().isEqualTo("done Installed Claude Code " + ClaudeCode.VERSION);

        LocalSandbox withoutSudo = new LocalSandbox(dir.resolve("nosudo"));
        executable(withoutSudo.bin().resolve("sudo"), "exit 1\n");
        executable(withoutSudo.bin().resolve("npm"), "printf '%s\\n' \"$@\" > \"$HOME/npm-args\"\n");
        // This sandbox's PATH has no ~/.local/bin, as a shell that does not read ~/.profile.
        assertThatThrownBy(() -> ClaudeInstall.ensure(withoutSudo, new RecordingProgress()))
                .hasMessageContaining("does not find it on PATH");
        assertThat(Files.readAllLines(Path.of(withoutSudo.home(), "npm-args"))).containsExactly("install", "-g", "--prefix",
                withoutSudo.home() + "/.local", "--no-fund", "--no-audit", "@anthropic-ai/claude-code@" + ClaudeCode.VERSION);
        assertThat(Path.of(withoutSudo.home(), ".local/bin")).isDirectory();
    }

    /** E2B runs commands through a login shell: the check sees the template's PATH, and a present claude is left alone. */
    @Test
    void onE2bTheCheckSeesTheTemplatesLoginPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("template-bin"));
        executable(bin.resolve("claude"), "exit 0\n");
        try (FakeE2b e2b = FakeE2b.start(dir.resolve("e2b"), "e2b_install_test_key").withPath(List.of(bin))) {
            E2bProvider provider = new E2bProvider(E2bSettings.parse(FakeE2b.CLAUDE_TEMPLATE, Secrets.of(Map.of(
                    Secrets.E2B_API_KEY, "e2b_install_test_key", "E2B_API_URL", e2b.apiUrl(), "E2B_SANDBOX_URL", e2b.sandboxUrl()))), Duration.ofMinutes(5));
            try (Sandbox sandbox = provider.create(SandboxLabels.forThisProcess(), Progress.NONE)) {
                e2b.clearRequests();
                RecordingProgress progress = new RecordingProgress();
                ClaudeInstall.ensure(sandbox, progress);
                assertThat(progress.lines).isEmpty();
                assertThat(e2b.requests()).filteredOn(r -> r.endsWith("/Start")).hasSize(1);
            }
        }
    }

    private static void executable(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Answers each exec in turn with a scripted exit code and output, and records what was asked. */
    private static final class ScriptedSandbox implements Sandbox {
        private record Answer(int code, String stdout, String stderr) {
        }

        private final Deque<Answer> answers = new ArrayDeque<>();
        final List<ExecSpec> specs = new ArrayList<>();

        ScriptedSandbox answer(int code, String stdout, String stderr) {
            answers.add(new Answer(code, stdout, stderr));
            return this;
        }

        List<List<String>> commands() {
            return specs.stream().map(ExecSpec::command).toList();
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public String home() {
            return "/home/someone";
        }

        @Override
        public void upload(InputStream tar, String destination) {
            throw new AssertionError("no upload expected");
        }

        @Override
        public int exec(ExecSpec spec, OutputListener listener) {
            specs.add(spec);
            Answer answer = answers.poll();
            if (answer == null) {
                throw new AssertionError("unexpected command " + spec.command());
            }
            byte[] out = answer.stdout().getBytes(StandardCharsets.UTF_8);
            byte[] err = answer.stderr().getBytes(StandardCharsets.UTF_8);
            listener.stdout(out, 0, out.length);
            listener.stderr(err, 0, err.length);
            return answer.code();
        }

        @Override
        public InputStream download(String directory, List<String> excludeNames) {
            throw new AssertionError("no download expected");
        }

        @Override
        public void close() {
        }
    }

    private static final class RecordingProgress implements Progress {
        final List<String> lines = new ArrayList<>();

        @Override
        public void start(String step) {
            lines.add("start " + step);
        }

        @Override
        public void update(String detail) {
            lines.add("update " + detail);
        }

        @Override
        public void done(String summary) {
            lines.add("done " + summary);
        }

        @Override
        public void notice(String message) {
            lines.add("notice " + message);
        }
    }
}
