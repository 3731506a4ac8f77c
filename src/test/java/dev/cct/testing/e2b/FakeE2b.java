package dev.cct.testing.e2b;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An offline, protocol-faithful E2B: the REST control plane and envd (Connect RPC and
 * {@code /files}) on one loopback port, envd requests told apart by their {@code E2b-Sandbox-Id}
 * header, as E2B's proxy does for a shared sandbox host. Commands run for real on this machine, each
 * sandbox in its own folder, which plays the sandbox's {@code /}.
 *
 * <p>Point a client at it with {@code E2B_API_URL} and {@code E2B_SANDBOX_URL} both set to
 * {@link #apiUrl()}. Ended sandboxes (killed or expired) are gone for both planes, but their folders
 * stay until {@link #close()} so tests can inspect what was left behind.
 */
public final class FakeE2b implements AutoCloseable {

    /** The template whose processes get {@link #withPath} directories first on PATH. */
    public static final String CLAUDE_TEMPLATE = "claude";
    private volatile long latencyMillis;
    static final String ENVD_VERSION = "0.6.13";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final long REAPER_PERIOD_MS = 100;

    private final Path root;
    private final HttpLite http;
    private final Faults faults = new Faults(this);
    private final ControlPlane controlPlane;
    private final EnvdProcesses processes = new EnvdProcesses(faults);
    private final Map<String, FakeSandbox> sandboxes = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService reaper;
    private volatile List<Path> claudePath = List.of();

    private FakeE2b(Path root, String apiKey, int port) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath();
        this.controlPlane = new ControlPlane(this, apiKey, faults);
        this.http = new HttpLite(port, this::handle);
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-e2b-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reap, REAPER_PERIOD_MS, REAPER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts the fake on an ephemeral loopback port; sandbox folders go under {@code root}. */
    public static FakeE2b start(Path root, String apiKey) throws IOException {
        return start(root, apiKey, 0);
    }

    /** Starts the fake on the given loopback port (0 = ephemeral). */
    public static FakeE2b start(Path root, String apiKey, int port) throws IOException {
        return new FakeE2b(root, apiKey, port);
    }

    /**
     * Directories put first on PATH for every process of sandboxes created from now on from the
     * {@value #CLAUDE_TEMPLATE} template (as its image would have them); other templates get none.
     */
    /**
     * Answers every request {@code latency} later, like a service across the internet: for benchmarks that compare
     * one transfer with one request per file, where round trips are what the difference is made of.
     */
    public FakeE2b withLatency(java.time.Duration latency) {
        this.latencyMillis = latency.toMillis();
        return this;
    }

    public FakeE2b withPath(List<Path> dirs) {
        this.claudePath = List.copyOf(dirs);
        return this;
    }

    /** {@link #withPath(List)} with varargs. */
    public FakeE2b pathPrefix(Path... dirs) {
        return withPath(List.of(dirs));
    }

    /** The control plane's base URL, for {@code E2B_API_URL}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    /** envd's base URL, for {@code E2B_SANDBOX_URL}; the same port, routed by header. */
    public String sandboxUrl() {
        return apiUrl();
    }

    public Faults faults() {
        return faults;
    }

    /** The ids of sandboxes neither killed nor expired. */
    public Set<String> liveSandboxIds() {
        Set<String> ids = new LinkedHashSet<>();
        liveSandboxes().forEach(s -> ids.add(s.id));
        return ids;
    }

    /** The host folder playing a sandbox's {@code /}, also for ended sandboxes until {@link #close()}. */
    public Optional<Path> sandboxDir(String id) {
        return Optional.ofNullable(sandboxes.get(id)).map(s -> s.dir);
    }

    /**
     * A sandbox as it was created, also after it ended, for tests that check what a client asked for.
     *
     * @throws IllegalArgumentException when the fake never created it
     */
    public FakeSandbox sandbox(String id) {
        FakeSandbox s = sandboxes.get(id);
        if (s == null) {
            throw new IllegalArgumentException("the fake E2B has no sandbox " + id + " (it has " + sandboxes.keySet() + ")");
        }
        return s;
    }

    /** Every request received so far, as {@code "METHOD /path"} (no query), in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Kills every process, closes every connection and deletes the sandbox folders. */
    @Override
    public void close() {
        reaper.shutdownNow();
        sandboxes.values().forEach(FakeSandbox::terminate);
        http.close();
        sandboxes.values().forEach(FakeSandbox::deleteFolder);
        sandboxes.clear();
    }

    // ---- used by the protocol classes ----

    FakeSandbox createSandbox(String template, Map<String, String> metadata, Map<String, String> envVars,
                              FakeSandbox.Network network, Instant endAt) throws IOException {
        String id = newId();
        List<Path> path = template.equals(CLAUDE_TEMPLATE) ? claudePath : List.of();
        FakeSandbox s = new FakeSandbox(id, template, HexFormat.of().formatHex(randomBytes(16)), metadata, envVars,
                network, endAt, root.resolve(id), path);
        sandboxes.put(id, s);
        return s;
    }

    /** A sandbox that has neither been killed nor reached its endAt, or null. */
    FakeSandbox liveSandbox(String id) {
        FakeSandbox s = id == null ? null : sandboxes.get(id);
        return s != null && s.alive(Instant.now()) ? s : null;
    }

    List<FakeSandbox> liveSandboxes() {
        Instant now = Instant.now();
        List<FakeSandbox> live = new ArrayList<>();
        sandboxes.values().forEach(s -> {
            if (s.alive(now)) {
                live.add(s);
            }
        });
        return live;
    }

    void forceEndAt(String id, Duration in) {
        FakeSandbox s = sandboxes.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no sandbox " + id);
        }
        s.endAt = Instant.now().plus(in);
    }

    // ---- request routing ----

    private void handle(HttpLite.Request request, HttpLite.Exchange exchange) throws IOException {
        requests.add(request.method + " " + request.path);
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while delaying a response");
            }
        }
        String sandboxId = request.header("e2b-sandbox-id");
        if (sandboxId == null) {
            controlPlane.handle(request, exchange);
        } else {
            envd(sandboxId, request, exchange);
        }
    }

    private void envd(String sandboxId, HttpLite.Request request, HttpLite.Exchange exchange) throws IOException {
        FakeSandbox sandbox = liveSandbox(sandboxId);
        if (sandbox == null) {
            // E2B's edge proxy answers for a sandbox that is gone, on every envd path.
            sendJson(exchange, 502, "{\"sandboxId\":\"" + sandboxId + "\",\"message\":\"The sandbox was not found\",\"code\":502}");
            return;
        }
        String path = request.path;
        if (path.equals("/health")) {
            exchange.send(204, Map.of(), new byte[0]);
            return;
        }
        if (!sandbox.accessToken.equals(request.header("x-access-token"))) {
            sendJson(exchange, 401, FakeJson.restError(401,
                    "unauthorized access, please provide a valid access token or method signing if supported"));
            return;
        }
        if (path.equals("/files")) {
            EnvdFiles.files(sandbox, request, exchange);
        } else if (path.startsWith("/process.Process/")) {
            processes.handle(path.substring("/process.Process/".length()), sandbox, user(request), request, exchange);
        } else if (path.startsWith("/filesystem.Filesystem/")) {
            EnvdFiles.rpc(path.substring("/filesystem.Filesystem/".length()), sandbox, user(request), request, exchange);
        } else {
            sendJson(exchange, 404, FakeJson.restError(404, "no envd route for " + request.method + " " + path));
        }
    }

    /** The user of an RPC call: {@code Authorization: Basic base64("name:")}, default {@code user}. */
    private static String user(HttpLite.Request request) {
        String auth = request.header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "user";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            String name = decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
            return name.isEmpty() ? "user" : name;
        } catch (IllegalArgumentException e) {
            return "user";
        }
    }

    private static void sendJson(HttpLite.Exchange exchange, int status, String json) throws IOException {
        exchange.send(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    private void reap() {
        Instant now = Instant.now();
        for (FakeSandbox s : sandboxes.values()) {
            if (!s.gone() && !s.alive(now)) {
                s.terminate();
            }
        }
    }

    private static String newId() {
        StringBuilder id = new StringBuilder("i");
        for (int i = 0; i < 20; i++) {
            id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
