package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.sandbox.http.RecordingSleeper;
import dev.cct.sandbox.http.RetryAfterTest;
import dev.cct.testing.e2b.FakeE2b;
import dev.cct.testing.e2b.FakeSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The egress policy as E2B's create body carries it, and as the fake E2B records it. */
class E2bEgressTest {
    private static final String KEY = "e2b_egress_test_key";
    private static final String CREATED = "{\"sandboxID\":\"ivy3k2m9q0w8e7r6t5y4u\",\"envdVersion\":\"0.6.13\","
            + "\"envdAccessToken\":\"tok\",\"domain\":null}";
    private static final EgressPolicy ALLOWLIST = EgressPolicy.of("allowlist", List.of("*.example.com", "docs.example.org"),
            List.of("npm"), null);
    private static final EgressPolicy NONE = EgressPolicy.of("none", List.of(), List.of(), null);

    private final LocalServer server;
    private final E2bApi api;

    E2bEgressTest() throws Exception {
        server = LocalServer.start();
        api = new E2bApi(new HttpCalls<>(LocalServer.CLIENT, E2bRetries.REST, E2bRetries.POLICY, new RecordingSleeper(),
                RetryAfterTest.CLOCK), server.url(), KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String bodySent(EgressPolicy egress) throws Exception {
        server.thenJson(201, CREATED);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("cct.tool", "cct");
        api.create("claude", 600, metadata, egress);
        return server.onlyRequest().bodyText();
    }

    @Test
    void openSendsTheBodyOfBeforeWithoutAnyNetworkField() throws Exception {
        assertThat(bodySent(EgressPolicy.OPEN)).isEqualTo(
                "{\"templateID\":\"claude\",\"timeout\":600,\"metadata\":{\"cct.tool\":\"cct\"},\"envVars\":{}}");
    }

    @Test
    void anAllowlistDeniesAllTrafficAndAllowsItsHostsWildcardsAsTheyAre() throws Exception {
        assertThat(ALLOWLIST.hosts()).containsExactly("api.anthropic.com", "registry.npmjs.org", "registry.yarnpkg.com",
                "*.example.com", "docs.example.org");
        assertThat(bodySent(ALLOWLIST)).isEqualTo(
                "{\"templateID\":\"claude\",\"timeout\":600,\"metadata\":{\"cct.tool\":\"cct\"},\"envVars\":{},"
                        + "\"allow_internet_access\":true,"
                        + "\"network\":{\"allowOut\":[\"api.anthropic.com\",\"registry.npmjs.org\",\"registry.yarnpkg.com\","
                        + "\"*.example.com\",\"docs.example.org\"],\"denyOut\":[\"0.0.0.0/0\"]}}");
    }

    @Test
    void noneAllowsOnlyClaudesApiHost() throws Exception {
        assertThat(bodySent(NONE)).isEqualTo(
                "{\"templateID\":\"claude\",\"timeout\":600,\"metadata\":{\"cct.tool\":\"cct\"},\"envVars\":{},"
                        + "\"allow_internet_access\":true,"
                        + "\"network\":{\"allowOut\":[\"api.anthropic.com\"],\"denyOut\":[\"0.0.0.0/0\"]}}");
    }

    @Test
    void noneFollowsTheBaseUrlsHost() throws Exception {
        EgressPolicy viaGateway = EgressPolicy.of("none", List.of(), List.of(), "https://llm.gateway.example:8443/v1");
        assertThat(bodySent(viaGateway)).endsWith(
                "\"network\":{\"allowOut\":[\"llm.gateway.example\"],\"denyOut\":[\"0.0.0.0/0\"]}}");
    }

    @Test
    void settingsAreOpenUntilGivenAPolicyAndThePlanShowsOnlyAClosedOne() {
        Secrets secrets = Secrets.of(Map.of(Secrets.E2B_API_KEY, KEY));
        E2bSettings open = E2bSettings.parse("base", secrets);
        assertThat(open.egress()).isEqualTo(EgressPolicy.OPEN);
        assertThat(open.given()).containsExactly(Map.entry("template", "base"));
        E2bSettings closed = open.withEgress(NONE);
        assertThat(closed.egress()).isEqualTo(NONE);
        assertThat(closed.template()).isEqualTo("base");
        assertThat(closed.given()).containsExactly(Map.entry("template", "base"),
                Map.entry("egress", "none: api.anthropic.com on ports 80 and 443"));
        assertThat(E2bSettings.parse(null, secrets).withEgress(ALLOWLIST).given()).containsOnlyKeys("egress");
    }

    @Test
    void theProviderCreatesTheSandboxWithThePolicysRulesAndTheDetailReadsThemBack(@TempDir Path dir) throws Exception {
        try (FakeE2b e2b = FakeE2b.start(dir, KEY)) {
            Secrets secrets = Secrets.of(Map.of(Secrets.E2B_API_KEY, KEY, "E2B_API_URL", e2b.apiUrl(),
                    "E2B_SANDBOX_URL", e2b.sandboxUrl()));
            E2bProvider provider = new E2bProvider(E2bSettings.parse("base", secrets).withEgress(ALLOWLIST), Duration.ofMinutes(5));
            assertThat(provider.toString()).contains("egress=allowlist");
            try (Sandbox sandbox = provider.create(SandboxLabels.forThisProcess(), Progress.NONE)) {
                FakeSandbox created = e2b.sandbox(sandbox.id());
                assertThat(created.allowInternetAccess()).isTrue();
                assertThat(created.allowOut()).isEqualTo(ALLOWLIST.hosts());
                assertThat(created.denyOut()).containsExactly("0.0.0.0/0");

                E2bApi fakeApi = new E2bApi(new HttpCalls<>(LocalServer.CLIENT, E2bRetries.REST, E2bRetries.POLICY),
                        okhttp3.HttpUrl.get(e2b.apiUrl()), KEY);
                JsonNode detail = fakeApi.get(sandbox.id());
                assertThat(detail.path("allowInternetAccess").asBoolean(false)).isTrue();
                assertThat(detail.at("/network/allowOut")).hasSize(5);
                assertThat(detail.at("/network/allowOut/3").asText()).isEqualTo("*.example.com");
                assertThat(detail.at("/network/denyOut/0").asText()).isEqualTo("0.0.0.0/0");
            }
        }
    }

    @Test
    void anOpenProviderLeavesTheSandboxWithE2bsDefaults(@TempDir Path dir) throws Exception {
        try (FakeE2b e2b = FakeE2b.start(dir, KEY)) {
            Secrets secrets = Secrets.of(Map.of(Secrets.E2B_API_KEY, KEY, "E2B_API_URL", e2b.apiUrl(),
                    "E2B_SANDBOX_URL", e2b.sandboxUrl()));
            E2bProvider provider = new E2bProvider(E2bSettings.parse("base", secrets), Duration.ofMinutes(5));
            try (Sandbox sandbox = provider.create(SandboxLabels.forThisProcess(), Progress.NONE)) {
                FakeSandbox created = e2b.sandbox(sandbox.id());
                assertThat(created.allowInternetAccess()).isNull();
                assertThat(created.allowOut()).isNull();
                assertThat(created.denyOut()).isNull();
            }
        }
    }
}
