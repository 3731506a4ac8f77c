package dev.cct.testing.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cct.archive.SafeExtractor;
import dev.cct.archive.TarWriter;
import dev.cct.sandbox.EgressPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A Java stand-in for cct's Cloudflare Worker that speaks its HTTP contract (components/sandbox/cloudflare/CONTRACT.md)
 * and EXECUTES commands for real, each sandbox being a folder under {@code root} with its home at
 * {@code <sandbox>/home/user}. It lets the real Claude Code CLI run behind the real cct client without Cloudflare.
 *
 * <p>Commands run as the user running the tests, with {@code IS_SANDBOX=1} set: tests often run as root (CI
 * containers), where Claude Code refuses {@code --dangerously-skip-permissions} without it; a real Cloudflare
 * container runs as root too, and there cct sets the same variable.
 *
 * <p>Faults ({@link #faults()}) cut, end or stall event streams while the command keeps running, and refuse
 * calls, so that the client's re-attach and retry rules can be proved.
 */
public final class FakeWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The Worker's check of a host (src/http.ts): a name, or "*." and a name. */
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Path root;
    private final String token;
    private final Map<String, FakeSandbox> sandboxes = new ConcurrentHashMap<>();
    private final Faults faults = new Faults();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile List<Path> path = List.of();
    private volatile Duration heartbeat = Duration.ofSeconds(20);
    private volatile boolean closed;

    private FakeWorker(Path root, String token) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.token = token;
        Files.createDirectories(this.root);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-worker-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the fake on 127.0.0.1 and an ephemeral port; {@code token} null or empty = not configured (503). */
    public static FakeWorker start(Path root, String token) throws IOException {
        return new FakeWorker(root, token);
    }

    /** Folders put first on the PATH of every command (where the real claude binary lives, say). */
    public FakeWorker withPath(List<Path> folders) {
        this.path = List.copyOf(folders);
        return this;
    }

    /** How long an idle stream waits before a heartbeat (20 s, like the Worker). */
    public FakeWorker withHeartbeat(Duration interval) {
        this.heartbeat = interval;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Faults faults() {
        return faults;
    }

    /** Sandboxes created and not yet deleted. */
    public List<String> liveSandboxIds() {
        return List.copyOf(sandboxes.keySet());
    }

    /** The egress policy a live sandbox was created with, as the Worker would have applied it; open when none was sent. */
    public EgressPolicy egress(String sandboxId) {
        return sandboxes.get(sandboxId).egress;
    }

    /** The home folder of a live sandbox, for tests that look inside. */
    public Path home(String sandboxId) {
        return sandboxes.get(sandboxId).home;
    }

    /** Every request seen so far, as "METHOD /path" (no query), in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Creates a sandbox directly, as another cct run would have (for list and clean tests). */
    public String createSandbox(Map<String, String> labels) throws IOException {
        return createSandbox(labels, EgressPolicy.OPEN);
    }

    private String createSandbox(Map<String, String> labels, EgressPolicy egress) throws IOException {
        String id = "sbx-" + randomHex(8);
        sandboxes.put(id, new FakeSandbox(id, labels, root.resolve(id), egress));
        return id;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        sandboxes.values().forEach(FakeSandbox::destroy);
        sandboxes.clear();
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        String requestPath = exchange.getRequestURI().getRawPath().replaceAll("/+$", "");
        requests.add(method + " " + (requestPath.isEmpty() ? "/" : requestPath));
        boolean cut = false;
        try {
            route(exchange, method, requestPath.isEmpty() ? "/" : requestPath, query(exchange));
        } catch (Refusal r) {
            if (exchange.getResponseCode() < 0) {
                error(exchange, r.status, r.code, r.getMessage());
            }
        } catch (AbruptCut e) {
            // Propagating it makes the HTTP server drop the connection without ending the chunked body.
            cut = true;
            throw e;
        } catch (RuntimeException | IOException e) {
            if (exchange.getResponseCode() < 0) {
                error(exchange, 500, "internal", String.valueOf(e));
            }
        } finally {
            if (!cut) {
                exchange.close();
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path, Map<String, String> query) throws IOException {
        if (path.equals("/health")) {
            json(exchange, 200, JSON.createObjectNode().put("ok", true).put("version", "fake").put("sdk", "fake"));
            return;
        }
        if (!path.startsWith("/v1/")) {
            throw new Refusal(404, "not_found", "no route for " + method + " " + path);
        }
        if (token == null || token.isEmpty()) {
            throw new Refusal(503, "not_configured", "the Worker has no CLOUDFLARE_SANDBOX_TOKEN secret");
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] given = auth == null || !auth.startsWith("Bearer ") ? new byte[0] : auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
            throw new Refusal(401, "unauthorized", "missing or wrong bearer token");
        }
        String[] seg = path.substring("/v1/".length()).split("/");
        boolean stream = seg.length >= 3 && seg[2].equals("exec") && (seg.length == 3 || seg.length == 5);
        Integer refusal = stream ? null : faults.nextRefusal(method);
        if (refusal != null) {
            throw new Refusal(refusal, refusal >= 500 ? "unavailable" : "bad_request", "injected fault");
        }
        if (!seg[0].equals("sandboxes")) {
            throw new Refusal(404, "not_found", "no route for " + method + " " + path);
        }
        if (seg.length == 1) {
            if (method.equals("POST")) {
                create(exchange);
            } else if (method.equals("GET")) {
                list(exchange);
            } else {
                throw new Refusal(404, "not_found", "no route");
            }
            return;
        }
        String id = seg[1];
        if (seg.length == 2 && method.equals("DELETE")) {
            FakeSandbox gone = sandboxes.remove(id);
            if (gone != null) {
                gone.destroy();
            }
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        FakeSandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new Refusal(404, "not_found", "sandbox not found");
        }
        if (seg.length == 3 && seg[2].equals("archive") && method.equals("PUT")) {
            Path dest = inside(sandbox, query.get("dest"), "dest");
            SafeExtractor.extract(exchange.getRequestBody(), dest, relative -> false);
            exchange.sendResponseHeaders(204, -1);
        } else if (seg.length == 3 && seg[2].equals("archive") && method.equals("GET")) {
            download(exchange, sandbox, inside(sandbox, query.get("path"), "path"), query.getOrDefault("exclude", ""));
        } else if (seg.length == 3 && seg[2].equals("exec") && method.equals("POST")) {
            FakeExec exec = startExec(sandbox, JSON.readTree(exchange.getRequestBody()));
            streamEvents(exchange, exec, 0, true);
        } else if (seg.length >= 4 && seg[2].equals("exec")) {
            FakeExec exec = sandbox.execs.get(seg[3]);
            if (exec == null) {
                throw new Refusal(404, "not_found", "exec not found");
            }
            if (seg.length == 4 && method.equals("GET")) {
                ObjectNode status = JSON.createObjectNode().put("execId", exec.id).put("running", exec.running());
                if (exec.exitCode() == null) {
                    status.putNull("exitCode");
                } else {
                    status.put("exitCode", exec.exitCode());
                }
                json(exchange, 200, status);
            } else if (seg.length == 5 && seg[4].equals("events") && method.equals("GET")) {
                String after = query.getOrDefault("after", exchange.getRequestHeaders().getFirst("Last-Event-ID"));
                if (after == null || after.isBlank()) {
                    streamEvents(exchange, exec, 0, true);
                } else if (after.strip().matches("\\d{1,15}")) {
                    streamEvents(exchange, exec, Long.parseLong(after.strip()), false);
                } else {
                    throw new Refusal(400, "bad_request", "after must be a non-negative integer");
                }
            } else {
                throw new Refusal(404, "not_found", "no route");
            }
        } else {
            throw new Refusal(404, "not_found", "no route for " + method + " " + path);
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        Map<String, String> labels = new LinkedHashMap<>();
        if (body != null) {
            body.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        EgressPolicy egress = egress(body == null ? null : body.get("egress"));
        String id = createSandbox(labels, egress);
        String home = sandboxes.get(id).home.toString();
        ObjectNode created = JSON.createObjectNode().put("id", id).put("home", home)
                .put("user", System.getProperty("user.name")).put("workspaceRoot", home);
        ObjectNode echoed = created.putObject("egress").put("mode", egress.mode().flag());
        egress.hosts().forEach(echoed.putArray("hosts")::add);
        json(exchange, 201, created);
    }

    /** The Worker's rules and messages for the create body's {@code egress} (src/http.ts, parseEgress). */
    private static EgressPolicy egress(JsonNode node) {
        if (node == null || node.isNull()) {
            return EgressPolicy.OPEN;
        }
        if (!node.isObject()) {
            throw new Refusal(400, "bad_request", "egress must be an object {\"mode\":...,\"hosts\":[...]}");
        }
        JsonNode mode = node.get("mode");
        EgressPolicy.Mode parsed = null;
        for (EgressPolicy.Mode m : EgressPolicy.Mode.values()) {
            if (mode != null && mode.isTextual() && m.flag().equals(mode.textValue())) {
                parsed = m;
            }
        }
        if (parsed == null) {
            throw new Refusal(400, "bad_request", "egress.mode must be \"open\", \"allowlist\" or \"none\"");
        }
        JsonNode raw = node.get("hosts");
        if (raw != null && !raw.isNull() && !raw.isArray()) {
            throw new Refusal(400, "bad_request", "egress.hosts must be an array of strings");
        }
        if (raw != null && raw.size() > 500) {
            throw new Refusal(400, "bad_request", "egress.hosts has more than 500 entries");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (int i = 0; raw != null && i < raw.size(); i++) {
            if (!raw.get(i).isTextual()) {
                throw new Refusal(400, "bad_request", "egress.hosts[" + i + "] must be a string");
            }
            String host = raw.get(i).textValue().strip().toLowerCase(Locale.ROOT);
            if (host.length() > 253 || !HOST.matcher(host).matches()) {
                String given = raw.get(i).textValue();
                throw new Refusal(400, "bad_request", "egress.hosts[" + i + "]: \"" + given.substring(0, Math.min(100, given.length()))
                        + "\" is not a host name or *.domain pattern (no scheme, port or path)");
            }
            hosts.add(host);
        }
        if (parsed == EgressPolicy.Mode.OPEN) {
            if (!hosts.isEmpty()) {
                throw new Refusal(400, "bad_request", "egress.hosts needs mode \"allowlist\" or \"none\"");
            }
            return EgressPolicy.OPEN;
        }
        if (hosts.isEmpty()) {
            throw new Refusal(400, "bad_request", "egress mode \"" + parsed.flag() + "\" needs at least one host (Claude's API host)");
        }
        return new EgressPolicy(parsed, List.copyOf(hosts));
    }

    private void list(HttpExchange exchange) throws IOException {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode array = result.putArray("sandboxes");
        for (FakeSandbox sandbox : sandboxes.values()) {
            ObjectNode item = array.addObject().put("id", sandbox.id).put("createdAt", sandbox.createdAt.toString());
            ObjectNode labels = item.putObject("labels");
            sandbox.labels.forEach(labels::put);
        }
        json(exchange, 200, result);
    }

    private FakeExec startExec(FakeSandbox sandbox, JsonNode request) {
        List<String> argv = new ArrayList<>();
        request.path("argv").forEach(a -> argv.add(a.asText()));
        if (argv.isEmpty()) {
            throw new Refusal(400, "bad_request", "argv must be a non-empty array of strings");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        StringBuilder searchPath = new StringBuilder();
        path.forEach(p -> searchPath.append(p).append(':'));
        environment.put("PATH", searchPath + "/usr/local/bin:/usr/bin:/bin");
        environment.put("HOME", sandbox.home.toString());
        environment.put("IS_SANDBOX", "1");
        environment.put("LANG", "C.UTF-8");
        request.path("env").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
        Path cwd = Path.of(request.path("cwd").asText(sandbox.home.toString()));
        Long timeoutMs = request.path("timeoutMs").canConvertToLong() ? request.get("timeoutMs").longValue() : null;
        FakeExec exec = new FakeExec("exec-" + randomHex(8));
        sandbox.execs.put(exec.id, exec);
        exec.start(argv, environment, cwd, timeoutMs);
        return exec;
    }

    /** Writes the exec's events with seq > after (and first its start event), then follows live ones. */
    private void streamEvents(HttpExchange exchange, FakeExec exec, long after, boolean withStart) throws IOException {
        Faults.Planned fault = faults.nextStreamFault();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int written = 0;
        long seq = after;
        try {
            if (withStart) {
                write(out, 0, "start", JSON.createObjectNode().put("execId", exec.id).put("pid", exec.pid()));
                written++;
            }
            while (!closed) {
                if (fault != null && written >= fault.afterEvents()) {
                    injected(fault, out);
                    return;
                }
                FakeExec.Event event = exec.next(seq, heartbeat.toMillis());
                if (event == null) {
                    write(out, seq, "heartbeat", JSON.createObjectNode());
                    continue;
                }
                seq = event.seq();
                write(out, seq, event.type(), data(event));
                written++;
                if (event.last()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void injected(Faults.Planned fault, OutputStream out) throws IOException, InterruptedException {
        switch (fault.fault()) {
            case CUT -> {
                out.write("id: 99999\nevent: std".getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new AbruptCut();
            }
            case END -> {
                // Returning closes the exchange: a clean end of the body, with no exit event.
            }
            case STALL -> {
                long end = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
                while (!closed && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
            }
        }
    }

    private static ObjectNode data(FakeExec.Event event) {
        ObjectNode data = JSON.createObjectNode().put("seq", event.seq());
        switch (event.type()) {
            case "stdout", "stderr" -> data.put("data", Base64.getEncoder().encodeToString(event.data()));
            case "exit" -> data.put("exitCode", event.exitCode());
            default -> data.put("code", event.code()).put("message", event.message());
        }
        return data;
    }

    private static void write(OutputStream out, long id, String event, JsonNode data) throws IOException {
        out.write(("id: " + id + "\nevent: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void download(HttpExchange exchange, FakeSandbox sandbox, Path dir, String exclude) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new Refusal(404, "not_found", "path not found in the sandbox");
        }
        List<String> names = exclude.isBlank() ? List.of() : List.of(exclude.split(","));
        exchange.getResponseHeaders().set("Content-Type", "application/x-tar");
        exchange.sendResponseHeaders(200, 0);
        try (TarWriter tar = new TarWriter(exchange.getResponseBody())) {
            tar.addTree(dir, "", relative -> {
                for (String segment : relative.split("/")) {
                    if (names.contains(segment)) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    private static Path inside(FakeSandbox sandbox, String value, String name) {
        if (value == null || !value.startsWith("/")) {
            throw new Refusal(400, "bad_request", name + " must be an absolute path");
        }
        Path path = Path.of(value).normalize();
        if (!sandbox.contains(path)) {
            throw new Refusal(400, "bad_request", name + " is outside the sandbox");
        }
        return path;
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, JSON.createObjectNode().put("code", code).put("message", message));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> result = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                result.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A contract error answered as {@code {"code","message"}}. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** Thrown through the HTTP server on purpose: it then drops the connection mid-body. */
    private static final class AbruptCut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbruptCut() {
            super("injected cut", null, false, false);
        }
    }
}
