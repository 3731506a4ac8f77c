package dev.cct.sandbox.cloudflare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Cloudflare container behind cct's Worker. Files travel as one tar each way; commands stream their output as
 * Server-Sent Events and survive lost streams by re-attaching ({@link ExecFollower}).
 */
final class CloudflareSandbox implements Sandbox {
    /** The Worker's upper bound for timeoutMs (CONTRACT.md). */
    private static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;

    private final WorkerApi api;
    private final String id;
    private final String home;
    private final String user;
    private final StreamTuning tuning;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<EventStream> openStreams = ConcurrentHashMap.newKeySet();

    CloudflareSandbox(WorkerApi api, WorkerApi.Created created, StreamTuning tuning) {
        this.api = api;
        this.id = created.id();
        this.home = created.home();
        this.user = created.user();
        this.tuning = tuning;
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
     * Uid 0 when the Worker runs commands as root (the Sandbox SDK's default), so the orchestrator sets IS_SANDBOX=1
     * for Claude. Other users: unknown numerically, and the Worker does not keep tar ownership anyway.
     */
    @Override
    public Owner owner() {
        return "root".equals(user) ? new Owner(0, 0) : null;
    }

    @Override
    public void upload(InputStream tar, String destination) throws SandboxException {
        checkOpen();
        try {
            api.upload(id, destination, tar);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while uploading files", e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        checkOpen();
        ObjectNode request = Json.mapper().createObjectNode();
        spec.command().forEach(request.putArray("argv")::add);
        ObjectNode env = request.putObject("env");
        spec.environment().forEach(env::put);
        if (spec.workingDirectory() != null) {
            request.put("cwd", spec.workingDirectory());
        }
        if (spec.timeout() != null) {
            long millis = Math.max(0, spec.timeout().toMillis()) + tuning.deadlineGrace().toMillis();
            request.put("timeoutMs", Math.min(millis, MAX_TIMEOUT_MS));
        }
        ExecFollower follower = new ExecFollower(new Connection(request), tuning.idleTimeout(), tuning.reattach(), listener,
                api.worker());
        return follower.run();
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        checkOpen();
        try {
            return api.download(id, directory, excludeNames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while downloading files", e);
        }
    }

    /**
     * Destroys the container: idempotent, callable from any thread (the shutdown hook included), never throws. A
     * command still streaming is cut loose first, so its thread ends instead of re-attaching to nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        openStreams.forEach(EventStream::close);
        boolean interrupted = Thread.interrupted(); // the destroy must happen even on an interrupted thread
        try {
            api.delete(id);
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            // Nothing to throw to: say it once where the user sees it, with the way out.
            System.err.println("cct: could not destroy Cloudflare sandbox " + id + ": " + e.getMessage()
                    + " (run 'cct sandboxes clean')");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkOpen() throws SandboxException {
        if (closed.get()) {
            throw new SandboxException("the Cloudflare sandbox " + id + " was already destroyed");
        }
    }

    @Override
    public String toString() {
        return "CloudflareSandbox[" + id + " at " + api.worker() + "]";
    }

    /** The follower's view of this sandbox: every stream it opens is tracked so that close() can cut it. */
    private final class Connection implements ExecFollower.Connection {
        private final ObjectNode request;

        Connection(ObjectNode request) {
            this.request = request;
        }

        @Override
        public EventStream start() {
            return track(api.startExec(id, request));
        }

        @Override
        public EventStream attach(String execId, long after) {
            return track(api.attach(id, execId, after));
        }

        @Override
        public WorkerApi.Status status(String execId) throws SandboxException, InterruptedException {
            return api.status(id, execId);
        }

        @Override
        public boolean destroyed() {
            return closed.get();
        }

        private EventStream track(EventStream stream) {
            openStreams.add(stream);
            stream.onClose(() -> openStreams.remove(stream));
            if (closed.get()) {
                stream.close();
            }
            return stream;
        }
    }
}
