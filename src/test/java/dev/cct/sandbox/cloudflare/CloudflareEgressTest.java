package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.testing.cloudflare.FakeWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The egress policy as the Worker's create body carries it, as the Worker must echo it, and as the fake Worker keeps it. */
@Timeout(60)
class CloudflareEgressTest {
    private static final String TOKEN = "cf-egress-test-token-0123456789";
    private static final String CREATED = "{\"id\":\"sbx-0123456789\",\"home\":\"/home/cct\",\"user\":\"cct\",\"workspaceRoot\":\"/workspace\"";
    private static final EgressPolicy ALLOWLIST = EgressPolicy.of("allowlist", List.of("*.example.com", "docs.example.org"),
            List.of("npm"), null);
    private static final EgressPolicy NONE = EgressPolicy.of("none", List.of(), List.of(), null);

    @TempDir
    Path dir;

    private static WorkerApi api(String url) {
        return new WorkerApi(WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, url,
                Secrets.CLOUDFLARE_SANDBOX_TOKEN, TOKEN))), Duration.ofSeconds(10), CloudflareSandboxTest.QUICK_CALLS);
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cct.tool", "cct");
        return labels;
    }

    /** The create body sent for {@code egress}, to a Worker that answers as cct's current one does. */
    private static String bodySent(EgressPolicy egress) throws Exception {
        try (LocalServer server = LocalServer.start()) {
            String echoed = Json.compact(Json.mapper().createObjectNode().put("mode", egress.mode().flag())
                    .set("hosts", Json.mapper().valueToTree(egress.hosts())));
            server.thenJson(201, CREATED + ",\"egress\":" + echoed + "}");
            api(server.url().toString()).create(labels(), egress);
            LocalServer.Seen request = server.onlyRequest();
            assertThat(request.method() + " " + request.path()).isEqualTo("POST /v1/sandboxes");
            return request.bodyText();
        }
    }

    @Test
    void openSendsTheBodyOfBeforeWithoutAnyEgressField() throws Exception {
        assertThat(bodySent(EgressPolicy.OPEN)).isEqualTo("{\"labels\":{\"cct.tool\":\"cct\"}}");
    }

    @Test
    void anAllowlistSendsItsModeAndItsHostsClaudesFirstWildcardsAsTheyAre() throws Exception {
        assertThat(bodySent(ALLOWLIST)).isEqualTo("{\"labels\":{\"cct.tool\":\"cct\"},\"egress\":{\"mode\":\"allowlist\","
                + "\"hosts\":[\"api.anthropic.com\",\"registry.npmjs.org\",\"registry.yarnpkg.com\",\"*.example.com\",\"docs.example.org\"]}}");
    }

    @Test
    void noneSendsOnlyClaudesApiHostOrTheBaseUrlsHost() throws Exception {
        assertThat(bodySent(NONE)).isEqualTo(
                "{\"labels\":{\"cct.tool\":\"cct\"},\"egress\":{\"mode\":\"none\",\"hosts\":[\"api.anthropic.com\"]}}");
        EgressPolicy viaGateway = EgressPolicy.of("none", List.of(), List.of(), "https://llm.gateway.example:8443/v1");
        assertThat(bodySent(viaGateway)).endsWith("\"egress\":{\"mode\":\"none\",\"hosts\":[\"llm.gateway.example\"]}}");
    }

    @Test
    void aWorkerThatAnswersWithoutThePolicyPredatesItItsOpenSandboxIsDestroyedAndTheRunRefused() throws Exception {
        try (LocalServer server = LocalServer.start()) {
            server.thenJson(201, CREATED + "}").thenJson(204, "");
            assertThatThrownBy(() -> api(server.url().toString()).create(labels(), ALLOWLIST))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("does not keep --egress allowlist")
                    .hasMessageContaining("cct cloudflare deploy");
            assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
                    .containsExactly("POST /v1/sandboxes", "DELETE /v1/sandboxes/sbx-0123456789");
        }
        try (LocalServer server = LocalServer.start()) {
            // An echo of other hosts is no better than none.
            server.thenJson(201, CREATED + ",\"egress\":{\"mode\":\"none\",\"hosts\":[\"elsewhere.example\"]}}").thenJson(204, "");
            assertThatThrownBy(() -> api(server.url().toString()).create(labels(), NONE))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("does not keep --egress none");
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void anOpenCreateAcceptsAWorkerThatSaysNothingAboutEgress() throws Exception {
        try (LocalServer server = LocalServer.start()) {
            server.thenJson(201, CREATED + "}");
            assertThat(api(server.url().toString()).create(labels(), EgressPolicy.OPEN).id()).isEqualTo("sbx-0123456789");
        }
    }

    @Test
    void settingsAreOpenUntilGivenAPolicyAndThePlanShowsOnlyAClosedOne() {
        Secrets secrets = Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, "https://w.example.dev",
                Secrets.CLOUDFLARE_SANDBOX_TOKEN, TOKEN));
        CloudflareSettings open = CloudflareSettings.parse(secrets);
        assertThat(open.egress()).isEqualTo(EgressPolicy.OPEN);
        assertThat(open.given()).isEmpty();
        CloudflareSettings closed = open.withEgress(NONE);
        assertThat(closed.egress()).isEqualTo(NONE);
        assertThat(closed.url()).isEqualTo(open.url());
        assertThat(closed.given()).containsExactly(Map.entry("egress", "none: api.anthropic.com on ports 80 and 443"));
        assertThat(closed.toString()).doesNotContain(TOKEN);
    }

    @Test
    void theProviderCreatesTheSandboxWithThePolicyAndTheFakeWorkerKeepsIt() throws Exception {
        try (FakeWorker worker = FakeWorker.start(dir.resolve("worker"), TOKEN)) {
            CloudflareSettings settings = CloudflareSettings.parse(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, worker.url(),
                    Secrets.CLOUDFLARE_SANDBOX_TOKEN, TOKEN)));
            CloudflareProvider locked = new CloudflareProvider(settings.withEgress(ALLOWLIST));
            assertThat(locked.toString()).contains("egress=allowlist");
            try (Sandbox sandbox = locked.create(SandboxLabels.forThisProcess(), Progress.NONE)) {
                assertThat(worker.egress(sandbox.id())).isEqualTo(ALLOWLIST);
            }
            CloudflareProvider open = new CloudflareProvider(settings);
            assertThat(open.toString()).doesNotContain("egress");
            try (Sandbox sandbox = open.create(SandboxLabels.forThisProcess(), Progress.NONE)) {
                assertThat(worker.egress(sandbox.id())).isEqualTo(EgressPolicy.OPEN);
            }
        }
    }

    @Test
    void theFakeWorkerRefusesABadEgressAsTheWorkerDoesAndCreatesNothing() throws Exception {
        try (FakeWorker worker = FakeWorker.start(dir.resolve("worker"), TOKEN)) {
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("{\"mode\":\"closed\",\"hosts\":[\"a.example\"]}", "egress.mode must be \"open\", \"allowlist\" or \"none\"");
            cases.put("{\"hosts\":[\"a.example\"]}", "egress.mode must be \"open\", \"allowlist\" or \"none\"");
            cases.put("{\"mode\":\"allowlist\",\"hosts\":[\"a.example\",7]}", "egress.hosts[1] must be a string");
            cases.put("{\"mode\":\"allowlist\",\"hosts\":\"a.example\"}", "egress.hosts must be an array of strings");
            cases.put("{\"mode\":\"allowlist\",\"hosts\":[\"https://a.example\"]}", "egress.hosts[0]: \"https://a.example\" is not a host name");
            cases.put("{\"mode\":\"none\",\"hosts\":[]}", "egress mode \"none\" needs at least one host");
            cases.put("{\"mode\":\"open\",\"hosts\":[\"a.example\"]}", "egress.hosts needs mode \"allowlist\" or \"none\"");
            cases.put("\"allowlist\"", "egress must be an object");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Request request = new Request.Builder().url(worker.url() + "/v1/sandboxes").header("Authorization", "Bearer " + TOKEN)
                        .post(RequestBody.create("{\"labels\":{},\"egress\":" + c.getKey() + "}", MediaType.get("application/json")))
                        .build();
                try (Response response = LocalServer.CLIENT.newCall(request).execute()) {
                    assertThat(response.code()).as(c.getKey()).isEqualTo(400);
                    JsonNode error = Json.mapper().readTree(response.body().string());
                    assertThat(error.path("code").asText()).isEqualTo("bad_request");
                    assertThat(error.path("message").asText()).as(c.getKey()).startsWith(c.getValue());
                }
            }
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }
}
