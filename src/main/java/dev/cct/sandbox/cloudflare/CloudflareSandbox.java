package dev.cct.sandbox.cloudflare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.core.Progress;
import dev.cct.sandbox.CloseOnce;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private final CloseOnce closing;
    private final Set<EventStream> openStreams = ConcurrentHashMap.newKeySet();

    CloudflareSandbox(WorkerApi api, WorkerApi.Created created, StreamTuning tuning, Progress progress) {
        this.api = api;
        this.id = created.id();
        this.home = created.home();
        this.user = created.user();
        this.tuning = tuning;
        this.closing = new CloseOnce("the Cloudflare sandbox " + id, progress);
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
        closing.checkOpen();
        try {
            api.upload(id, destination, tar);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while uploading files", e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        closing.checkOpen();
        ObjectNode request = Json.mapper().createObjectNode();
        spec.command().forEach(request.putArray("argv")::add);
        ObjectNode env = request.putObject("env");
        spec.environment().forEach(env::put);
        if (spec.workingDirectory() != null) {
            request.put("cwd", spec.workingDirectory());
        }
        if (spec.timeout() != null) {
            // The Worker kills the command at timeoutMs and ends it with exit 124; 0 would be refused.
            request.put("timeoutMs", Math.min(Math.max(1, spec.timeout().toMillis()), MAX_TIMEOUT_MS));
        }
        ExecFollower follower = new ExecFollower(new Connection(request), tuning.idleTimeout(), tuning.reattach(), listener,
                api.worker());
        return follower.run();
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        closing.checkOpen();
        try {
            return api.download(id, directory, excludeNames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while downloading files", e);
        }
    }

    /**
     * Destroys the container; see {@link Sandbox#close()}. A command still streaming is cut loose first, so its
     * thread ends instead of re-attaching to nothing.
     */
    @Override
    public void close() {
        closing.close(() -> {
            openStreams.forEach(EventStream::close);
            api.delete(id);
        });
    }

    @Override
    public boolean destroyed() {
        return closing.destroyed();
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
            return closing.closed();
        }

        private EventStream track(EventStream stream) {
            openStreams.add(stream);
            stream.onClose(() -> openStreams.remove(stream));
            if (closing.closed()) {
                stream.close();
            }
            return stream;
        }
    }
}
