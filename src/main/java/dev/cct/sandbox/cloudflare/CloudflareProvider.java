package dev.cct.sandbox.cloudflare;

import dev.cct.run.Secrets;
import dev.cct.sandbox.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cloudflare containers, created and driven through cct's own Worker (components/sandbox/cloudflare), which the
 * user deploys once with {@code cct cloudflare deploy}. cct needs only its URL and bearer token.
 */
public final class CloudflareProvider implements SandboxProvider {
    /** The Worker sends a heartbeat at least every 20 s; three missed ones mean the stream is dead. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final WorkerApi api;
    private final Duration idleTimeout;
    private final Backoff reattach;

    /** Reads and checks the Worker's URL and token: a missing or malformed one is bad input, before any call. */
    public CloudflareProvider(Secrets secrets) {
        this(new WorkerApi(WorkerConfig.from(secrets), IDLE_TIMEOUT), IDLE_TIMEOUT, Backoff.REATTACH);
    }

    CloudflareProvider(WorkerApi api, Duration idleTimeout, Backoff reattach) {
        this.api = api;
        this.idleTimeout = idleTimeout;
        this.reattach = reattach;
    }

    /** For tests: a short idle timeout and quick re-attaches, so that fault injection runs in seconds. */
    static CloudflareProvider forTests(Secrets secrets, Duration idleTimeout, Backoff backoff) {
        return new CloudflareProvider(new WorkerApi(WorkerConfig.from(secrets), idleTimeout, backoff), idleTimeout, backoff);
    }

    @Override
    public void prepare(Progress progress) throws SandboxException, InterruptedException {
        progress.start("Checking the Cloudflare Worker");
        String version = api.health();
        reapOrphans();
        progress.done("Cloudflare Worker " + version + " at " + api.worker());
    }

    @Override
    public Sandbox create(SandboxLabels labels, Progress progress) throws SandboxException, InterruptedException {
        progress.start("Starting Cloudflare sandbox");
        WorkerApi.Created created = api.create(labels.asMap());
        progress.done("Cloudflare sandbox " + created.id() + " ready");
        return new CloudflareSandbox(api, created, idleTimeout, reattach);
    }

    @Override
    public List<SandboxInfo> list() throws SandboxException {
        List<SandboxInfo> result = new ArrayList<>();
        try {
            for (WorkerApi.Listed listed : api.list()) {
                Optional<SandboxLabels> labels = SandboxLabels.from(listed.labels());
                labels.ifPresent(l -> result.add(new SandboxInfo(listed.id(), "cloudflare", "running", listed.createdAt(), l)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while listing Cloudflare sandboxes", e);
        }
        return result;
    }

    @Override
    public void remove(String id) throws SandboxException {
        try {
            api.delete(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while destroying Cloudflare sandbox " + id, e);
        }
    }

    /** Destroys sandboxes whose cct process died (SIGKILL, a crashed machine): a courtesy that never fails the run. */
    private void reapOrphans() throws InterruptedException {
        try {
            for (SandboxInfo info : list()) {
                if (info.labels().ownerIsGone()) {
                    api.delete(info.id());
                }
            }
        } catch (SandboxException e) {
            // The run itself does not depend on it.
        }
    }

    @Override
    public String toString() {
        return "CloudflareProvider[" + api.worker() + "]";
    }
}
