package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.NotSentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** E2B's REST control plane: create, inspect, extend, list and kill sandboxes. */
final class E2bApi {
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpCalls<ApiError> calls;
    private final HttpUrl base;
    private final String apiKey;

    E2bApi(HttpCalls<ApiError> calls, HttpUrl base, String apiKey) {
        this.calls = calls;
        this.base = base;
        this.apiKey = apiKey;
    }

    /** One sandbox as {@code GET /v2/sandboxes} lists it. */
    record Listed(String id, String state, String startedAt, String endAt, Map<String, String> metadata) {
    }

    /** E2B's name for every IPv4 destination, as the SDKs' {@code ALL_TRAFFIC}. */
    static final String ALL_TRAFFIC = "0.0.0.0/0";

    /**
     * Creates a sandbox. Not idempotent: sent again only when it provably never left, or on a 429 with Retry-After.
     * The egress rules go with the creation, so that no command ever runs in the sandbox before they hold.
     */
    CreatedSandbox create(String template, long timeoutSeconds, Map<String, String> metadata, EgressPolicy egress)
            throws SandboxException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("templateID", template);
        body.put("timeout", timeoutSeconds);
        ObjectNode meta = body.putObject("metadata");
        metadata.forEach(meta::put);
        body.putObject("envVars");
        addEgress(body, egress);
        String action = "create a sandbox from template '" + template + "'";
        JsonNode json = call(post("/v2/sandboxes", body), HttpCalls.Safety.ONCE, action);
        return created(json, action);
    }

    /**
     * An open policy adds nothing: the body stays the one E2B has always had, with its default of full access. Any
     * other denies all traffic and allows the policy's hosts, which works because E2B lets an allowed entry win over
     * a denied one; E2B takes exact names and {@code *.example.com} patterns in {@code allowOut} as they are.
     */
    private static void addEgress(ObjectNode body, EgressPolicy egress) {
        if (egress.open()) {
            return;
        }
        // Stated, not left to the default: false means "deny everything", and how it combines with allowOut is undocumented.
        body.put("allow_internet_access", true);
        ObjectNode network = body.putObject("network");
        egress.hosts().forEach(network.putArray("allowOut")::add);
        network.putArray("denyOut").add(ALL_TRAFFIC);
    }

    /** Re-attaches to a running (or paused) sandbox; it only ever extends the lifetime. */
    CreatedSandbox connect(String id, long timeoutSeconds) throws SandboxException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("timeout", timeoutSeconds);
        String action = "connect to sandbox " + id;
        return created(call(post("/v2/sandboxes/" + id + "/connect", body), HttpCalls.Safety.IDEMPOTENT, action), action);
    }

    /** The sandbox's details (state, endAt...), or null when it no longer exists. */
    JsonNode get(String id) throws SandboxException, InterruptedException {
        try {
            return call(request("/sandboxes/" + id).get().build(), HttpCalls.Safety.IDEMPOTENT, "inspect sandbox " + id);
        } catch (SandboxException e) {
            if (e.getCause() instanceof CallException c && c.error().notFound()) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Sets the sandbox to end {@code seconds} from now (E2B caps it silently at the plan's limit).
     *
     * @return false when the sandbox no longer exists
     */
    boolean setTimeout(String id, long seconds) throws SandboxException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("timeout", seconds);
        try {
            call(post("/sandboxes/" + id + "/timeout", body), HttpCalls.Safety.IDEMPOTENT, "extend sandbox " + id);
            return true;
        } catch (SandboxException e) {
            if (e.getCause() instanceof CallException c && c.error().notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** @return false when the sandbox was already gone */
    boolean kill(String id) throws SandboxException, InterruptedException {
        try {
            call(request("/sandboxes/" + id).delete().build(), HttpCalls.Safety.IDEMPOTENT, "kill sandbox " + id);
            return true;
        } catch (SandboxException e) {
            if (e.getCause() instanceof CallException c && c.error().notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** Every sandbox whose metadata has {@code key=value}, following the X-Next-Token pages. */
    List<Listed> list(String key, String value) throws SandboxException, InterruptedException {
        List<Listed> result = new ArrayList<>();
        String next = null;
        do {
            HttpUrl.Builder url = base.newBuilder().addPathSegments("v2/sandboxes").addQueryParameter("metadata", component(key) + "=" + component(value));
            if (next != null) {
                url.addQueryParameter("nextToken", next);
            }
            Request request = authorized(new Request.Builder().url(url.build())).get().build();
            try (Response response = calls.execute(request, HttpCalls.Safety.IDEMPOTENT)) {
                JsonNode page = Json.mapper().readTree(response.body().byteStream());
                for (JsonNode item : page == null ? List.<JsonNode>of() : iterable(page)) {
                    result.add(listed(item));
                }
                String token = response.header("X-Next-Token");
                next = token == null || token.isBlank() || token.equals(next) ? null : token;
            } catch (CallException e) {
                throw E2bErrors.api("list sandboxes", e);
            } catch (IOException e) {
                throw E2bErrors.network("list sandboxes", e);
            }
        } while (next != null);
        return result;
    }

    /**
     * Like the SDKs, each key and value is encoded on its own and then the whole pair again as a query value: the
     * API decodes the parameter, splits it into pairs, and decodes each part once more.
     */
    private static String component(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isArray() ? node : List.of();
    }

    private static Listed listed(JsonNode item) {
        Map<String, String> metadata = new LinkedHashMap<>();
        item.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new Listed(item.path("sandboxID").asText(), item.path("state").asText("running"),
                item.path("startedAt").asText(""), item.path("endAt").asText(""), metadata);
    }

    private static CreatedSandbox created(JsonNode json, String action) throws SandboxException {
        String id = json.path("sandboxID").asText("");
        if (id.isEmpty()) {
            throw new SandboxException("E2B answered without a sandbox id while trying to " + action);
        }
        JsonNode domain = json.get("domain");
        JsonNode token = json.get("envdAccessToken");
        return new CreatedSandbox(id, json.path("envdVersion").asText(""),
                token == null || token.isNull() ? null : token.asText(),
                domain == null || domain.isNull() ? null : domain.asText());
    }

    private JsonNode call(Request request, HttpCalls.Safety safety, String action) throws SandboxException, InterruptedException {
        try (Response response = calls.execute(request, safety)) {
            byte[] body = response.body().bytes();
            return body.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
        } catch (CallException e) {
            throw E2bErrors.api(action, e);
        } catch (NotSentException e) {
            throw E2bErrors.network(action, e);
        } catch (IOException e) {
            if (safety == HttpCalls.Safety.ONCE) {
                throw new SandboxException("the connection to E2B broke while trying to " + action + " ("
                        + e.getMessage() + "); a sandbox may have been created anyway: run 'cct sandboxes clean'", e);
            }
            throw E2bErrors.network(action, e);
        }
    }

    private Request post(String path, JsonNode body) {
        return request(path).post(RequestBody.create(Json.compact(body), JSON)).build();
    }

    private Request.Builder request(String path) {
        return authorized(new Request.Builder().url(base.newBuilder().addPathSegments(path.substring(1)).build()));
    }

    private Request.Builder authorized(Request.Builder builder) {
        return builder.header("X-API-Key", apiKey);
    }

    @Override
    public String toString() {
        return "E2bApi[" + base + "]";
    }
}
