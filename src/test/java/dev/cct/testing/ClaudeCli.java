package dev.cct.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds and runs the REAL Claude Code CLI installed by {@code .ci/install-claude.sh}, hermetically
 * (own HOME, no inherited ANTHROPIC_* / CLAUDE_* variables), against a {@link FakeAnthropic}.
 */
public final class ClaudeCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The arguments of a headless run, as cct uses them. */
    public static final List<String> HEADLESS_ARGS = List.of(
            "-p", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions");

    private ClaudeCli() {
    }

    /**
     * The claude binary: system property {@code cct.claude}, else env {@code CCT_CLAUDE}, else the
     * newest {@code ${CCT_CI_CACHE:-$HOME/.cache/cct-ci}/claude-<version>/node_modules/.bin/claude}.
     */
    public static Optional<Path> locate() {
        for (String configured : new String[] {System.getProperty("cct.claude"), System.getenv("CCT_CLAUDE")}) {
            if (configured != null && !configured.isBlank()) {
                Path p = Path.of(configured);
                return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
            }
        }
        String cacheEnv = System.getenv("CCT_CI_CACHE");
        Path cache = cacheEnv != null && !cacheEnv.isBlank() ? Path.of(cacheEnv)
                : Path.of(System.getProperty("user.home"), ".cache", "cct-ci");
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.filter(d -> d.getFileName().toString().matches("claude-\\d+(\\.\\d+)*"))
                    .sorted(Comparator.comparing((Path d) -> version(d.getFileName().toString().substring(7))).reversed())
                    .map(d -> d.resolve("node_modules/.bin/claude"))
                    .filter(Files::isExecutable)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@link #locate()}, or skips the calling test with a printed reason (fails where {@code cct.requireClaude} is set). */
    public static Path locateOrSkip() {
        Optional<Path> claude = locate();
        if (claude.isEmpty()) {
            String configured = System.getProperty("cct.claude", System.getenv("CCT_CLAUDE"));
            Needs.CLAUDE.check(configured != null && !configured.isBlank()
                    ? "Claude Code CLI not executable at " + configured + " (from -Dcct.claude / CCT_CLAUDE)"
                    : "Claude Code CLI not found (set -Dcct.claude=PATH or CCT_CLAUDE, or run .ci/install-claude.sh)");
        }
        return claude.orElseThrow();
    }

    private static String version(String v) {
        StringBuilder sb = new StringBuilder();
        for (String part : v.split("\\.")) {
            sb.append(String.format("%08d", Long.parseLong(part)));
        }
        return sb.toString();
    }

    /** The environment of a hermetic run against {@code baseUrl}. */
    public static Map<String, String> environment(Path home, String baseUrl, String apiKey) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("IS_SANDBOX", "1");
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_API_KEY", apiKey);
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        return env;
    }

    /** A finished (or killed) run. */
    public record Run(int exitCode, boolean timedOut, List<String> stdoutLines, String stderr, Duration elapsed) {

        /** Every stdout line that parses as a JSON object. */
        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : stdoutLines) {
                if (line.startsWith("{")) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException ignored) {
                        // not NDJSON: ignore
                    }
                }
            }
            return out;
        }

        /** The last {@code {"type":"result"}} event. */
        public Optional<JsonNode> result() {
            JsonNode last = null;
            for (JsonNode e : events()) {
                if ("result".equals(e.path("type").asText())) {
                    last = e;
                }
            }
            return Optional.ofNullable(last);
        }

        public String describe() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + " after " + elapsed.toMillis()
                    + " ms\n--- stdout ---\n" + String.join("\n", stdoutLines) + "\n--- stderr ---\n" + stderr;
        }
    }

    /**
     * Runs {@code claude -p --output-format stream-json --verbose --dangerously-skip-permissions
     * [extraArgs]} in {@code workDir}, the prompt on stdin, with {@link #environment}.
     */
    public static Run run(Path claude, Path workDir, Path home, String baseUrl, String apiKey,
                          String prompt, Duration timeout, String... extraArgs) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(home);
            Path io = Files.createTempDirectory("claude-run-");
            Path in = io.resolve("prompt.txt");
            Path out = io.resolve("stdout.ndjson");
            Path err = io.resolve("stderr.txt");
            Files.writeString(in, prompt, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>();
            cmd.add(claude.toString());
            cmd.addAll(HEADLESS_ARGS);
            cmd.addAll(List.of(extraArgs));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_")
                    || k.equals("IS_SANDBOX"));
            pb.environment().putAll(environment(home, baseUrl, apiKey));
            long start = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Run run = new Run(done ? p.exitValue() : -1, !done,
                    Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(io);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
