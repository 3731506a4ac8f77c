package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the recording script with the real /bin/bash, as envd would. */
class ExecRecordTest {
    @TempDir
    Path temp;

    private record Ran(int exit, byte[] stdout, byte[] stderr) {
    }

    private static Ran run(ExecRecord record, List<String> command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/bin/bash"));
        argv.addAll(record.bashArgs(command));
        Process process = new ProcessBuilder(argv).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), out, err.join());
    }

    @Test
    void streamsAndRecordsTheSameBytesAndTheExitCode() throws Exception {
        Path dir = temp.resolve("it's a dir");
        ExecRecord record = new ExecRecord(dir.toString(), "run-1");
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            script.append("echo out-").append(i).append(" ✓; echo err-").append(i).append(" >&2; ");
        }
        script.append("printf 'no newline'; exit 3");

        Ran ran = run(record, List.of("/bin/sh", "-c", script.toString()));

        assertThat(ran.exit()).isEqualTo(3);
        assertThat(new String(ran.stdout(), StandardCharsets.UTF_8)).startsWith("out-0 ✓\n").endsWith("out-199 ✓\nno newline")
                .doesNotContain("err-");
        assertThat(new String(ran.stderr(), StandardCharsets.UTF_8)).startsWith("err-0\n").endsWith("err-199\n")
                .doesNotContain("out-");
        assertThat(Files.readAllBytes(Path.of(record.stdoutPath()))).isEqualTo(ran.stdout());
        assertThat(Files.readAllBytes(Path.of(record.stderrPath()))).isEqualTo(ran.stderr());
        assertThat(Files.readString(Path.of(record.exitCodePath())).strip()).isEqualTo("3");
        assertThat(dir.resolve("run-1.status")).doesNotExist();
    }

    @Test
    void argumentsAreNeverInterpretedByTheScript() throws Exception {
        ExecRecord record = new ExecRecord(temp.toString(), "args");
        Ran ran = run(record, List.of("printf", "%s|", "$(touch pwned)", "a b", "'q'", ";exit 9"));
        assertThat(ran.exit()).isZero();
        assertThat(new String(ran.stdout(), StandardCharsets.UTF_8)).isEqualTo("$(touch pwned)|a b|'q'|;exit 9|");
        assertThat(temp.resolve("pwned")).doesNotExist();
        assertThat(Files.readString(Path.of(record.exitCodePath())).strip()).isEqualTo("0");
    }

    @Test
    void aRerunStartsFromEmptyFilesAndNoStaleCode() throws Exception {
        ExecRecord record = new ExecRecord(temp.toString(), "again");
        run(record, List.of("/bin/sh", "-c", "echo first; echo first >&2; exit 1"));
        Ran second = run(record, List.of("/bin/sh", "-c", "echo second"));
        assertThat(second.exit()).isZero();
        assertThat(Files.readString(Path.of(record.stdoutPath()))).isEqualTo("second\n");
        assertThat(Files.readString(Path.of(record.stderrPath()))).isEmpty();
        assertThat(Files.readString(Path.of(record.exitCodePath())).strip()).isEqualTo("0");
    }

    @Test
    void aCommandThatCannotRunStillLeavesACode() throws Exception {
        ExecRecord record = new ExecRecord(temp.toString(), "missing");
        Ran ran = run(record, List.of("/no/such/program"));
        assertThat(ran.exit()).isEqualTo(127);
        assertThat(Files.readString(Path.of(record.exitCodePath())).strip()).isEqualTo("127");
        assertThat(Files.readAllBytes(Path.of(record.stderrPath()))).isEqualTo(ran.stderr()).isNotEmpty();
    }

    @Test
    void stdinIsClosed() throws Exception {
        ExecRecord record = new ExecRecord(temp.toString(), "stdin");
        Ran ran = run(record, List.of("cat"));
        assertThat(ran.exit()).isZero();
        assertThat(ran.stdout()).isEmpty();
    }

    @Test
    void namesArePlainFileNames() {
        assertThatThrownBy(() -> new ExecRecord("/tmp", "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExecRecord("/tmp", "a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExecRecord("/tmp", "")).isInstanceOf(IllegalArgumentException.class);
        ExecRecord record = new ExecRecord("/home/user/.cct", "run-1.a_b");
        assertThat(record.stdoutPath()).isEqualTo("/home/user/.cct/run-1.a_b.out");
        assertThat(record.stderrPath()).isEqualTo("/home/user/.cct/run-1.a_b.err");
        assertThat(record.exitCodePath()).isEqualTo("/home/user/.cct/run-1.a_b.code");
        assertThat(record.bashArgs(List.of("echo", "hi"))).hasSize(5).startsWith("-c").endsWith("cct-exec", "echo", "hi");
    }
}
