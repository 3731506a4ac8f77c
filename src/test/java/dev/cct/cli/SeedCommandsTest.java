package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example command of the npm tool's documentation, as its users type it (with `cct` in place of
 * `npx claude-code-templates@latest`): the flags parse and every component resolves from the bundled catalog,
 * offline (the remote catalog is unreachable in these tests).
 */
class SeedCommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "--sandbox e2b --prompt 'your development task'",
        "--sandbox e2b --agent development/frontend-developer --prompt 'optimize my React components'",
        "--sandbox e2b --agent data-ai/ml-engineer --command testing/generate-tests --prompt 'analyze this dataset and create tests'",
        "--sandbox e2b --agent security/security-auditor --prompt 'audit this codebase' --timeout 300",
        "--sandbox e2b --prompt 'Create a React todo app'",
        "--sandbox e2b --agent react-expert,frontend-developer --prompt 'Build a responsive dashboard with charts'",
        "--sandbox e2b --prompt 'Set up database migrations'",
        "--sandbox docker --prompt 'Create a Python FastAPI server'",
        "--sandbox cloudflare --prompt 'Create a serverless API'",
        "--sandbox e2b --agent backend-developer --prompt 'Create a REST API with Express'",
        "--sandbox e2b --prompt 'Experiment with different sorting algorithms and benchmark them'",
        "--sandbox e2b --agent fullstack-developer,database-expert --mcp postgresql --prompt 'Create a blog platform with user authentication'",
        "--sandbox docker --agent testing-specialist --prompt 'Set up Jest with React Testing Library and write component tests'",
    })
    void runsAsWritten(String command) {
        List<String> args = new ArrayList<>(split(command));
        args.add("--dry-run");
        CliRunner.Result result = new CliRunner(dir).env("ANTHROPIC_API_KEY", "sk-ant-seed").env("E2B_API_KEY", "e2b_seed")
                .env("CLOUDFLARE_SANDBOX_URL", "https://cct-sandbox.example.workers.dev").env("CLOUDFLARE_SANDBOX_TOKEN", "seed-token")
                .run(args.toArray(String[]::new));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(CliRunner.filesUnder(dir)).noneMatch(path -> path.startsWith(".claude") || path.startsWith("sandbox-"));
    }

    /** Splits like a shell: single quotes group words. */
    private static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : command.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
