package dev.cct.sandbox.e2b;

import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One E2B sandbox. Files travel as one tar written with one request and unpacked by one process (and the reverse);
 * commands stream through envd and leave a record inside the sandbox, so that a stream cut mid-run loses nothing.
 */
final class E2bSandbox implements Sandbox {
    /** Where cct keeps its own files in the sandbox, outside the workspace so they never come back as results. */
    static final String STATE = ".cct";
    /** envd kills a process at its Connect deadline; the orchestrator stops Claude itself first, this is the backstop. */
    static final Duration LIFETIME_GRACE = Duration.ofSeconds(30);
    private static final Duration SHORT_COMMAND = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REATTACH_WAIT = Duration.ofSeconds(30);
    /** After the process is known to have ended, how long the exit status may take to appear before it counts as lost. */
    private static final Duration STATUS_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;

    private final E2bApi api;
    private final Envd envd;
    private final String id;
    private final Progress progress;
    private final Lifetime lifetime;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile String home = "/home/" + Envd.USER;

    E2bSandbox(E2bApi api, Envd envd, String id, Progress progress, Lifetime lifetime) {
        this.api = api;
        this.envd = envd;
        this.id = id;
        this.progress = progress;
        this.lifetime = lifetime;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String home() {
        return home;
    }

    /**
     * Asks the sandbox who it is (learning {@link #home()}); run before anything else, it also proves that processes
     * start.
     *
     * @return whether Claude Code is on the login shell's PATH
     */
    boolean probe() throws SandboxException, InterruptedException {
        Captured probe = direct("printf '%s\\n' \"$HOME\"; command -v claude 2>/dev/null || true");
        String[] lines = probe.stdout().split("\n", -1);
        if (probe.code() != 0 || lines.length < 1 || !lines[0].startsWith("/")) {
            throw new SandboxException("the sandbox's shell does not work (exit " + probe.code() + "): " + probe.stderr().strip());
        }
        home = lines[0].strip();
        return lines.length > 1 && !lines[1].isBlank();
    }

    /**
     * Installs the pinned Claude Code into a template that lacks it: globally where the user may use sudo (E2B's
     * default user may), else under ~/.local, whose bin folder a login shell puts on PATH.
     */
    void installClaude(String version) throws SandboxException, InterruptedException {
        String script = String.join("\n",
                "command -v npm >/dev/null 2>&1 || { echo 'npm is not available in this template' >&2; exit 127; }",
                "pkg=\"@anthropic-ai/claude-code@$1\"",
                "if sudo -n true 2>/dev/null; then sudo -n npm install -g --no-fund --no-audit \"$pkg\"",
                "else mkdir -p \"$HOME/.local/bin\" && npm install -g --prefix \"$HOME/.local\" --no-fund --no-audit \"$pkg\"; fi");
        Captured install = capture(List.of("sh", "-c", script, "install", version), Duration.ofMinutes(10));
        if (install.code() != 0) {
            throw new SandboxException("cannot install Claude Code " + version + " in the sandbox (exit " + install.code() + "): "
                    + lastLine(install.stderr()) + "; use a template that ships it (--template claude)");
        }
        if (!probe()) {
            throw new SandboxException("Claude Code was installed but is not on the login shell's PATH;"
                    + " use a template that ships it (--template claude)");
        }
    }

    @Override
    public void upload(InputStream tar, String destination) throws SandboxException {
        String archive = stateFile("upload-" + sequence.incrementAndGet() + ".tar");
        try {
            envd.writeFile(archive, tar, Envd.USER);
            Captured unpack = capture(List.of("sh", "-c", "mkdir -p \"$1\" && tar -xf \"$2\" -C \"$1\" && rm -f \"$2\"",
                    "unpack", destination, archive), SHORT_COMMAND);
            if (unpack.code() != 0) {
                throw new SandboxException("unpacking the upload in the sandbox failed (exit " + unpack.code() + "): "
                        + lastLine(unpack.stderr()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted during the upload", e);
        }
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        String archive = stateFile("download-" + sequence.incrementAndGet() + ".tar");
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "d=$1; f=$2; shift 2; cd \"$d\" || exit 66; exec tar -cf \"$f\" \"$@\" .", "pack", directory, archive));
        excludeNames.forEach(name -> command.add("--exclude=" + name));
        try {
            Captured pack = capture(command, SHORT_COMMAND);
            if (pack.code() == 66) {
                throw new SandboxException("nothing to download: " + directory + " does not exist in the sandbox");
            }
            // GNU tar exits 1 when a file changed while it was read: the archive is still complete and usable.
            if (pack.code() != 0 && pack.code() != 1) {
                throw new SandboxException("packing the results in the sandbox failed (exit " + pack.code() + "): "
                        + lastLine(pack.stderr()));
            }
            InputStream in = envd.openFile(archive, Envd.USER);
            if (in == null) {
                throw new SandboxException("the results archive vanished from the sandbox before it was read");
            }
            return in;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted during the download", e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        ExecRecord record = new ExecRecord(stateFile("exec"), "exec-" + sequence.incrementAndGet());
        List<String> args = new ArrayList<>(List.of("-l"));
        args.addAll(record.bashArgs(spec.command()));
        Duration limit = spec.timeout() == null ? null : spec.timeout().plus(LIFETIME_GRACE);
        ProcessSpec process = new ProcessSpec("/bin/bash", args, spec.environment(), spec.workingDirectory(), record.name(),
                limit, Envd.USER);
        Delivered delivered = new Delivered(listener);
        Ending ending = run(process, delivered);
        // DEADLINE: envd killed it at the backstop deadline, because the orchestrator's own stop did not work.
        return ending.kind == EndKind.CUT ? recover(record, delivered, ending.detail) : ending.exitCode;
    }

    /** Starts a process and follows its stream to the end; a sandbox found gone is the expiry error. */
    private Ending run(ProcessSpec process, Delivered delivered) throws SandboxException, InterruptedException {
        Ending ending;
        try (ProcessStream stream = start(process)) {
            ending = follow(stream, delivered);
        }
        if (ending.kind == EndKind.GONE) {
            throw new SandboxException(E2bErrors.EXPIRED);
        }
        return ending;
    }

    /** A path under cct's own folder in the sandbox. */
    private String stateFile(String name) {
        return home + "/" + STATE + "/" + name;
    }

    /** Starts a process; retried only when the request provably did nothing (never sent, or refused as busy). */
    private ProcessStream start(ProcessSpec process) throws SandboxException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            ProcessStream stream = envd.start(process);
            ProcessStream.Item first = stream.peek();
            if (first instanceof ProcessStream.Event) {
                return stream;
            }
            stream.close();
            boolean retry = attempt < START_ATTEMPTS;
            if (first instanceof ProcessStream.Cut cut) {
                if (cut.requestSent() || !retry) {
                    throw E2bErrors.network("start " + process.shortName() + " in the sandbox", cut.cause());
                }
            } else if (first instanceof ProcessStream.Refused refused) {
                ApiError error = refused.error();
                if (error.sandboxGone()) {
                    throw new SandboxException(E2bErrors.EXPIRED);
                }
                boolean busy = error.status() == 429 || error.status() == 503;
                if (!busy || !retry) {
                    throw E2bErrors.envd("start " + process.shortName(), new E2bCallException(error));
                }
            } else {
                ConnectError error = ((ProcessStream.Finished) first).error();
                throw new SandboxException("the sandbox ended the process stream at once: " + error);
            }
            Thread.sleep(RetryPolicy.DEFAULT.backoff(attempt).toMillis());
        }
    }

    private enum EndKind { EXITED, DEADLINE, GONE, CUT }

    private record Ending(EndKind kind, int exitCode, String detail) {
        static Ending cut(String why) {
            return new Ending(EndKind.CUT, -1, why);
        }
    }

    /** Reads a process stream to its end, handing output on as it comes. */
    private Ending follow(ProcessStream stream, Delivered delivered) throws InterruptedException {
        Integer exitCode = null;
        while (true) {
            ProcessStream.Item item = stream.next();
            if (item instanceof ProcessStream.Event e) {
                ProcessEvent event = e.event();
                if (event instanceof ProcessEvent.Started started) {
                    delivered.pid = started.pid();
                } else if (event instanceof ProcessEvent.Output output) {
                    delivered.stdout(output.stdout());
                    delivered.stderr(output.stderr());
                } else if (event instanceof ProcessEvent.Ended ended) {
                    exitCode = ended.exitCode();
                }
            } else if (item instanceof ProcessStream.Finished finished) {
                ConnectError error = finished.error();
                if (error == null) {
                    // A clean end without an end event leaves the status unknown: the record knows it.
                    return exitCode != null ? new Ending(EndKind.EXITED, exitCode, null) : Ending.cut("no exit status");
                }
                if (ConnectError.DEADLINE_EXCEEDED.equals(error.code())) {
                    return new Ending(EndKind.DEADLINE, 124, error.toString());
                }
                return Ending.cut(error.toString());
            } else if (item instanceof ProcessStream.Cut cut) {
                return Ending.cut(cut.cause().getMessage() == null ? cut.cause().getClass().getSimpleName() : cut.cause().getMessage());
            } else if (item instanceof ProcessStream.Refused refused) {
                return refused.error().sandboxGone() ? new Ending(EndKind.GONE, -1, null) : Ending.cut(refused.error().describe());
            }
        }
    }

    /**
     * The stream broke before the process's end was seen. Re-attaches by pid (or by tag when the pid never arrived)
     * to follow the process, and delivers everything it wrote from the record in the sandbox, from exactly where
     * the stream stopped: the record holds the same bytes in the same order.
     */
    private int recover(ExecRecord record, Delivered delivered, String why) throws SandboxException, InterruptedException {
        ensureAlive();
        long before = delivered.total();
        ProcessStream again = delivered.pid != null ? envd.connect(delivered.pid, null, Envd.USER)
                : envd.connect(null, record.name(), Envd.USER);
        try (again) {
            ProcessStream.Item first = again.poll(REATTACH_WAIT);
            boolean running = first instanceof ProcessStream.Event e && e.event() instanceof ProcessEvent.Started;
            progress.notice("the output stream from E2B broke after " + before + " bytes (" + why + "); "
                    + (running ? "re-attached to the running process" : "the process is no longer running")
                    + "; reading what it wrote from its record in the sandbox");
            FileTail out = new FileTail(record.stdoutPath(), delivered.stdout);
            FileTail err = new FileTail(record.stderrPath(), delivered.stderr);
            long endedAt = running ? 0 : System.nanoTime();
            int polls = 0;
            while (true) {
                Integer code = readExitCode(record);
                // Read after the status: a present status means both output files are complete.
                out.catchUp(delivered::stdout);
                err.catchUp(delivered::stderr);
                if (code != null) {
                    long recovered = delivered.total() - before;
                    progress.notice("recovered " + recovered + " byte(s) of output after the break; nothing was lost");
                    return code;
                }
                if (endedAt != 0 && System.nanoTime() - endedAt > STATUS_GRACE.toNanos()) {
                    throw new SandboxException("the command ended but its exit status was lost with the stream from E2B ("
                            + why + "); its output up to the end was recovered");
                }
                if (running) {
                    ProcessStream.Item item = again.poll(POLL);
                    if (item instanceof ProcessStream.Finished || item instanceof ProcessStream.Cut
                            || item instanceof ProcessStream.Refused) {
                        running = false;
                        endedAt = System.nanoTime();
                    }
                } else {
                    Thread.sleep(POLL.toMillis());
                }
                if (++polls % 10 == 0) {
                    ensureAlive();
                }
            }
        }
    }

    /** The recorded exit status, or null while the command still runs. */
    private Integer readExitCode(ExecRecord record) throws SandboxException, InterruptedException {
        try (InputStream in = envd.openFile(record.exitCodePath(), Envd.USER)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? null : Integer.valueOf(text);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Fails with the expiry message when the sandbox no longer exists. */
    private void ensureAlive() throws SandboxException, InterruptedException {
        if (!envd.alive() || api.get(id) == null) {
            throw new SandboxException(E2bErrors.EXPIRED);
        }
    }

    /** A short command of cct's own, recorded like any other, its output collected. */
    private Captured capture(List<String> command, Duration timeout) throws SandboxException, InterruptedException {
        Collector collector = new Collector();
        int code = exec(new ExecSpec(command, Map.of(), home, timeout), collector);
        return collector.result(code);
    }

    /** A short script run without a record: for the first command, before the home folder is known. */
    private Captured direct(String script) throws SandboxException, InterruptedException {
        ProcessSpec process = new ProcessSpec("/bin/bash", List.of("-l", "-c", script), Map.of(), null, null, SHORT_COMMAND,
                Envd.USER);
        Collector collector = new Collector();
        Ending ending = run(process, new Delivered(collector));
        if (ending.kind != EndKind.EXITED) {
            throw new SandboxException("the sandbox's first command did not finish (" + ending.detail + ")");
        }
        return collector.result(ending.exitCode);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lifetime.stop();
        // Cleanup often runs right after an interrupt (Ctrl-C); the kill must still go out.
        boolean interrupted = Thread.interrupted();
        try {
            api.kill(id);
        } catch (SandboxException e) {
            closed.set(false);
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            closed.set(false);
            interrupted = true;
            throw new IllegalStateException("interrupted while killing sandbox " + id, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "E2bSandbox[" + id + "]";
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "no error output" : lines.get(lines.size() - 1);
    }

    record Captured(int code, String stdout, String stderr) {
    }

    /** Collects both streams of a short command. */
    private static final class Collector implements OutputListener {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        @Override
        public void stdout(byte[] data, int offset, int length) {
            out.write(data, offset, length);
        }

        @Override
        public void stderr(byte[] data, int offset, int length) {
            err.write(data, offset, length);
        }

        Captured result(int code) {
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Output handed to the listener so far, per stream: the offsets from which the record is read after a break. */
    private static final class Delivered {
        private final OutputListener listener;
        Integer pid;
        long stdout;
        long stderr;

        Delivered(OutputListener listener) {
            this.listener = listener;
        }

        void stdout(byte[] data) {
            stdout(data, 0, data.length);
        }

        void stdout(byte[] data, int offset, int length) {
            if (length > 0) {
                listener.stdout(data, offset, length);
                stdout += length;
            }
        }

        void stderr(byte[] data) {
            stderr(data, 0, data.length);
        }

        void stderr(byte[] data, int offset, int length) {
            if (length > 0) {
                listener.stderr(data, offset, length);
                stderr += length;
            }
        }

        long total() {
            return stdout + stderr;
        }
    }

    /** Reads a growing file in the sandbox from where the last read stopped. */
    private final class FileTail {
        private final String path;
        private long offset;

        FileTail(String path, long offset) {
            this.path = path;
            this.offset = offset;
        }

        interface Sink {
            void accept(byte[] data, int offset, int length);
        }

        void catchUp(Sink sink) throws SandboxException, InterruptedException {
            try (InputStream in = envd.openFileFrom(path, offset, Envd.USER)) {
                if (in == null) {
                    return;
                }
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sink.accept(buffer, 0, n);
                    offset += n;
                }
            } catch (IOException e) {
                // A broken read is retried on the next round, from the same offset.
            }
        }
    }
}
