package dev.cct.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A scripted fake of the Anthropic Messages API, good enough to drive the REAL Claude Code CLI
 * offline ({@code ANTHROPIC_BASE_URL=fake.baseUrl()}). JDK {@link HttpServer} on 127.0.0.1, an
 * ephemeral port. See /work/shared/protocols/claude-code.md.
 *
 * <ul>
 *   <li>{@code POST /v1/messages} (query string ignored): plays a {@link Turn} of the
 *       {@link Scenario} as a {@code text/event-stream} body with a Content-Length (message_start,
 *       content_block_start/delta/stop per block, message_delta with the stop_reason,
 *       message_stop), echoing the request's {@code model}.</li>
 *   <li>{@code HEAD /} and {@code GET /}: 200, empty. Anything else: 404 with an error body.</li>
 *   <li>If an expected key is configured, {@code x-api-key} (or {@code Authorization: Bearer}) must
 *       equal it, else 401 {@code authentication_error} "invalid x-api-key".</li>
 * </ul>
 *
 * <p><b>Working directory</b>: {@link Turn#CWD} in tool inputs is replaced with the directory the
 * CLI announces in the request. Observed with 2.1.331: the environment block is NOT in
 * {@code system} but in a {@code "role":"system"} entry of {@code messages}, as
 * {@code " - Primary working directory: /path"}; older versions wrote {@code "Working directory: /path"}
 * in the system prompt. Both forms are searched, in every text of {@code system} and
 * {@code messages}. If a turn needs it and none is found, the fake answers 500 api_error.
 *
 * <p><b>Routing</b> ({@link #route}): several conversations at once against one fake (as
 * {@code cct batch} runs them), each answered by its own {@link Scenario}. A request goes to the first
 * scenario whose marker occurs in a text of the conversation's FIRST user message, because that is the
 * prompt, which every later request of the same conversation repeats; later messages carry tool
 * results and the model's own words, which could name another conversation's marker. 2.1.331 may put
 * a {@code <system-reminder>} text block before the prompt in that message, so every text block of
 * it is searched. A request whose first user message names no marker goes to the fallback. Turn
 * indexing, delays and errors then work within the chosen scenario as they do with a single one.
 */
public final class FakeAnthropic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CWD_PATTERN =
            Pattern.compile("(?:Primary working directory|Working directory|working directory is):?\\s*(/[^\\s`'\"<>]*)");

    private final Map<String, Scenario> routes;
    private final Scenario fallback;
    private final Map<String, List<String>> routed = new ConcurrentHashMap<>();
    private final String expectedApiKey;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> cwds = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    private FakeAnthropic(Map<String, Scenario> routes, Scenario fallback, String expectedApiKey) throws IOException {
        this(routes, fallback, expectedApiKey, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private FakeAnthropic(Map<String, Scenario> routes, Scenario fallback, String expectedApiKey, InetSocketAddress address)
            throws IOException {
        this.routes = routes;
        this.fallback = fallback;
        routes.keySet().forEach(marker -> routed.put(marker, new CopyOnWriteArrayList<>()));
        this.expectedApiKey = expectedApiKey;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-anthropic");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(address, 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A fake on every interface of its host at {@code port}, for a container on a network a test made: the other
     * containers there reach it by the container's name. Answers 401 unless {@code expectedApiKey} comes with a call.
     */
    public static FakeAnthropic onAllInterfaces(Scenario scenario, String expectedApiKey, int port) {
        try {
            return new FakeAnthropic(Map.of(), scenario, expectedApiKey, new InetSocketAddress(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FakeAnthropic on port " + port, e);
        }
    }

    /** Starts a fake that accepts any API key. */
    public static FakeAnthropic start(Scenario scenario) {
        return start(scenario, null);
    }

    /** Starts a fake that answers 401 unless the request carries {@code expectedApiKey} (null = any). */
    public static FakeAnthropic start(Scenario scenario, String expectedApiKey) {
        return route(Map.of(), scenario, expectedApiKey);
    }

    /**
     * Starts a fake that accepts any API key and answers each conversation by the scenario its prompt
     * names (see the class comment). Markers are tried in the map's iteration order, so pass a
     * {@link LinkedHashMap} whenever one marker can occur inside another prompt's (e.g. "Task 1" in
     * "Task 10": put the longer one first).
     */
    public static FakeAnthropic route(Map<String, Scenario> byMarker, Scenario fallback) {
        return route(byMarker, fallback, null);
    }

    /** {@link #route(Map, Scenario)}, answering 401 unless the request carries {@code expectedApiKey} (null = any). */
    public static FakeAnthropic route(Map<String, Scenario> byMarker, Scenario fallback, String expectedApiKey) {
        Objects.requireNonNull(fallback, "fallback");
        Map<String, Scenario> routes = new LinkedHashMap<>();
        byMarker.forEach((marker, scenario) -> {
            if (marker == null || marker.isEmpty()) {
                // An empty marker would occur in every prompt and silently shadow the markers after it.
                throw new IllegalArgumentException("a marker cannot be null or empty");
            }
            routes.put(marker, Objects.requireNonNull(scenario, "scenario for " + marker));
        });
        try {
            return new FakeAnthropic(routes, fallback, expectedApiKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FakeAnthropic", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The raw bodies of the {@code POST /v1/messages} requests seen, in order. */
    public List<String> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /**
     * The raw bodies of the requests answered by {@code marker}'s scenario, in order. Requests refused
     * before routing (wrong key, not JSON) are only in {@link #requests()}.
     */
    public List<String> requestsFor(String marker) {
        List<String> bodies = routed.get(marker);
        if (bodies == null) {
            throw new IllegalArgumentException("no scenario is routed by marker '" + marker + "'; markers: " + routes.keySet());
        }
        return List.copyOf(bodies);
    }

    /** Every request seen as {@code "METHOD /path?query -> status"}, in order. */
    public List<String> requestLog() {
        return Collections.unmodifiableList(new ArrayList<>(log));
    }

    /** The working directories found in the {@code /v1/messages} requests, in order. */
    public List<String> workingDirectories() {
        return Collections.unmodifiableList(new ArrayList<>(cwds));
    }

    /** The scenario of {@link #start}, or the fallback of {@link #route}. */
    public Scenario scenario() {
        return fallback;
    }

    /** Stops the server at once; pending (delayed) answers are abandoned. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String line = method + " " + ex.getRequestURI();
        int status = 500;
        try {
            byte[] body = readBody(ex);
            if ("POST".equals(method) && ("/v1/messages".equals(path) || "/v1/messages/".equals(path))) {
                status = messages(ex, new String(body, StandardCharsets.UTF_8));
            } else if (("HEAD".equals(method) || "GET".equals(method)) && "/".equals(path)) {
                status = 200;
                ex.sendResponseHeaders(200, -1);
            } else {
                status = 404;
                sendJson(ex, 404, errorBody("not_found_error", "FakeAnthropic: no route for " + line));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        } catch (IOException | RuntimeException e) {
            status = -1;
            log.add(line + " -> failed: " + e);
            return;
        } finally {
            ex.close();
        }
        log.add(line + " -> " + status);
    }

    private int messages(HttpExchange ex, String body) throws IOException, InterruptedException {
        requests.add(body);
        if (expectedApiKey != null && !authorized(ex)) {
            return sendJson(ex, 401, errorBody("authentication_error", "invalid x-api-key"));
        }
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            return sendJson(ex, 400, errorBody("invalid_request_error", "FakeAnthropic: body is not JSON: " + e.getMessage()));
        }
        String marker = findMarker(req, routes.keySet());
        Scenario scenario = marker == null ? fallback : routes.get(marker);
        if (marker != null) {
            routed.get(marker).add(body);
        }
        String cwd = findWorkingDirectory(req);
        if (cwd != null) {
            cwds.add(cwd);
        }
        int index = countAssistantMessages(req);
        if (!scenario.delay().isZero() && index >= scenario.delayFromTurn()) {
            Thread.sleep(scenario.delay().toMillis());
        }
        if (scenario.isError()) {
            Scenario.ApiError e = scenario.error();
            return sendJson(ex, e.status(), errorBody(e.type(), e.message()));
        }
        Turn turn = index < scenario.turns().size() ? scenario.turns().get(index)
                : Turn.text("(FakeAnthropic: scenario has no turn " + index + ")");
        String model = req.path("model").asText("claude-fake");
        byte[] sse;
        try {
            sse = render(turn, model, cwd);
        } catch (IllegalStateException e) {
            return sendJson(ex, 500, errorBody("api_error", e.getMessage()));
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("request-id", "req_fake_" + ids.incrementAndGet());
        ex.sendResponseHeaders(200, sse.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(sse);
        }
        return 200;
    }

    private boolean authorized(HttpExchange ex) {
        String key = ex.getRequestHeaders().getFirst("x-api-key");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        return expectedApiKey.equals(key) || ("Bearer " + expectedApiKey).equals(auth);
    }

    /** The number of assistant messages already in the conversation = the index of the turn to play. */
    static int countAssistantMessages(JsonNode req) {
        int n = 0;
        for (JsonNode m : req.path("messages")) {
            if ("assistant".equals(m.path("role").asText())) {
                n++;
            }
        }
        return n;
    }

    /** The first of {@code markers} that occurs in a text of the request's first user message, or null. */
    static String findMarker(JsonNode req, Iterable<String> markers) {
        List<String> texts = new ArrayList<>();
        for (JsonNode m : req.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    texts.add(content.asText());
                } else {
                    for (JsonNode block : content) {
                        // Only text blocks: a tool_result or an image in the prompt is not what the user typed.
                        if ("text".equals(block.path("type").asText()) && block.path("text").isTextual()) {
                            texts.add(block.path("text").asText());
                        }
                    }
                }
                break;
            }
        }
        for (String marker : markers) {
            for (String t : texts) {
                if (t.contains(marker)) {
                    return marker;
                }
            }
        }
        return null;
    }

    /** The working directory the CLI announces in the request's system prompt or messages, or null. */
    static String findWorkingDirectory(JsonNode req) {
        List<String> texts = new ArrayList<>();
        collectTexts(req.path("system"), texts);
        collectTexts(req.path("messages"), texts);
        // The last one named: a resumed session's earlier messages name the folder it ran in before.
        String found = null;
        for (String t : texts) {
            Matcher m = CWD_PATTERN.matcher(t);
            while (m.find()) {
                String dir = m.group(1);
                while (dir.length() > 1 && (dir.endsWith(".") || dir.endsWith(",") || dir.endsWith("/"))) {
                    dir = dir.substring(0, dir.length() - 1);
                }
                found = dir;
            }
        }
        return found;
    }

    private static void collectTexts(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> collectTexts(n, out));
        } else if (node.isObject()) {
            if (node.has("text")) {
                collectTexts(node.get("text"), out);
            }
            if (node.has("content")) {
                collectTexts(node.get("content"), out);
            }
        }
    }

    private byte[] render(Turn turn, String model, String cwd) throws IOException {
        StringBuilder sb = new StringBuilder();
        int msg = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode()
                .put("id", "msg_fake_" + msg).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", 1)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        event(sb, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", message));

        int index = 0;
        if (!turn.message().isEmpty()) {
            ObjectNode block = JSON.createObjectNode().put("type", "text").put("text", "");
            blockStart(sb, index, block);
            ObjectNode delta = JSON.createObjectNode().put("type", "text_delta").put("text", turn.message());
            event(sb, "content_block_delta", JSON.createObjectNode()
                    .put("type", "content_block_delta").put("index", index).set("delta", delta));
            blockStop(sb, index);
            index++;
        }
        for (Turn.ToolUse tool : turn.tools()) {
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use")
                    .put("id", "toolu_fake_" + msg + "_" + index).put("name", tool.name());
            block.putObject("input");
            blockStart(sb, index, block);
            String input = JSON.writeValueAsString(substitute(tool.input(), cwd));
            // Split the input like the real API does: several input_json_delta fragments.
            for (int from = 0; from < input.length(); from += 128) {
                String part = input.substring(from, Math.min(input.length(), from + 128));
                ObjectNode delta = JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", part);
                event(sb, "content_block_delta", JSON.createObjectNode()
                        .put("type", "content_block_delta").put("index", index).set("delta", delta));
            }
            blockStop(sb, index);
            index++;
        }
        ObjectNode delta = JSON.createObjectNode().put("stop_reason", turn.isFinal() ? "end_turn" : "tool_use");
        delta.putNull("stop_sequence");
        ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
        md.set("delta", delta);
        md.putObject("usage").put("output_tokens", turn.outputTokens());
        event(sb, "message_delta", md);
        event(sb, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void blockStart(StringBuilder sb, int index, ObjectNode block) throws IOException {
        ObjectNode e = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        e.set("content_block", block);
        event(sb, "content_block_start", e);
    }

    private static void blockStop(StringBuilder sb, int index) throws IOException {
        event(sb, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    private static void event(StringBuilder sb, String name, JsonNode data) throws IOException {
        sb.append("event: ").append(name).append('\n')
                .append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    }

    /** Replaces {@link Turn#CWD} in every string of a tool input (recursively). */
    private static Object substitute(Object value, String cwd) {
        if (value instanceof String s) {
            if (!s.contains(Turn.CWD)) {
                return s;
            }
            if (cwd == null) {
                throw new IllegalStateException("FakeAnthropic: a tool input uses " + Turn.CWD
                        + " but the request names no working directory");
            }
            return s.replace(Turn.CWD, cwd);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), substitute(v, cwd)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(substitute(v, cwd)));
            return copy;
        }
        return value;
    }

    private static ObjectNode errorBody(String type, String message) {
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return root;
    }

    private static int sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("request-id", "req_fake_error");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (enc != null && enc.toLowerCase().contains("gzip")) {
            in = new GZIPInputStream(in);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
    }

    /** The {@code /v1/messages} request bodies parsed as JSON (a text node where parsing failed). */
    public List<JsonNode> requestsAsJson() {
        List<JsonNode> out = new ArrayList<>();
        for (String r : requests) {
            try {
                out.add(JSON.readTree(r));
            } catch (IOException e) {
                out.add(JSON.getNodeFactory().textNode(r));
            }
        }
        return out;
    }

    /** The tool_result blocks in a request's messages (what the CLI sent back after running tools). */
    public static List<JsonNode> toolResults(JsonNode request) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            JsonNode content = m.path("content");
            if (content instanceof ArrayNode arr) {
                for (JsonNode b : arr) {
                    if ("tool_result".equals(b.path("type").asText())) {
                        out.add(b);
                    }
                }
            }
        }
        return out;
    }
}
