package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input ends with one line naming the problem and the fix, exit 2, and nothing created. */
class BadInputTest {
    private static final String KEY = "sk-ant-secret-value-1234";

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        Consumer<Path> none = d -> { };
        return Stream.of(
                bad("unknown --sandbox", none, List.of("--sandbox", "podman", "--prompt", "x"), "unknown --sandbox 'podman'", "docker, e2b, cloudflare"),
                bad("unknown agent", none, List.of("--sandbox", "docker", "--agent", "frontend-develper", "--prompt", "x"), "unknown agent 'frontend-develper'", "did you mean"),
                bad("unknown agent without sandbox", none, List.of("--agent", "security/security-auditer"), "unknown agent", "did you mean security/security-auditor"),
                bad("malformed component file", d -> write(d.resolve("broken.md"), "no front matter here"), List.of("--agent", "./broken.md"), "malformed agent 'broken'", "fix the file"),
                bad("malformed json component", d -> write(d.resolve("srv.json"), "{\"mcpServers\": {"), List.of("--mcp", "./srv.json"), "malformed mcp 'srv'", "not valid JSON"),
                bad("empty prompt", none, List.of("--sandbox", "docker", "--prompt", "   "), "the prompt is empty", "--prompt"),
                bad("both prompt flags", d -> write(d.resolve("p.txt"), "hi"), List.of("--sandbox", "docker", "--prompt", "x", "--prompt-file", "p.txt"), "both --prompt and --prompt-file", "use one"),
                bad("unreadable prompt file", none, List.of("--sandbox", "docker", "--prompt-file", "missing.txt"), "cannot read prompt file missing.txt", "exists"),
                bad("bad timeout", none, List.of("--sandbox", "docker", "--prompt", "x", "--timeout", "ten minutes"), "invalid --timeout", "15m"),
                bad("zero timeout", none, List.of("--sandbox", "docker", "--prompt", "x", "--timeout", "0"), "out of range", "1s"),
                bad("bad env syntax", none, List.of("--sandbox", "docker", "--prompt", "x", "--env", "1BAD=x"), "invalid --env", "KEY=VALUE"),
                bad("env name unset", none, List.of("--sandbox", "docker", "--prompt", "x", "--env", "NOT_SET_ANYWHERE"), "not set", "--env NOT_SET_ANYWHERE=VALUE"),
                bad("missing anthropic key", none, List.of("--sandbox", "docker", "--prompt", "x"), "ANTHROPIC_API_KEY", "./.env", "noKey"),
                bad("missing e2b key", none, List.of("--sandbox", "e2b", "--prompt", "x"), "E2B_API_KEY is not set", "./.env"),
                bad("missing cloudflare url", none, List.of("--sandbox", "cloudflare", "--prompt", "x"), "CLOUDFLARE_SANDBOX_URL is not set", "./.env"),
                bad("unwritable output", d -> write(d.resolve("plain-file"), "x"), List.of("--sandbox", "docker", "--prompt", "x", "--output", "plain-file/out"), "cannot write to --output", "folder"),
                bad("non-empty output", d -> write(d.resolve("old/earlier.txt"), "x"), List.of("--sandbox", "docker", "--prompt", "x", "--output", "old"), "--output old is not empty", "--merge"),
                bad("non-empty output, dry run", d -> write(d.resolve("old/earlier.txt"), "x"), List.of("--sandbox", "docker", "--prompt", "x", "--output", "old", "--dry-run"), "--output old is not empty", "--merge"),
                bad("output is a file", d -> write(d.resolve("f"), "x"), List.of("--sandbox", "docker", "--prompt", "x", "--output", "f"), "is a file", "folder"),
                bad("unwritable directory", d -> write(d.resolve("plain-file"), "x"), List.of("--agent", "frontend-developer", "--directory", "plain-file/project"), "cannot write to --directory", "folder"),
                bad("malformed .env", d -> write(d.resolve(".env"), "ANTHROPIC_API_KEY=abc\nthis line is not a pair\n"), List.of("--sandbox", "docker", "--prompt", "x"), "malformed env file", "KEY=VALUE"),
                bad("malformed --env-file", d -> write(d.resolve("vars.env"), "A=1\nnot a pair\n"), List.of("--sandbox", "docker", "--prompt", "x", "--env-file", "vars.env"), "malformed env file", "KEY=VALUE"),
                bad("bad output format", none, List.of("--sandbox", "docker", "--prompt", "x", "--output-format", "xml"), "invalid --output-format", "stream-json"),
                bad("sandbox without prompt", none, List.of("--sandbox", "docker"), "needs a prompt", "--prompt"),
                bad("nothing to do", none, List.of(), "nothing to do", "--help"),
                bad("unknown option", none, List.of("--sandbx", "docker"), "Unknown option", "cct --help"),
                bad("docker-only flag with e2b", none, List.of("--sandbox", "e2b", "--prompt", "x", "--image", "img"), "--image applies to --sandbox docker only", "remove"),
                bad("ambiguous component type", none, List.of("--hook", "nope/nope"), "unknown hook", "cct components"),
                bad("conflicting components", d -> write(d.resolve("security-auditor.md"), "---\nname: security-auditor\ndescription: mine\n---\nbody\n"),
                        List.of("--agent", "security/security-auditor", "--agent", "./security-auditor.md"), "would both write .claude/agents/security-auditor.md", "keep only one"),
                bad("branch outside a checkout", none, List.of("--sandbox", "docker", "--prompt", "x", "--upload", ".", "--branch"), "--branch needs your project", "--patch FILE"),
                bad("apply of a file upload", d -> write(d.resolve("f.txt"), "x"), List.of("--sandbox", "docker", "--prompt", "x", "--upload", "f.txt", "--apply"), "--apply needs your project", "--upload ."),
                bad("invalid branch name", d -> repository(d, null), List.of("--sandbox", "docker", "--prompt", "x", "--upload", "proj", "--branch", "bad..name"), "invalid --branch 'bad..name'", "cct/fix-login"),
                bad("existing branch", d -> repository(d, "taken"), List.of("--sandbox", "docker", "--prompt", "x", "--upload", "proj", "--branch", "taken"), "branch 'taken' already exists", "another name"),
                bad("existing branch, dry run", d -> repository(d, "taken"), List.of("--sandbox", "docker", "--prompt", "x", "--upload", "proj", "--branch", "taken", "--dry-run"), "branch 'taken' already exists", "another name"),
                bad("patch is a folder", none, List.of("--sandbox", "docker", "--prompt", "x", "--patch", "."), "--patch . is a folder", "fix.patch"),
                bad("patch exists", d -> write(d.resolve("x.patch"), "old"), List.of("--sandbox", "docker", "--prompt", "x", "--patch", "x.patch"), "--patch x.patch exists", "--yes"),
                bad("continue of an unknown run", d -> runRecord(d, "abcd11112222", true, 1), List.of("--continue", "zzzz", "--prompt", "x"), "no run 'zzzz'", "cct runs list"),
                bad("continue with no run yet", none, List.of("--continue", "last", "--prompt", "x"), "no run to continue yet", "cct runs list"),
                bad("continue of an ambiguous prefix", d -> {
                    runRecord(d, "abcd11112222", true, 1);
                    runRecord(d, "abcd33334444", true, 1);
                }, List.of("--continue", "abcd", "--prompt", "x"), "'abcd' names 2 runs", "cct runs list"),
                bad("continue of another version's record", d -> runRecord(d, "abcd11112222", true, 7), List.of("--continue", "abcd11112222", "--prompt", "x"),
                        "cannot read (another version?)", "cct runs list"),
                bad("continue without a session", d -> runRecord(d, "abcd11112222", false, 1), List.of("--continue", "abcd", "--prompt", "x"),
                        "has no Claude session to resume", "start a new run"),
                bad("continue without a prompt", d -> runRecord(d, "abcd11112222", true, 1), List.of("--continue", "abcd"), "needs a prompt", "--prompt"),
                bad("runs show of an unknown run", none, List.of("runs", "show", "nope"), "no run 'nope'", "cct runs list"),
                bad("runs prune without an age", none, List.of("runs", "prune", "--older-than", "soon"), "invalid --older-than 'soon'", "30d"),
                bad("max turns zero", none, List.of("--sandbox", "docker", "--prompt", "x", "--max-turns", "0"), "--max-turns", "positive"),
                bad("budget not a number", none, List.of("--sandbox", "docker", "--prompt", "x", "--max-budget-usd", "lots"), "invalid --max-budget-usd 'lots'", "0.50"),
                bad("budget zero", none, List.of("--sandbox", "docker", "--prompt", "x", "--max-budget-usd", "0"), "--max-budget-usd must be more than 0", "0.50"),
                bad("batch without sandbox", d -> write(d.resolve("t.txt"), "a\n"), List.of("batch", "--prompts", "t.txt"), "cct batch needs --sandbox", "--sandbox docker"),
                bad("batch without prompts", none, List.of("batch", "--sandbox", "docker"), "needs --prompts FILE or --runs N", "--runs N with --prompt"),
                bad("batch runs without prompt", none, List.of("batch", "--sandbox", "docker", "--runs", "3"), "--runs needs --prompt", "--prompt TEXT"),
                bad("batch with both", d -> write(d.resolve("t.txt"), "a\n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt", "--prompt", "x"), "--prompt and --prompts both given", "--runs N --prompt TEXT"),
                bad("batch with prompts and runs", d -> write(d.resolve("t.txt"), "a\n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt", "--runs", "2"), "needs --prompts FILE or --runs N (not both)", "--runs N"),
                bad("batch bad json line", d -> write(d.resolve("t.txt"), "first\n\n{\"prompt\": \"x\", \"agnt\": \"a\"}\n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt"),
                        "--prompts t.txt: line 3: unknown key \"agnt\"", "nothing was started"),
                bad("batch unknown agent on a line", d -> write(d.resolve("t.txt"), "first\n{\"prompt\": \"x\", \"agent\": \"frontend-develper\"}\n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt"),
                        "--prompts t.txt line 2: unknown agent 'frontend-develper'", "nothing was started"),
                bad("batch bad timeout on a line", d -> write(d.resolve("t.txt"), "{\"prompt\": \"x\", \"timeout\": \"soon\"}\n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt"),
                        "line 1: invalid --timeout 'soon'", "nothing was started"),
                bad("batch empty prompts file", d -> write(d.resolve("t.txt"), "\n  \n"), List.of("batch", "--sandbox", "docker", "--prompts", "t.txt"), "has no prompts", "nothing was started"),
                bad("batch two lines, one folder", d -> write(d.resolve("t.txt"), "{\"prompt\": \"a\", \"output\": \"same\"}\n{\"prompt\": \"b\", \"output\": \"same\"}\n"),
                        List.of("batch", "--sandbox", "docker", "--prompts", "t.txt"), "line 2: two runs would write to", "its own \"output\""),
                bad("batch with --apply", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--apply"), "--apply is for a single run", "--branch"),
                bad("batch with --continue", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--continue", "last"), "--continue is for a single run", "--branch"),
                bad("batch parallel zero", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--parallel", "0"), "--parallel must be at least 1", "positive"),
                bad("batch bad budget", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--batch-budget-usd", "-3"), "--batch-budget-usd must be more than 0", "0.50"),
                bad("batch stream-json", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--output-format", "stream-json"), "invalid --output-format 'stream-json' for a batch", "text or json"),
                bad("batch unknown run flag", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x", "--agnet", "a"), "Unknown option", "cct --help"),
                bad("batch missing key", none, List.of("batch", "--sandbox", "docker", "--runs", "2", "--prompt", "x"), "ANTHROPIC_API_KEY", "./.env", "noKey"));
    }

    private static Arguments bad(String name, Consumer<Path> setup, List<String> args, String problem, String fix) {
        return Arguments.of(name, setup, args, problem, fix, false);
    }

    private static Arguments bad(String name, Consumer<Path> setup, List<String> args, String problem, String fix, String noKey) {
        return Arguments.of(name, setup, args, problem, fix, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneLineExitTwoAndCreatesNothing(String name, Consumer<Path> setup, List<String> args, String problem,
                                                   String fix, boolean withoutKey) {
        setup.accept(dir);
        List<String> before = CliRunner.filesUnder(dir);
        CliRunner cli = new CliRunner(dir);
        if (!withoutKey) {
            cli.env("ANTHROPIC_API_KEY", KEY);
        }
        CliRunner.Result result = cli.run(args.toArray(String[]::new));

        assertThat(result.code()).as(result.err()).isEqualTo(2);
        // Offline, a bundled copy standing in for upstream's is said on its own line before the problem.
        List<String> problems = result.err().lines().filter(l -> !l.startsWith("warning: used the bundled offline cop")).toList();
        assertThat(problems).as(result.err()).hasSize(1);
        assertThat(problems.get(0)).startsWith("cct: ").contains(problem).contains(fix);
        assertThat(result.err()).doesNotContain(KEY);
        assertThat(result.out()).isEmpty();
        assertThat(CliRunner.filesUnder(dir)).isEqualTo(before);
    }

    /** A provider's flag or variable, with the other variables that provider needs set. */
    static Stream<Arguments> providerCases() {
        List<String> e2b = List.of("E2B_API_KEY=e2b_test_key");
        List<String> cloudflare = List.of("CLOUDFLARE_SANDBOX_URL=https://w.example.dev", "CLOUDFLARE_SANDBOX_TOKEN=tok");
        return Stream.of(
                Arguments.of("memory too small", List.of(), List.of("--sandbox", "docker", "--memory", "1k"), "--memory 1k is too small", "64m"),
                Arguments.of("memory not a size", List.of(), List.of("--sandbox", "docker", "--memory", "lots"), "invalid --memory 'lots'", "4g"),
                Arguments.of("memory overflows", List.of(), List.of("--sandbox", "docker", "--memory", "99999999999999999g"), "invalid --memory", "4g"),
                Arguments.of("cpus zero", List.of(), List.of("--sandbox", "docker", "--cpus", "0"), "invalid --cpus '0'", "1.5"),
                Arguments.of("cpus not a number", List.of(), List.of("--sandbox", "docker", "--cpus", "NaN"), "invalid --cpus 'NaN'", "1.5"),
                Arguments.of("pids too few", List.of(), List.of("--sandbox", "docker", "--pids-limit", "3"), "invalid --pids-limit '3'", "at least 16"),
                Arguments.of("pids not a number", List.of(), List.of("--sandbox", "docker", "--pids-limit", "many"), "invalid --pids-limit", "whole number"),
                Arguments.of("unknown network", List.of(), List.of("--sandbox", "docker", "--network", "wifi"), "invalid --network 'wifi'", "bridge, host or none"),
                Arguments.of("image name with a space", List.of(), List.of("--sandbox", "docker", "--image", "my image"), "invalid --image 'my image'", "my-sandbox:1.0"),
                Arguments.of("template with docker", List.of(), List.of("--sandbox", "docker", "--template", "claude"), "--template applies to --sandbox e2b only", "--image"),
                Arguments.of("bad template", e2b, List.of("--sandbox", "e2b", "--template", "no such!"), "invalid --template 'no such!'", "e.g. claude"),
                Arguments.of("memory with e2b", e2b, List.of("--sandbox", "e2b", "--memory", "2g"), "--memory applies to --sandbox docker only", "remove"),
                Arguments.of("bad E2B_API_URL", List.of("E2B_API_KEY=k", "E2B_API_URL=not a url"), List.of("--sandbox", "e2b"), "E2B_API_URL is not a valid", "https://api.e2b.app"),
                Arguments.of("network with cloudflare", cloudflare, List.of("--sandbox", "cloudflare", "--network", "none"), "--network applies to --sandbox docker only", "remove"),
                Arguments.of("bad worker url", List.of("CLOUDFLARE_SANDBOX_URL=worker", "CLOUDFLARE_SANDBOX_TOKEN=t"), List.of("--sandbox", "cloudflare"), "CLOUDFLARE_SANDBOX_URL is not a valid", "workers.dev"),
                Arguments.of("worker url with a query", List.of("CLOUDFLARE_SANDBOX_URL=https://w.dev/?token=x", "CLOUDFLARE_SANDBOX_TOKEN=t"), List.of("--sandbox", "cloudflare"), "must not carry", "CLOUDFLARE_SANDBOX_TOKEN"));
    }

    /** The run and its --dry-run refuse the same values, with the same line: the plan never promises a run that cannot start. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("providerCases")
    void aProviderValueIsRefusedAliveAndInTheDryRunAlike(String name, List<String> variables, List<String> args, String problem,
                                                         String fix) {
        String firstLine = null;
        for (boolean dryRun : new boolean[] {false, true}) {
            List<String> before = CliRunner.filesUnder(dir);
            CliRunner cli = new CliRunner(dir).env("ANTHROPIC_API_KEY", KEY);
            variables.forEach(v -> cli.env(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1)));
            List<String> argv = new java.util.ArrayList<>(args);
            argv.addAll(List.of("--prompt", "x"));
            if (dryRun) {
                argv.add("--dry-run");
            }
            CliRunner.Result result = cli.run(argv.toArray(String[]::new));

            assertThat(result.code()).as(dryRun + ": " + result.err()).isEqualTo(2);
            // Offline, a bundled copy standing in for upstream's is said on its own line before the problem.
        assertThat(result.err().lines().filter(l -> !l.startsWith("warning: used the bundled offline cop")).toList())
                .as(result.err()).hasSize(1);
            assertThat(result.err()).startsWith("cct: ").contains(problem).contains(fix).doesNotContain(KEY);
            assertThat(result.out()).isEmpty();
            assertThat(CliRunner.filesUnder(dir)).isEqualTo(before);
            if (firstLine == null) {
                firstLine = result.err();
            } else {
                assertThat(result.err()).isEqualTo(firstLine);
            }
        }
    }

    /** A repository in proj/ with one commit, and {@code branch} besides main when not null. */
    private static void repository(Path dir, String branch) {
        try (Git git = Git.init().setDirectory(dir.resolve("proj").toFile()).setInitialBranch("main").call()) {
            write(dir.resolve("proj/a.txt"), "a\n");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Test", "test@example.invalid");
            git.commit().setMessage("first").setAuthor(who).setCommitter(who).setSign(false).call();
            if (branch != null) {
                git.branchCreate().setName(branch).call();
            }
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A run record as an earlier run leaves it, under the CLI runner's home. */
    private static void runRecord(Path dir, String id, boolean withSession, int format) {
        Path folder = dir.resolve("home/.local/share/cct/runs/" + id);
        String session = withSession ? "\"sessionId\":\"s-" + id + "\"," : "";
        write(folder.resolve("run.json"), "{\"format\":" + format + ",\"id\":\"" + id + "\",\"startedAt\":\"2026-12-01T10:00:00Z\","
                + "\"provider\":\"docker\",\"prompt\":\"earlier\"," + session + "\"components\":{},\"uploads\":[],\"exitCode\":0,"
                + "\"status\":\"ok\",\"turns\":1,\"costUsd\":0}");
        write(folder.resolve("workspace.tar"), "");
        if (withSession) {
            write(folder.resolve("session.jsonl"), "{}\n");
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
