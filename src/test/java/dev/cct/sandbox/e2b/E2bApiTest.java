package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.sandbox.http.RawServer;
import dev.cct.sandbox.http.RecordingSleeper;
import dev.cct.sandbox.http.RetryAfterTest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class E2bApiTest {
    private static final String KEY = "e2b_0123456789abcdef0123456789abcdef";
    private static final String CREATED = "{\"templateID\":\"rki5dems9wqfm4r03t7g\",\"sandboxID\":\"ivy3k2m9q0w8e7r6t5y4u\","
            + "\"alias\":\"base\",\"clientID\":\"6532622b\",\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"tok-9f8e7d6c5b4a\","
            + "\"trafficAccessToken\":null,\"domain\":null}";

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;
    private final E2bApi api;

    E2bApiTest() throws IOException {
        server = LocalServer.start();
        api = api(server.url());
    }

    private E2bApi api(HttpUrl base) {
        return new E2bApi(new HttpCalls<>(LocalServer.CLIENT, E2bRetries.REST, E2bRetries.POLICY, sleeper, RetryAfterTest.CLOCK), base, KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createPostsTheTemplateTimeoutAndMetadataWithTheKey() throws Exception {
        server.thenJson(201, CREATED);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("owner", "cct");
        metadata.put("cct.run", "r-1");
        CreatedSandbox sandbox = api.create("claude", 300, metadata, EgressPolicy.OPEN);

        LocalServer.Seen request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/sandboxes");
        assertThat(request.header("X-API-Key")).isEqualTo(KEY);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode body = Json.mapper().readTree(request.body());
        assertThat(body.path("templateID").asText()).isEqualTo("claude");
        assertThat(body.path("timeout").isIntegralNumber()).isTrue();
        assertThat(body.path("timeout").asLong()).isEqualTo(300);
        assertThat(body.path("metadata")).isEqualTo(Json.mapper().readTree("{\"owner\":\"cct\",\"cct.run\":\"r-1\"}"));
        assertThat(body.has("secure")).isFalse();

        assertThat(sandbox.id()).isEqualTo("ivy3k2m9q0w8e7r6t5y4u");
        assertThat(sandbox.envdVersion()).isEqualTo("0.6.13");
        assertThat(sandbox.envdAccessToken()).isEqualTo("tok-9f8e7d6c5b4a");
        assertThat(sandbox.domain()).isNull();
        assertThat(sandbox.toString()).contains("ivy3k2m9q0w8e7r6t5y4u").doesNotContain("tok-9f8e7d6c5b4a");
    }

    @Test
    void createKeepsTheDomainTheApiNames() throws Exception {
        server.thenJson(201, "{\"sandboxID\":\"i1\",\"envdVersion\":\"0.5.0\",\"domain\":\"e2b.dev\"}");
        CreatedSandbox sandbox = api.create("base", 60, Map.of(), EgressPolicy.OPEN);
        assertThat(sandbox.domain()).isEqualTo("e2b.dev");
        assertThat(sandbox.envdAccessToken()).isNull();
    }

    @Test
    void anAnswerWithoutAnIdIsAnError() {
        server.thenJson(201, "{\"templateID\":\"base\"}");
        assertThatThrownBy(() -> api.create("base", 60, Map.of(), EgressPolicy.OPEN)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("without a sandbox id");
    }

    @Test
    void aCreateRefusedWithRetryAfterIsSentAgainAfterTheWait() throws Exception {
        server.thenJson(429, "{\"code\":429,\"message\":\"rate limit exceeded\"}", "Retry-After", "2").thenJson(201, CREATED);
        assertThat(api.create("base", 300, Map.of(), EgressPolicy.OPEN).id()).isEqualTo("ivy3k2m9q0w8e7r6t5y4u");
        assertThat(sleeper.sleeps).containsExactly(java.time.Duration.ofSeconds(2));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aConcurrencyLimitOnCreateFailsAtOnceSayingWhatToDo() {
        server.thenJson(429, "{\"code\":429,\"message\":\"You have reached the maximum number of concurrent E2B sandboxes (20)\"}");
        assertThatThrownBy(() -> api.create("base", 300, Map.of(), EgressPolicy.OPEN)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("concurrency limit").hasMessageContaining("maximum number of concurrent E2B sandboxes")
                .hasMessageContaining("cct sandboxes clean");
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aRefusedKeyIsReportedAsSuchAndNotRetried() {
        server.thenJson(401, "{\"code\":401,\"message\":\"Invalid API key\"}");
        assertThatThrownBy(() -> api.create("base", 60, Map.of(), EgressPolicy.OPEN)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("E2B_API_KEY");
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aServerThatEchoesTheKeyDoesNotLeakIt() {
        server.thenJson(400, "{\"code\":400,\"message\":\"key " + KEY + " may not use template x\"}");
        assertThatThrownBy(() -> api.create("x", 60, Map.of(), EgressPolicy.OPEN)).isInstanceOfSatisfying(SandboxException.class, e -> {
            assertThat(e.getMessage()).startsWith("E2B refused to create a sandbox from template 'x'").doesNotContain(KEY);
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            }
        });
    }

    @Test
    void aCreateCutAfterSendingWarnsThatASandboxMayExist() throws IOException {
        try (RawServer raw = new RawServer(socket -> RawServer.readRequest(socket))) {
            assertThatThrownBy(() -> api(HttpUrl.get(raw.url())).create("base", 60, Map.of(), EgressPolicy.OPEN))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("cct sandboxes clean");
            assertThat(raw.connections()).isEqualTo(1);
        }
    }

    @Test
    void nothingListeningIsAPlainNetworkError() throws IOException {
        HttpUrl closed = HttpUrl.get("http://127.0.0.1:" + RawServer.closedPort() + "/");
        assertThatThrownBy(() -> api(closed).create("base", 60, Map.of(), EgressPolicy.OPEN)).isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("cannot reach E2B to create a sandbox");
    }

    @Test
    void listFollowsThePagesAndFiltersByMetadata() throws Exception {
        server.thenJson(200, "[{\"sandboxID\":\"i1\",\"state\":\"running\",\"startedAt\":\"2026-12-01T23:00:00Z\","
                        + "\"endAt\":\"2026-12-02T00:00:00Z\",\"metadata\":{\"owner\":\"cct\",\"run\":\"a\"}}]",
                "X-Next-Token", "page-2=/+")
                .thenJson(200, "[{\"sandboxID\":\"i2\",\"state\":\"paused\",\"metadata\":{\"owner\":\"cct\"}}]");
        var listed = api.list("owner", "cct");

        assertThat(listed).hasSize(2);
        assertThat(listed.get(0)).isEqualTo(new E2bApi.Listed("i1", "running", "2026-12-01T23:00:00Z", "2026-12-02T00:00:00Z",
                Map.of("owner", "cct", "run", "a")));
        assertThat(listed.get(1).id()).isEqualTo("i2");
        assertThat(listed.get(1).state()).isEqualTo("paused");
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).path()).isEqualTo("/v2/sandboxes");
        assertThat(server.requests().get(0).rawQuery()).isEqualTo("metadata=owner%3Dcct");
        assertThat(server.requests().get(1).rawQuery()).isEqualTo("metadata=owner%3Dcct&nextToken=page-2%3D%2F%2B");
        assertThat(server.requests().get(1).header("X-API-Key")).isEqualTo(KEY);
    }

    @Test
    void listStopsWhenTheServerRepeatsItsToken() throws Exception {
        server.thenJson(200, "[{\"sandboxID\":\"i1\"}]", "X-Next-Token", "t")
                .thenJson(200, "[{\"sandboxID\":\"i2\"}]", "X-Next-Token", "t");
        assertThat(api.list("owner", "cct")).extracting(E2bApi.Listed::id).containsExactly("i1", "i2");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void listEncodesMetadataValues() throws Exception {
        server.thenJson(200, "[]");
        assertThat(api.list("cct.run", "a&b=c d")).isEmpty();
        // As the official SDK sends it (docs/e2b-protocol-notes.md): key and value encoded, then the pair again.
        assertThat(server.onlyRequest().rawQuery()).isEqualTo("metadata=cct.run%3Da%2526b%253Dc%2520d");
    }

    @Test
    void killIsADeleteAndAGoneSandboxIsFalse() throws Exception {
        server.thenJson(204, "").thenJson(404, "{\"code\":404,\"message\":\"sandbox i1 not found\"}");
        assertThat(api.kill("i1")).isTrue();
        assertThat(api.kill("i1")).isFalse();
        assertThat(server.requests()).extracting(LocalServer.Seen::method).containsExactly("DELETE", "DELETE");
        assertThat(server.requests().get(0).path()).isEqualTo("/sandboxes/i1");
        assertThat(server.requests().get(0).header("X-API-Key")).isEqualTo(KEY);
    }

    @Test
    void setTimeoutPostsTheSecondsAndAGoneSandboxIsFalse() throws Exception {
        server.thenJson(204, "").thenJson(404, "");
        assertThat(api.setTimeout("i1", 900)).isTrue();
        assertThat(api.setTimeout("i1", 900)).isFalse();
        LocalServer.Seen first = server.requests().get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/sandboxes/i1/timeout");
        assertThat(first.bodyText()).isEqualTo("{\"timeout\":900}");
    }

    @Test
    void getAnswersTheDetailsOrNull() throws Exception {
        server.thenJson(200, "{\"sandboxID\":\"i1\",\"state\":\"running\"}").thenJson(404, "{\"code\":404,\"message\":\"not found\"}");
        assertThat(api.get("i1").path("state").asText()).isEqualTo("running");
        assertThat(api.get("i1")).isNull();
        assertThat(server.requests().get(0).method()).isEqualTo("GET");
        assertThat(server.requests().get(0).path()).isEqualTo("/sandboxes/i1");
    }

    @Test
    void otherRefusalsAreNotMistakenForAGoneSandbox() {
        server.thenJson(409, "{\"code\":409,\"message\":\"sandbox is paused\"}");
        assertThatThrownBy(() -> api.kill("i1")).isInstanceOf(SandboxException.class).hasMessageContaining("sandbox is paused");
        server.thenJson(401, "");
        assertThatThrownBy(() -> api.get("i1")).isInstanceOf(SandboxException.class).hasMessageContaining("E2B_API_KEY");
    }

    @Test
    void connectPostsTheTimeout() throws Exception {
        server.thenJson(200, CREATED);
        assertThat(api.connect("ivy3k2m9q0w8e7r6t5y4u", 600).envdAccessToken()).isEqualTo("tok-9f8e7d6c5b4a");
        assertThat(server.onlyRequest().path()).isEqualTo("/v2/sandboxes/ivy3k2m9q0w8e7r6t5y4u/connect");
        assertThat(server.onlyRequest().bodyText()).isEqualTo("{\"timeout\":600}");
    }

    @Test
    void aBaseUrlWithAPathKeepsIt() throws Exception {
        server.thenJson(201, CREATED).thenJson(204, "");
        E2bApi prefixed = api(server.url().resolve("/e2b/"));
        prefixed.create("base", 60, Map.of(), EgressPolicy.OPEN);
        prefixed.kill("i1");
        assertThat(server.requests()).extracting(LocalServer.Seen::path).containsExactly("/e2b/v2/sandboxes", "/e2b/sandboxes/i1");
    }

    @Test
    void toStringHasNoKey() {
        assertThat(api.toString()).doesNotContain(KEY);
    }
}
