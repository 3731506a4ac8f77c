package dev.cct.sandbox.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.CallException;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.NotSentException;
import dev.cct.sandbox.http.RetryPolicy;
import dev.cct.sandbox.http.StreamingBody;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The Worker's HTTP contract (components/sandbox/cloudflare/CONTRACT.md), one method per route. */
final class WorkerApi {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType TAR = MediaType.get("application/x-tar");

    private final WorkerConfig config;
    private final HttpCalls<WorkerError> calls;
    /** Destroying runs in cleanup paths (a shutdown hook, too): bounded in time, whatever the Worker does. */
    private final HttpCalls<WorkerError> destroyCalls;
    /** For event streams: no read deadline shorter than the idle timeout, never a silent resend. */
    private final OkHttpClient streaming;

    WorkerApi(WorkerConfig config, Duration idleTimeout, RetryPolicy policy) {
        this.config = config;
        OkHttpClient client = new OkHttpClient.Builder().dispatcher(HttpCalls.dispatcher())
                .connectTimeout(15, TimeUnit.SECONDS).readTimeout(60, TimeUnit.SECONDS)
                .writeTimeout(60, TimeUnit.SECONDS).build();
        this.calls = new HttpCalls<>(client, WorkerRetries.RULES, policy);
        // A Retry-After longer than the longest backoff is reported rather than waited for, to keep the bound.
        this.destroyCalls = new HttpCalls<>(client.newBuilder().callTimeout(15, TimeUnit.SECONDS).build(), WorkerRetries.RULES,
                new RetryPolicy(Math.min(3, policy.maxAttempts()), policy.firstBackoff(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        // Never resent, and on a fresh connection: an exec POST must be provably unsent before it is sent again.
        this.streaming = HttpCalls.onceOnly(client).newBuilder().readTimeout(idleTimeout.plusSeconds(10)).build();
    }

    String worker() {
        return config.display();
    }

    /** A sandbox as create answered. */
    record Created(String id, String home, String user) {
    }

    record Listed(String id, Map<String, String> labels, String createdAt) {
    }

    record Status(boolean running, Integer exitCode) {
    }

    /** {@code GET /health}: checks that the URL is cct's Worker; returns its version. */
    String health() throws SandboxException, InterruptedException {
        Request request = new Request.Builder().url(url("health").build()).get().build();
        JsonNode json;
        try {
            json = call(request, HttpCalls.Safety.IDEMPOTENT, "check its health");
        } catch (SandboxException e) {
            if (e.getCause() instanceof CallException c && c.error().notFound()) {
                throw new SandboxException(worker() + " is not cct's Worker (GET /health answered 404); "
                        + CloudflareErrors.DEPLOY, e.getCause());
            }
            throw e;
        }
        if (!json.path("ok").asBoolean(false)) {
            throw new SandboxException(worker() + " answered /health without \"ok\":true, so it is not cct's Worker; "
                    + CloudflareErrors.DEPLOY);
        }
        return json.path("version").asText("?");
    }

    /**
     * {@code POST /v1/sandboxes}, with {@code "egress":{"mode":...,"hosts":[...]}} when the policy is not open (an open
     * one sends the body of before). Sent again only when it provably never left.
     */
    Created create(Map<String, String> labels, EgressPolicy egress) throws SandboxException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode labelNode = body.putObject("labels");
        labels.forEach(labelNode::put);
        if (!egress.open()) {
            ObjectNode rules = body.putObject("egress");
            rules.put("mode", egress.mode().flag());
            egress.hosts().forEach(rules.putArray("hosts")::add);
        }
        JsonNode json = call(authorized(url("v1/sandboxes")).post(jsonBody(body)).build(), HttpCalls.Safety.ONCE,
                "create a sandbox");
        String id = json.path("id").asText("");
        if (id.isEmpty()) {
            throw new SandboxException("the Worker answered without a sandbox id while creating a sandbox");
        }
        if (!egress.open() && !keeps(json.path("egress"), egress)) {
            // A Worker deployed before egress existed ignores the field: its sandbox would be open.
            try {
                delete(id);
            } catch (SandboxException e) {
                throw new SandboxException("the Worker at " + worker() + " does not keep --egress " + egress.mode().flag()
                        + ", and destroying its open sandbox " + id + " failed too (" + e.getMessage()
                        + "); run 'cct sandboxes clean', then redeploy the Worker with 'cct cloudflare deploy'", e);
            }
            throw new SandboxException("the Worker at " + worker() + " does not keep --egress " + egress.mode().flag()
                    + " (it answered without the policy: it predates egress rules); redeploy it with 'cct cloudflare deploy'");
        }
        return new Created(id, json.path("home").asText("/root"), json.path("user").asText("root"));
    }

    /** Whether the create answer echoes the policy sent, mode and hosts alike. */
    private static boolean keeps(JsonNode echoed, EgressPolicy egress) {
        if (!egress.mode().flag().equals(echoed.path("mode").asText(null))) {
            return false;
        }
        List<String> hosts = new ArrayList<>();
        echoed.path("hosts").forEach(h -> hosts.add(h.asText()));
        return hosts.equals(egress.hosts());
    }

    List<Listed> list() throws SandboxException, InterruptedException {
        JsonNode json = call(authorized(url("v1/sandboxes")).get().build(), HttpCalls.Safety.IDEMPOTENT, "list sandboxes");
        List<Listed> result = new ArrayList<>();
        for (JsonNode item : json.path("sandboxes")) {
            Map<String, String> labels = new LinkedHashMap<>();
            item.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            result.add(new Listed(item.path("id").asText(), labels, item.path("createdAt").asText("")));
        }
        return result;
    }

    /** {@code DELETE /v1/sandboxes/{id}}; an unknown sandbox is already what we wanted. */
    void delete(String id) throws SandboxException, InterruptedException {
        try {
            call(destroyCalls, authorized(sandbox(id)).delete().build(), HttpCalls.Safety.IDEMPOTENT, "destroy sandbox " + id);
        } catch (SandboxException e) {
            if (!(e.getCause() instanceof CallException c && c.error().notFound())) {
                throw e;
            }
        }
    }

    /** One {@code PUT} of the whole tar stream, streamed as it is read. */
    void upload(String id, String destination, InputStream tar) throws SandboxException, InterruptedException {
        HttpUrl target = sandbox(id).addPathSegment("archive").addQueryParameter("dest", destination).build();
        Request request = authorized(target).put(new StreamingBody(tar, TAR)).build();
        call(request, HttpCalls.Safety.ONCE, "upload files");
    }

    /** One {@code GET} of the tree under {@code path} as a tar stream; the caller closes it. */
    InputStream download(String id, String path, List<String> excludeNames) throws SandboxException, InterruptedException {
        HttpUrl.Builder target = sandbox(id).addPathSegment("archive").addQueryParameter("path", path);
        if (!excludeNames.isEmpty()) {
            target.addQueryParameter("exclude", String.join(",", excludeNames));
        }
        try {
            Response response = calls.execute(authorized(target.build()).get().build(), HttpCalls.Safety.IDEMPOTENT);
            return response.body().byteStream();
        } catch (CallException e) {
            if (e.error().notFound()) {
                // The same answer for a missing folder and a missing sandbox (CONTRACT.md): say both.
                throw new SandboxException("nothing to download: " + path + " does not exist in the Cloudflare sandbox"
                        + " (or the sandbox is gone)", e);
            }
            throw CloudflareErrors.refused("download " + path, e.error(WorkerError.class), worker());
        } catch (IOException e) {
            throw CloudflareErrors.unreachable("download " + path, e, worker());
        }
    }

    /** {@code POST .../exec}: starts the command; its events arrive on the returned stream. */
    EventStream startExec(String id, JsonNode execRequest) {
        HttpUrl target = sandbox(id).addPathSegment("exec").build();
        return EventStream.open(streaming, authorized(target).header("Accept", "text/event-stream")
                .post(jsonBody(execRequest)).build());
    }

    /** {@code GET .../exec/{execId}/events?after=N}: what came after {@code after}, then live events. */
    EventStream attach(String id, String execId, long after) {
        HttpUrl target = sandbox(id).addPathSegment("exec").addPathSegment(execId).addPathSegment("events")
                .addQueryParameter("after", Long.toString(after)).build();
        return EventStream.open(streaming, authorized(target).header("Accept", "text/event-stream").get().build());
    }

    /** {@code GET .../exec/{execId}}: whether the command still runs, and its exit code once it ended. */
    Status status(String id, String execId) throws SandboxException, InterruptedException {
        HttpUrl target = sandbox(id).addPathSegment("exec").addPathSegment(execId).build();
        JsonNode json = call(authorized(target).get().build(), HttpCalls.Safety.IDEMPOTENT, "ask how the command ended");
        JsonNode code = json.path("exitCode");
        return new Status(json.path("running").asBoolean(false), code.canConvertToInt() ? code.intValue() : null);
    }

    private JsonNode call(Request request, HttpCalls.Safety safety, String action) throws SandboxException, InterruptedException {
        return call(calls, request, safety, action);
    }

    private JsonNode call(HttpCalls<WorkerError> with, Request request, HttpCalls.Safety safety, String action)
            throws SandboxException, InterruptedException {
        try (Response response = with.execute(request, safety)) {
            byte[] body = response.body().bytes();
            if (body.length == 0) {
                return Json.mapper().createObjectNode();
            }
            try {
                JsonNode json = Json.mapper().readTree(body);
                return json == null ? Json.mapper().createObjectNode() : json;
            } catch (IOException e) {
                throw new SandboxException(worker() + " answered with something other than JSON while trying to " + action
                        + "; it does not look like cct's Worker: " + CloudflareErrors.DEPLOY, e);
            }
        } catch (CallException e) {
            throw CloudflareErrors.refused(action, e.error(WorkerError.class), worker());
        } catch (NotSentException e) {
            throw CloudflareErrors.unreachable(action, e, worker());
        } catch (IOException e) {
            throw safety == HttpCalls.Safety.ONCE ? CloudflareErrors.broken(action, e, worker())
                    : CloudflareErrors.unreachable(action, e, worker());
        }
    }

    private static RequestBody jsonBody(JsonNode body) {
        return RequestBody.create(Json.compact(body), JSON);
    }

    private HttpUrl.Builder url(String path) {
        HttpUrl.Builder builder = config.baseUrl().newBuilder();
        // A base URL with a path (a route behind a proxy) keeps it; an empty trailing segment is dropped.
        List<String> segments = config.baseUrl().pathSegments();
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            builder.removePathSegment(segments.size() - 1);
        }
        return builder.addPathSegments(path);
    }

    private HttpUrl.Builder sandbox(String id) {
        return url("v1/sandboxes").addPathSegment(id);
    }

    private Request.Builder authorized(HttpUrl.Builder url) {
        return authorized(url.build());
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", "Bearer " + config.token());
    }

    @Override
    public String toString() {
        return "WorkerApi[" + worker() + "]";
    }
}
