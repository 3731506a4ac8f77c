package dev.cct.testing.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The REST control plane of the fake: create, get, list, timeouts, connect and kill. */
final class ControlPlane {

    /** The legacy clientID every sandbox reports. */
    private static final String CLIENT_ID = "6532622b";
    /** The server's default when a create request has no timeout. */
    private static final long DEFAULT_TIMEOUT_SECONDS = 15;
    /** The Pro plan's maximum lifetime. */
    private static final long MAX_TIMEOUT_SECONDS = 24 * 3600;
    private static final int DEFAULT_PAGE = 100;
    private static final Pattern SANDBOX = Pattern.compile("/(?:v2/)?sandboxes/([^/]+)(/[a-z]+)?");

    private final FakeE2b fake;
    private final String apiKey;
    private final Faults faults;

    ControlPlane(FakeE2b fake, String apiKey, Faults faults) {
        this.fake = fake;
        this.apiKey = apiKey;
        this.faults = faults;
    }

    /** A failed call: the status and the message of the {@code {"code":N,"message":...}} body. */
    private static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    void handle(HttpLite.Request request, HttpLite.Exchange exchange) throws IOException {
        try {
            if (!apiKey.equals(request.header("x-api-key"))) {
                throw new ApiError(401, "Invalid API key, it must start with 'e2b_' prefix and be a valid key");
            }
            int[] fault = faults.takeRestFault();
            if (fault != null) {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                if (fault[1] >= 0) {
                    headers.put("Retry-After", Integer.toString(fault[1]));
                }
                String message = fault[0] == 429 ? "Rate limit exceeded (injected by the fake)"
                        : "Service unavailable (injected by the fake)";
                exchange.send(fault[0], headers, FakeJson.restError(fault[0], message).getBytes(StandardCharsets.UTF_8));
                return;
            }
            route(request, exchange);
        } catch (ApiError e) {
            exchange.send(e.status, Map.of("Content-Type", "application/json"),
                    FakeJson.restError(e.status, e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void route(HttpLite.Request request, HttpLite.Exchange exchange) throws IOException, ApiError {
        String method = request.method;
        String path = request.path;
        if (method.equals("POST") && (path.equals("/v2/sandboxes") || path.equals("/sandboxes"))) {
            json(exchange, 201, create(body(request)));
            return;
        }
        if (method.equals("GET") && (path.equals("/v2/sandboxes") || path.equals("/sandboxes"))) {
            list(request, exchange, path.startsWith("/v2/"));
            return;
        }
        Matcher m = SANDBOX.matcher(path);
        if (!m.matches()) {
            throw new ApiError(404, "no route for " + method + " " + path);
        }
        FakeSandbox sandbox = fake.liveSandbox(m.group(1));
        if (sandbox == null) {
            throw new ApiError(404, "sandbox \"" + m.group(1) + "\" doesn't exist or you don't have access to it");
        }
        String action = m.group(2) == null ? "" : m.group(2);
        switch (method + " " + action) {
            case "GET ":
                json(exchange, 200, detail(sandbox));
                return;
            case "DELETE ":
                sandbox.terminate();
                exchange.send(204, Map.of(), new byte[0]);
                return;
            case "POST /timeout":
                sandbox.endAt = Instant.now().plusSeconds(lifetime(body(request).path("timeout"), false));
                exchange.send(204, Map.of(), new byte[0]);
                return;
            case "POST /refreshes":
                extend(sandbox, lifetime(body(request).path("duration"), true));
                exchange.send(204, Map.of(), new byte[0]);
                return;
            case "POST /connect":
                JsonNode timeout = body(request).path("timeout");
                if (!timeout.isMissingNode() && !timeout.isNull()) {
                    extend(sandbox, lifetime(timeout, false));
                }
                json(exchange, 200, created(sandbox));
                return;
            default:
                // Not 404: the SDK would read that as "sandbox not found".
                throw new ApiError(501, method + " " + path + " is not implemented by the fake");
        }
    }

    private ObjectNode create(JsonNode body) throws IOException, ApiError {
        String template = body.path("templateID").asText("");
        if (template.isEmpty()) {
            throw new ApiError(400, "templateID is required");
        }
        JsonNode timeout = body.path("timeout");
        long seconds = timeout.isMissingNode() || timeout.isNull() ? DEFAULT_TIMEOUT_SECONDS : lifetime(timeout, false);
        JsonNode internet = body.path("allow_internet_access");
        FakeSandbox.Network network = network(body.path("network"),
                internet.isBoolean() ? internet.asBoolean() : null);
        FakeSandbox sandbox;
        // The check and the creation together, so that creates at the same moment cannot both pass the limit.
        synchronized (faults) {
            if (faults.overConcurrencyLimit(fake.liveSandboxIds().size())) {
                throw new ApiError(429, "You have reached the maximum number of concurrent E2B sandboxes ("
                        + faults.concurrencyLimit() + "). If you need more, please contact us");
            }
            sandbox = fake.createSandbox(template, FakeJson.stringMap(body.get("metadata")),
                    FakeJson.stringMap(body.get("envVars")), network, Instant.now().plusSeconds(seconds));
        }
        return created(sandbox);
    }

    /**
     * {@code SandboxNetworkConfig}'s egress lists, checked as the API's schema validation checks a body: an absent or
     * null field is unset, anything but an array of strings is a 400 naming the field. Entries are kept as given.
     */
    private static FakeSandbox.Network network(JsonNode network, Boolean allowInternetAccess) throws ApiError {
        if (network.isMissingNode() || network.isNull()) {
            return new FakeSandbox.Network(allowInternetAccess, null, null);
        }
        if (!network.isObject()) {
            throw schemaError("/network", "value must be an object");
        }
        return new FakeSandbox.Network(allowInternetAccess, strings(network, "allowOut"), strings(network, "denyOut"));
    }

    private static List<String> strings(JsonNode network, String field) throws ApiError {
        JsonNode list = network.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw schemaError("/network/" + field, "value must be an array");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
                throw schemaError("/network/" + field + "/" + i, "value must be a string");
            }
            out.add(list.get(i).asText());
        }
        return out;
    }

    /**
     * A request validation error after the OpenAPI validator's manner: the JSON pointer of the bad value, then why.
     * Clients must not depend on the text, only on the 400.
     */
    private static ApiError schemaError(String pointer, String reason) {
        return new ApiError(400, "request body has an error: doesn't match schema: Error at \"" + pointer + "\": " + reason);
    }

    private static long lifetime(JsonNode seconds, boolean zeroAllowed) throws ApiError {
        long s = seconds.asLong(-1);
        if (!seconds.isIntegralNumber() || s < 0 || (s == 0 && !zeroAllowed)) {
            throw new ApiError(400, "timeout must be a positive number of seconds, got " + seconds);
        }
        if (s > MAX_TIMEOUT_SECONDS) {
            throw new ApiError(400, "Max instance length exceeded: " + MAX_TIMEOUT_SECONDS + " seconds");
        }
        return s;
    }

    /** Refresh and connect only ever lengthen a sandbox's life. */
    private static void extend(FakeSandbox sandbox, long seconds) {
        Instant wanted = Instant.now().plusSeconds(seconds);
        if (wanted.isAfter(sandbox.endAt)) {
            sandbox.endAt = wanted;
        }
    }

    /** The create/connect answer: {@code Sandbox}. */
    private static ObjectNode created(FakeSandbox s) {
        ObjectNode n = FakeJson.object();
        n.put("templateID", s.templateId);
        n.put("sandboxID", s.id);
        n.put("alias", s.templateId);
        n.put("clientID", CLIENT_ID);
        n.put("envdVersion", FakeE2b.ENVD_VERSION);
        n.put("envdAccessToken", s.accessToken);
        n.putNull("trafficAccessToken");
        n.putNull("domain");
        return n;
    }

    /** {@code ListedSandbox}; the detail adds the token, the domain and the egress settings, which a listing lacks. */
    private static ObjectNode listed(FakeSandbox s) {
        ObjectNode n = FakeJson.object();
        n.put("templateID", s.templateId);
        n.put("alias", s.templateId);
        n.put("sandboxID", s.id);
        n.put("clientID", CLIENT_ID);
        n.put("startedAt", s.startedAt.toString());
        n.put("endAt", s.endAt.toString());
        n.put("cpuCount", 2);
        n.put("memoryMB", 512);
        n.put("diskSizeMB", 10240);
        n.set("metadata", FakeJson.MAPPER.valueToTree(s.metadata));
        n.put("state", "running");
        n.put("envdVersion", FakeE2b.ENVD_VERSION);
        n.putArray("volumeMounts");
        return n;
    }

    private static ObjectNode detail(FakeSandbox s) {
        ObjectNode n = listed(s);
        n.put("envdAccessToken", s.accessToken);
        if (s.allowInternetAccess() != null) {
            n.put("allowInternetAccess", s.allowInternetAccess());
        }
        if (s.network.hasRules()) {
            ObjectNode network = n.putObject("network");
            if (s.allowOut() != null) {
                s.allowOut().forEach(network.putArray("allowOut")::add);
            }
            if (s.denyOut() != null) {
                s.denyOut().forEach(network.putArray("denyOut")::add);
            }
        }
        n.putNull("domain");
        return n;
    }

    /**
     * {@code GET /v2/sandboxes}: filtered by state and metadata ({@code k=v&k2=v2}, each key and
     * value URI-encoded once more inside the parameter), ordered by start time, paged through
     * {@code limit} and the {@code X-Next-Token} header. The v1 list is the same without paging.
     */
    private void list(HttpLite.Request request, HttpLite.Exchange exchange, boolean paged) throws IOException, ApiError {
        Map<String, String> wanted = metadataFilter(request.query("metadata"));
        Set<String> states = request.query("state") == null ? Set.of("running", "paused")
                : Arrays.stream(request.query("state").split(",")).map(String::trim).collect(Collectors.toSet());
        List<FakeSandbox> matching = new ArrayList<>();
        for (FakeSandbox s : fake.liveSandboxes()) {
            if (states.contains("running") && s.metadata.entrySet().containsAll(wanted.entrySet())) {
                matching.add(s);
            }
        }
        matching.sort(Comparator.comparing((FakeSandbox s) -> s.startedAt).thenComparing(s -> s.id));
        int from = 0;
        int limit = matching.size();
        if (paged) {
            limit = request.query("limit") == null ? DEFAULT_PAGE : parsePositive(request.query("limit"));
            String token = request.query("nextToken");
            if (token != null && !token.isEmpty()) {
                from = decodeToken(token);
            }
        }
        int to = Math.min(matching.size(), from + limit);
        ArrayNode page = FakeJson.MAPPER.createArrayNode();
        matching.subList(Math.min(from, to), to).forEach(s -> page.add(listed(s)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (paged && to < matching.size()) {
            headers.put("X-Next-Token", Base64.getUrlEncoder().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
        }
        exchange.send(200, headers, FakeJson.write(page).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> metadataFilter(String param) {
        Map<String, String> out = new LinkedHashMap<>();
        if (param == null || param.isEmpty()) {
            return out;
        }
        for (String pair : param.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(decodeTwice(pair.substring(0, eq)), decodeTwice(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    /** The SDK's encoding; a client that encodes only once still works for values without '%'. */
    private static String decodeTwice(String s) {
        String once = HttpLite.Request.decode(s);
        try {
            return HttpLite.Request.decode(once);
        } catch (IllegalArgumentException e) {
            return once;
        }
    }

    private static int parsePositive(String s) throws ApiError {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(400, "limit must be a positive integer, got " + s);
    }

    private static int decodeToken(String token) throws ApiError {
        try {
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "invalid nextToken");
        }
    }

    private static JsonNode body(HttpLite.Request request) throws IOException, ApiError {
        byte[] bytes = request.bodyBytes();
        if (bytes.length == 0) {
            return FakeJson.object();
        }
        try {
            return FakeJson.parse(bytes);
        } catch (IOException e) {
            throw new ApiError(400, "request body is not JSON: " + e.getMessage());
        }
    }

    private static void json(HttpLite.Exchange exchange, int status, JsonNode body) throws IOException {
        exchange.send(status, Map.of("Content-Type", "application/json"), FakeJson.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
