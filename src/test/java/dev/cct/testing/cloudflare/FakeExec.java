package dev.cct.testing.cloudflare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command the fake runs for real, and the numbered events it produced. Events are kept for the command's
 * whole life so that any stream, at any time, can replay them ({@code seq > after}) and then follow live ones.
 */
final class FakeExec {
    /** One numbered event; {@code data} for output, {@code exitCode} for exit, code/message for error. */
    record Event(long seq, String type, byte[] data, int exitCode, String code, String message) {
        boolean last() {
            return type.equals("exit") || type.equals("error");
        }
    }

    final String id;
    private final List<Event> events = new ArrayList<>();
    private Process process;
    private volatile boolean timedOut;
    private boolean finished;
    private Integer exitCode;

    FakeExec(String id) {
        this.id = id;
    }

    /** Starts the command; a command that cannot start ends at once with an error event. */
    void start(List<String> argv, Map<String, String> environment, Path cwd, Long timeoutMs) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            if (!Files.isDirectory(cwd)) {
                throw new IOException("cwd " + cwd + " does not exist");
            }
            process = builder.start();
        } catch (IOException e) {
            add(new Event(0, "error", null, 0, "exec_failed", String.valueOf(e.getMessage())));
            return;
        }
        try {
            process.getOutputStream().close(); // commands get no stdin, like the Worker's
        } catch (IOException ignored) {
            // Nothing to close.
        }
        Thread out = pump(process.getInputStream(), "stdout");
        Thread err = pump(process.getErrorStream(), "stderr");
        Thread waiter = new Thread(() -> {
            try {
                boolean ended = timeoutMs == null ? waitFor() : process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
                if (!ended) {
                    timedOut = true;
                    kill();
                    process.waitFor();
                }
                // Output first, then the exit. Bounded: a child that outlived the command may hold the pipes open.
                out.join(1000);
                err.join(1000);
                add(new Event(0, "exit", null, timedOut ? 124 : process.exitValue(), null, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fake-worker-exec-" + id);
        waiter.setDaemon(true);
        waiter.start();
    }

    private boolean waitFor() throws InterruptedException {
        process.waitFor();
        return true;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Kills the command and everything it started. */
    void kill() {
        if (process != null) {
            // The command first (else a shell sees its child die and runs its next line), then what it started.
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    synchronized boolean running() {
        return !finished;
    }

    synchronized Integer exitCode() {
        return exitCode;
    }

    private synchronized void add(Event event) {
        if (finished) {
            return;
        }
        Event numbered = new Event(events.size() + 1L, event.type(), event.data(), event.exitCode(), event.code(), event.message());
        events.add(numbered);
        if (numbered.last()) {
            finished = true;
            exitCode = numbered.type().equals("exit") ? numbered.exitCode() : null;
        }
        notifyAll();
    }

    /** The first event with {@code seq > after}, waiting at most {@code waitMillis}; null when none came. */
    synchronized Event next(long after, long waitMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + waitMillis;
        while (events.size() <= after) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        return events.get((int) after);
    }

    private Thread pump(InputStream in, String type) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (n > 0) {
                        add(new Event(0, type, Arrays.copyOf(buffer, n), 0, null, null));
                    }
                }
            } catch (IOException ignored) {
                // The process is gone.
            }
        }, "fake-worker-" + type + "-" + id);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
