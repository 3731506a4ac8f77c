package dev.cct.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FakeAnthropic} answers. Immutable; the {@code with...} methods return copies.
 *
 * <ul>
 *   <li>A scripted conversation: an ordered list of {@link Turn}s. The turn played for a request is
 *       the number of {@code assistant} messages already in the request's {@code messages} (0 on the
 *       first call, 1 after the first tool round trip, ...). Past the end, a short text-only
 *       {@code end_turn} answer is played.</li>
 *   <li>{@link #apiError}: every {@code /v1/messages} call gets that HTTP status and an
 *       Anthropic-style error body.</li>
 *   <li>{@link #slow} / {@link #withDelay}: every answer waits that long before its response headers
 *       are sent (interrupted by {@link FakeAnthropic#close()}), so runs last long enough for
 *       timeout and Ctrl-C tests.</li>
 * </ul>
 *
 * <p>A scenario may also list the files it expects the CLI to leave in its working directory
 * ({@link #expectedFiles()}, {@link #verify(Path)}), so the same scenario can check results brought
 * back from a Docker, E2B or Cloudflare sandbox.
 */
public final class Scenario {

    /** Content of {@code hello.py} (non-ASCII on purpose: UTF-8 must survive). */
    public static final String HELLO_PY = "print(\"hello from cct \u00e9\u2713\")\n";
    /** Content of {@code .hidden/config.env}. */
    public static final String CONFIG_ENV = "# hidden file\nGREETING=hello\nEMPTY=\n";
    /** Content of {@code a/b/c/d/deep.txt}. */
    public static final String DEEP_TXT = "four levels down\n";
    /** Content of {@code run.sh}. */
    public static final String RUN_SH = "#!/bin/sh\necho \"run.sh ran\"\n";
    /** Text of the final turn of {@link #filesOfEveryKind()} (and the CLI's {@code result}). */
    public static final String EVERY_KIND_SUMMARY = "Created hello.py, data/blob.bin, .hidden/config.env, a/b/c/d/deep.txt and run.sh.";
    /** Text of the final turn of {@link #simpleWrite()}. */
    public static final String SIMPLE_WRITE_SUMMARY = "Wrote hello.py.";

    /** The 256 byte values 0..255 in order: the content of {@code data/blob.bin}. */
    public static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private final List<Turn> turns;
    private final Duration delay;
    private int delayFromTurn;
    private final ApiError error;
    private final List<ExpectedFile> expectedFiles;

    /** An HTTP error answered to every request. */
    public record ApiError(int status, String type, String message) {
        public ApiError {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }

    private Scenario(List<Turn> turns, Duration delay, ApiError error, List<ExpectedFile> expectedFiles) {
        this.turns = List.copyOf(turns);
        this.delay = Objects.requireNonNull(delay, "delay");
        this.error = error;
        this.expectedFiles = List.copyOf(expectedFiles);
    }

    /** A scripted conversation. */
    public static Scenario of(Turn... turns) {
        return of(Arrays.asList(turns));
    }

    /** A scripted conversation. */
    public static Scenario of(List<Turn> turns) {
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one turn");
        }
        return new Scenario(turns, Duration.ZERO, null, List.of());
    }

    /** Every request answered with HTTP {@code status} and {@code {"type":"error","error":{"type":..,"message":..}}}. */
    public static Scenario apiError(int status, String type, String message) {
        return new Scenario(List.of(Turn.text("")), Duration.ZERO, new ApiError(status, type, message), List.of());
    }

    /** A scripted conversation whose every answer waits {@code delayPerTurn} first. */
    public static Scenario slow(Duration delayPerTurn, Turn... turns) {
        return of(turns).withDelay(delayPerTurn);
    }

    /** This scenario, with every answer delayed by {@code delayPerTurn}. */
    public Scenario withDelay(Duration delayPerTurn) {
        return new Scenario(turns, delayPerTurn, error, expectedFiles);
    }

    /** This scenario, declaring the files it is expected to produce (for {@link #verify}). */
    public Scenario expecting(ExpectedFile... files) {
        List<ExpectedFile> all = new ArrayList<>(expectedFiles);
        all.addAll(Arrays.asList(files));
        return new Scenario(turns, delay, error, all);
    }

    /**
     * Writes {@code hello.py} (Write), {@code .hidden/config.env} (Write, hidden),
     * {@code a/b/c/d/deep.txt} (Write, nested) and {@code run.sh} (Write) in the first turn; in the
     * second turn one Bash command creates {@code data/blob.bin} (all 256 byte values, through
     * {@code base64 -d} from coreutils) and makes {@code run.sh} executable; the third turn is
     * the text {@link #EVERY_KIND_SUMMARY}. Three API calls (the CLI 2.1.331 reports {@code num_turns} 6).
     */
    public static Scenario filesOfEveryKind() {
        String blob64 = Base64.getEncoder().encodeToString(allByteValues());
        String bash = "cd '" + Turn.CWD + "' && mkdir -p data && printf '%s' '" + blob64
                + "' | base64 -d > data/blob.bin && chmod +x run.sh";
        return of(
                Turn.text("I'll create the files.")
                        .withWrite("hello.py", HELLO_PY)
                        .withWrite(".hidden/config.env", CONFIG_ENV)
                        .withWrite("a/b/c/d/deep.txt", DEEP_TXT)
                        .withWrite("run.sh", RUN_SH),
                Turn.text("Now the binary file, and run.sh made executable.")
                        .withBash(bash, "Create data/blob.bin and make run.sh executable"),
                Turn.text(EVERY_KIND_SUMMARY))
                .expecting(
                        new ExpectedFile("hello.py", HELLO_PY.getBytes(StandardCharsets.UTF_8), false),
                        new ExpectedFile("data/blob.bin", allByteValues(), false),
                        new ExpectedFile(".hidden/config.env", CONFIG_ENV.getBytes(StandardCharsets.UTF_8), false),
                        new ExpectedFile("a/b/c/d/deep.txt", DEEP_TXT.getBytes(StandardCharsets.UTF_8), false),
                        new ExpectedFile("run.sh", RUN_SH.getBytes(StandardCharsets.UTF_8), true));
    }

    /** One Write of {@code hello.py} ({@link #HELLO_PY}), then the text {@link #SIMPLE_WRITE_SUMMARY}. */
    public static Scenario simpleWrite() {
        return of(
                Turn.text("I'll write hello.py.").withWrite("hello.py", HELLO_PY),
                Turn.text(SIMPLE_WRITE_SUMMARY))
                .expecting(new ExpectedFile("hello.py", HELLO_PY.getBytes(StandardCharsets.UTF_8), false));
    }

    public List<Turn> turns() {
        return turns;
    }

    /** Answers to turns before this index come at once; later ones wait {@link #delay()}. */
    public int delayFromTurn() {
        return delayFromTurn;
    }

    /** This scenario, answering the first {@code turn} turns at once and every later one after {@code delay}. */
    public Scenario withDelayFrom(int turn, Duration delay) {
        Scenario copy = new Scenario(turns, delay, error, expectedFiles);
        copy.delayFromTurn = turn;
        return copy;
    }

    public Duration delay() {
        return delay;
    }

    /** The error answered to every request, or null for a scripted conversation. */
    public ApiError error() {
        return error;
    }

    public boolean isError() {
        return error != null;
    }

    public List<ExpectedFile> expectedFiles() {
        return expectedFiles;
    }

    /** Checks every expected file under {@code root}; returns the problems (empty = all good). */
    public List<String> verify(Path root) {
        List<String> problems = new ArrayList<>();
        for (ExpectedFile f : expectedFiles) {
            problems.addAll(f.check(root));
        }
        return problems;
    }

    @Override
    public String toString() {
        return error != null ? "Scenario[error=" + error + "]"
                : "Scenario[turns=" + turns.size() + ", delay=" + delay + ", expects=" + expectedFiles + "]";
    }
}
