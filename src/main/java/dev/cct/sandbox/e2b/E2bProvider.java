package dev.cct.sandbox.e2b;

import dev.cct.core.Progress;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.http.HttpCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/** E2B cloud sandboxes, through E2B's REST API and the envd daemon inside each sandbox. */
public final class E2bProvider implements SandboxProvider {
    /** Marks cct's sandboxes, so that they can be listed by metadata (E2B filters by key=value only). */
    static final String MARKER_KEY = SandboxLabels.PREFIX + "tool";
    static final String MARKER_VALUE = "cct";
    /** Beyond the run's own deadline: the upload before it and the download after it. */
    static final Duration TRANSFER_MARGIN = Duration.ofMinutes(10);

    private final E2bConfig config;
    private final String template;
    private final EgressPolicy egress;
    private final Duration runTimeout;
    private final OkHttpClient rest;
    private final OkHttpClient streaming;
    private final OkHttpClient files;
    private final E2bApi api;

    /**
     * @param runTimeout the run's deadline: each sandbox lives that long plus {@link #TRANSFER_MARGIN}, so that E2B
     *                   ends it even if cct itself is killed
     */
    public E2bProvider(E2bSettings settings, Duration runTimeout) {
        this.config = settings.config();
        this.template = settings.template();
        this.egress = settings.egress();
        this.runTimeout = runTimeout;
        this.rest = new OkHttpClient.Builder().dispatcher(HttpCalls.dispatcher())
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60)).build();
        // A process stream is silent between keepalives: the read timeout must outlast the interval.
        this.streaming = rest.newBuilder().readTimeout(Duration.ofSeconds(Envd.KEEPALIVE_SECONDS + 30)).build();
        this.files = rest.newBuilder().readTimeout(Duration.ofMinutes(2)).writeTimeout(Duration.ofMinutes(2)).build();
        this.api = new E2bApi(new HttpCalls<>(rest, E2bRetries.REST, E2bRetries.POLICY),
                config.apiUrl(), config.apiKey());
    }

    /** Proves the key works before anything is created: a refused key fails the listing. */
    @Override
    public void prepare(Progress progress) throws SandboxException, InterruptedException {
        list();
    }

    @Override
    public Sandbox create(SandboxLabels labels, Progress progress) throws SandboxException, InterruptedException {
        Lifetime lifetime = new Lifetime(Instant.now().plus(runTimeout).plus(TRANSFER_MARGIN));
        Map<String, String> metadata = new LinkedHashMap<>(labels.asMap());
        metadata.put(MARKER_KEY, MARKER_VALUE);
        progress.start("Creating E2B sandbox (template " + template + ")");
        CreatedSandbox created = api.create(template, lifetime.firstStepSeconds(), metadata, egress);
        E2bSandbox sandbox = null;
        try {
            EnvdVersion version = Optional.ofNullable(EnvdVersion.parse(created.envdVersion())).orElse(EnvdVersion.OLDEST_SUPPORTED);
            Envd envd = new Envd(new HttpCalls<>(files, E2bRetries.ENVD, E2bRetries.POLICY), streaming,
                    config.envdUrl(created.id(), created.domain()), created.id(), created.envdAccessToken(), version);
            sandbox = new E2bSandbox(api, envd, created.id(), progress, lifetime);
            if (!version.atLeast(EnvdVersion.OLDEST_SUPPORTED)) {
                throw new SandboxException("template " + template + " runs envd " + version + ", older than "
                        + EnvdVersion.OLDEST_SUPPORTED + " which cct needs; rebuild the template");
            }
            lifetime.keep(api, created.id(), progress);
            sandbox.probe();
            progress.done("E2B sandbox " + created.id() + " ready");
            return sandbox;
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            // The sandbox exists from the moment create answered: never leave it running.
            try {
                if (sandbox != null) {
                    sandbox.close();
                } else {
                    lifetime.stop();
                    api.kill(created.id());
                }
            } catch (RuntimeException | SandboxException | InterruptedException ignored) {
                // 'cct sandboxes clean' finds it by its metadata.
            }
            throw e;
        }
    }

    @Override
    public List<SandboxInfo> list() throws SandboxException {
        try {
            List<SandboxInfo> result = new ArrayList<>();
            for (E2bApi.Listed listed : api.list(MARKER_KEY, MARKER_VALUE)) {
                SandboxLabels.from(listed.metadata()).ifPresent(labels -> result.add(
                        new SandboxInfo(listed.id(), "e2b", listed.state(), listed.startedAt(), labels)));
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while listing E2B sandboxes", e);
        }
    }

    @Override
    public void remove(String id) throws SandboxException {
        try {
            api.kill(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while killing E2B sandbox " + id, e);
        }
    }

    @Override
    public String toString() {
        return "E2bProvider[" + config + ", template=" + template + ", egress=" + egress.mode().flag() + "]";
    }
}
