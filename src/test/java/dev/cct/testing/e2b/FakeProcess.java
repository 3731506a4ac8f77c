package dev.cct.testing.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real host process started for {@code process.Process/Start}. Its output goes to whoever is
 * attached at the moment (no replay: like envd, output produced while nobody listens is lost) and
 * it is forgotten when it exits, so a late {@code Connect} gets {@code not_found}.
 */
final class FakeProcess {

    /** What an attached stream receives. */
    sealed interface Event permits Output, Exit, Dropped {
    }

    record Output(boolean stderr, byte[] bytes) implements Event {
    }

    record Exit(int exitCode, String status) implements Event {
    }

    /** The sandbox ended under the stream: the connection is to be dropped, not ended cleanly. */
    enum Dropped implements Event {
        SANDBOX_GONE
    }

    static final int SIGTERM = 15;
    static final int SIGKILL = 9;
    private static final int CHUNK = 32 * 1024;

    final int pid;
    /** The {@code process} object of the Start request, echoed back by {@code List}. */
    final JsonNode config;
    final String tag;
    private final Process process;
    private final List<BlockingQueue<Event>> attached = new ArrayList<>();
    private boolean exited;
    private boolean stdinClosed;
    private volatile int signalSent;

    private FakeProcess(Process process, JsonNode config, String tag) {
        this.process = process;
        this.pid = (int) process.pid();
        this.config = config;
        this.tag = tag;
    }

    /**
     * Starts the process with {@code first} already attached, so the starting stream misses no
     * output.
     */
    static FakeProcess start(ProcessBuilder builder, JsonNode config, String tag, boolean keepStdin,
                             BlockingQueue<Event> first) throws IOException {
        FakeProcess p = new FakeProcess(builder.start(), config, tag);
        p.attached.add(first);
        if (!keepStdin) {
            p.closeStdin();
        }
        Thread out = p.pump(p.process.getInputStream(), false);
        Thread err = p.pump(p.process.getErrorStream(), true);
        Thread waiter = new Thread(() -> p.awaitExit(out, err), "fake-e2b-wait-" + p.pid);
        waiter.setDaemon(true);
        waiter.start();
        return p;
    }

    /** Attaches a new listener for events from now on; null when the process has already exited. */
    synchronized BlockingQueue<Event> attach() {
        if (exited) {
            return null;
        }
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        attached.add(q);
        return q;
    }

    synchronized boolean hasExited() {
        return exited;
    }

    /** Waits until the process has exited and left the process list, at most {@code millis}. */
    synchronized boolean awaitExited(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!exited) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized void detach(BlockingQueue<Event> q) {
        attached.remove(q);
    }

    synchronized void sendInput(byte[] data) throws IOException {
        if (stdinClosed) {
            throw new IOException("stdin is closed");
        }
        OutputStream in = process.getOutputStream();
        in.write(data);
        in.flush();
    }

    synchronized void closeStdin() {
        stdinClosed = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process may already be gone; its stdin is closed either way
        }
    }

    /**
     * Sends SIGTERM or SIGKILL to the process and all its descendants. envd signals the process
     * group; the fake cannot create one from Java, so it walks the process tree instead (taken
     * before signalling, as children are reparented once their parent dies).
     */
    void signal(int signal) {
        signalSent = signal;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            if (signal == SIGKILL) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
    }

    /** The sandbox ended: attached streams are dropped and the process tree is killed. */
    void killForSandboxEnd() {
        synchronized (this) {
            attached.forEach(q -> q.add(Dropped.SANDBOX_GONE));
            attached.clear();
        }
        signal(SIGKILL);
    }

    private synchronized void publish(Event e) {
        if (!exited) {
            attached.forEach(q -> q.add(e));
        }
    }

    private Thread pump(InputStream in, boolean stderr) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[CHUNK];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    publish(new Output(stderr, Arrays.copyOf(buf, n)));
                }
            } catch (IOException ignored) {
                // the pipe closed: the process is gone
            }
        }, "fake-e2b-" + (stderr ? "err-" : "out-") + pid);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void awaitExit(Thread out, Thread err) {
        int code;
        try {
            code = process.waitFor();
            // Output still in the pipes belongs before the end event; a grandchild that keeps the
            // pipes open must not hold the end back forever (envd stops reading at exit too).
            out.join(1000);
            err.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Event end = exitEvent(code);
        synchronized (this) {
            attached.forEach(q -> q.add(end));
            attached.clear();
            exited = true;
            notifyAll();
        }
    }

    /** Java reports death by signal N as 128+N; envd reports it as exit code -1 and a "signal:" status. */
    private Exit exitEvent(int code) {
        int sig = signalSent;
        if (sig != 0 && code == 128 + sig) {
            return new Exit(-1, sig == SIGKILL ? "signal: killed" : "signal: terminated");
        }
        return new Exit(code, "exit status " + code);
    }
}
