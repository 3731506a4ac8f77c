package dev.cct.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Collects both streams of a short command of cct's own, whose output is read only once it has ended. */
public final class CapturedOutput implements Sandbox.OutputListener {
    /** For a command whose output nobody reads. */
    public static final Sandbox.OutputListener DISCARD = new Sandbox.OutputListener() {
        @Override
        public void stdout(byte[] data, int offset, int length) {
        }

        @Override
        public void stderr(byte[] data, int offset, int length) {
        }
    };

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Override
    public synchronized void stdout(byte[] data, int offset, int length) {
        out.write(data, offset, length);
    }

    @Override
    public synchronized void stderr(byte[] data, int offset, int length) {
        err.write(data, offset, length);
    }

    /** Standard output so far. */
    public synchronized String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Standard error so far. */
    public synchronized String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** What the command wrote, with its exit code. */
    public synchronized Result result(int code) {
        return new Result(code, stdout(), stderr());
    }

    public record Result(int code, String stdout, String stderr) {
        /** The last line of standard error, for a one-line message: usually the line that says what went wrong. */
        public String lastErrorLine() {
            List<String> lines = stderr.strip().lines().toList();
            return lines.isEmpty() ? "no error output" : lines.get(lines.size() - 1);
        }
    }
}
