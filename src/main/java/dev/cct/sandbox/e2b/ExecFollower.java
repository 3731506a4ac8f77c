package dev.cct.sandbox.e2b;

import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Follows one sandbox's commands from their start to their exit across lost streams. A start is retried only when
 * it provably did nothing; a recorded command whose stream is cut is re-attached by pid (or tag), and what it wrote
 * after the cut is read from its {@link ExecRecord} from exactly where the stream stopped, so the listener sees
 * every byte exactly once, in order.
 */
final class ExecFollower {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REATTACH_WAIT = Duration.ofSeconds(30);
    /** After the process is known to have ended, how long the exit status may take to appear before it counts as lost. */
    private static final Duration STATUS_GRACE = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;

    private final E2bApi api;
    private final Envd envd;
    private final String id;
    private final Progress progress;

    ExecFollower(E2bApi api, Envd envd, String id, Progress progress) {
        this.api = api;
        this.envd = envd;
        this.id = id;
        this.progress = progress;
    }

    enum EndKind { EXITED, DEADLINE, GONE, CUT }

    record Ending(EndKind kind, int exitCode, String detail) {
        static Ending cut(String why) {
            return new Ending(EndKind.CUT, -1, why);
        }
    }

    /**
     * Runs a process that writes {@code record} and follows it to its exit.
     *
     * @return the exit code; 124 when envd killed it at its deadline, the backstop for when the orchestrator's own
     *     stop did not work
     */
    int followRecorded(ProcessSpec process, ExecRecord record, Sandbox.OutputListener listener)
            throws SandboxException, InterruptedException {
        Delivered delivered = new Delivered(listener);
        Ending ending = run(process, delivered);
        return ending.kind == EndKind.CUT ? recover(record, delivered, ending.detail) : ending.exitCode;
    }

    /** Runs a process without a record: a cut stream cannot be recovered, the caller judges the ending. */
    Ending followUnrecorded(ProcessSpec process, Sandbox.OutputListener listener) throws SandboxException, InterruptedException {
        return run(process, new Delivered(listener));
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
                    throw E2bErrors.envd("start " + process.shortName(), new CallException(error));
                }
            } else {
                ConnectError error = ((ProcessStream.Finished) first).error();
                throw new SandboxException("the sandbox ended the process stream at once: " + error);
            }
            Thread.sleep(E2bRetries.POLICY.backoff(attempt).toMillis());
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

    /** Output handed to the listener so far, per stream: the offsets from which the record is read after a break. */
    private static final class Delivered {
        private final Sandbox.OutputListener listener;
        Integer pid;
        long stdout;
        long stderr;

        Delivered(Sandbox.OutputListener listener) {
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
