package dev.cct.sandbox.cloudflare;

import dev.cct.core.Progress;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.http.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cloudflare containers, created and driven through cct's own Worker (components/sandbox/cloudflare), which the
 * user deploys once with {@code cct cloudflare deploy}. cct needs only its URL and bearer token.
 */
public final class CloudflareProvider implements SandboxProvider {
    private final WorkerApi api;
    private final StreamTuning tuning;
    private final EgressPolicy egress;

    /** Reads and checks the Worker's URL and token: a missing or malformed one is bad input, before any call. */
    public CloudflareProvider(CloudflareSettings settings) {
        this(settings.config(), StreamTuning.DEFAULT, WorkerRetries.CALLS, settings.egress());
    }

    /** With other patience: tests use a short idle timeout and quick retries, so fault injection runs in seconds. */
    CloudflareProvider(WorkerConfig config, StreamTuning tuning, RetryPolicy calls) {
        this(config, tuning, calls, EgressPolicy.OPEN);
    }

    CloudflareProvider(WorkerConfig config, StreamTuning tuning, RetryPolicy calls, EgressPolicy egress) {
        this.api = new WorkerApi(config, tuning.idleTimeout(), calls);
        this.tuning = tuning;
        this.egress = egress;
    }

    /**
     * Checks the Worker answers and accepts the token, before anything is created: /health needs no token, so the
     * listing is what proves the token right.
     */
    @Override
    public void prepare(Progress progress) throws SandboxException, InterruptedException {
        progress.start("Checking the Cloudflare Worker");
        String version = api.health();
        list();
        progress.done("Cloudflare Worker " + version + " at " + api.worker());
    }

    @Override
    public Sandbox create(SandboxLabels labels, Progress progress) throws SandboxException, InterruptedException {
        progress.start("Starting Cloudflare sandbox");
        WorkerApi.Created created = api.create(labels.asMap(), egress);
        progress.done("Cloudflare sandbox " + created.id() + " ready");
        return new CloudflareSandbox(api, created, tuning, progress);
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

    @Override
    public String toString() {
        return "CloudflareProvider[" + api.worker() + (egress.open() ? "" : ", egress=" + egress.mode().flag()) + "]";
    }
}
