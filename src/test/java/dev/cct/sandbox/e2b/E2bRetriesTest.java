package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.sandbox.http.CallException;
import dev.cct.sandbox.http.CallRules.Retry;
import dev.cct.sandbox.http.HttpCalls;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.sandbox.http.RecordingSleeper;
import dev.cct.sandbox.http.RetryAfterTest;
import dev.cct.sandbox.http.RetryPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** E2B's part of the shared retry rules: its patience, and which of its refusals are tried again. */
class E2bRetriesTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String GONE = "{\"sandboxId\":\"ivy3k2m9q0w8e7r6t5y4u\",\"message\":\"The sandbox was not found\",\"code\":502}";

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;

    E2bRetriesTest() throws IOException {
        server = LocalServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpCalls<ApiError> rest() {
        return new HttpCalls<>(LocalServer.CLIENT, E2bRetries.REST, E2bRetries.POLICY, sleeper, RetryAfterTest.CLOCK);
    }

    private HttpCalls<ApiError> envd() {
        return new HttpCalls<>(LocalServer.CLIENT, E2bRetries.ENVD, E2bRetries.POLICY, sleeper, RetryAfterTest.CLOCK);
    }

    private Request get() {
        return new Request.Builder().url(server.url().resolve("/v2/sandboxes")).build();
    }

    private Request post() {
        return new Request.Builder().url(server.url().resolve("/v2/sandboxes"))
                .post(RequestBody.create("{\"templateID\":\"base\"}", JSON)).build();
    }

    private static String body(Response response) throws IOException {
        try (response) {
            return response.body().string();
        }
    }

    private static ApiError refused(int status, String body) {
        return ApiError.parse(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDefaults() {
        RetryPolicy p = E2bRetries.POLICY;
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.longestRetryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void whatEachRefusalAllows() {
        for (CallRulesCase c : new CallRulesCase[] {
            new CallRulesCase(429, "{\"code\":429,\"message\":\"rate limit\"}", Retry.BUSY, Retry.BUSY),
            new CallRulesCase(500, "{\"code\":500,\"message\":\"x\"}", Retry.TRANSIENT, Retry.TRANSIENT),
            new CallRulesCase(503, "", Retry.TRANSIENT, Retry.TRANSIENT),
            new CallRulesCase(507, "{\"code\":507,\"message\":\"disk full\"}", Retry.TRANSIENT, Retry.TRANSIENT),
            new CallRulesCase(502, GONE, Retry.TRANSIENT, Retry.NEVER),
            new CallRulesCase(502, "", Retry.TRANSIENT, Retry.NEVER),
            new CallRulesCase(501, "", Retry.NEVER, Retry.NEVER),
            new CallRulesCase(400, "{\"code\":400,\"message\":\"bad\"}", Retry.NEVER, Retry.NEVER),
            new CallRulesCase(401, "{\"code\":\"unauthenticated\",\"message\":\"no\"}", Retry.NEVER, Retry.NEVER),
            new CallRulesCase(404, "{\"code\":\"not_found\",\"message\":\"gone\"}", Retry.NEVER, Retry.NEVER),
        }) {
            ApiError error = refused(c.status(), c.body());
            assertThat(E2bRetries.REST.retry().apply(error)).as("REST %s %s", c.status(), c.body()).isEqualTo(c.rest());
            assertThat(E2bRetries.ENVD.retry().apply(error)).as("envd %s %s", c.status(), c.body()).isEqualTo(c.envd());
        }
    }

    private record CallRulesCase(int status, String body, Retry rest, Retry envd) {
    }

    @Test
    void anIdempotentCallIsRetriedOnServerFaultsWithGrowingBackoff() throws Exception {
        server.thenJson(503, "").thenJson(500, "{\"code\":500,\"message\":\"x\"}").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void retriesStopAtTheLastAttempt() {
        server.thenJson(503, "").thenJson(503, "").thenJson(503, "{\"code\":503,\"message\":\"busy\"}").thenJson(200, "[]");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.error(ApiError.class).status()).isEqualTo(503);
                    assertThat(e.error(ApiError.class).message()).isEqualTo("busy");
                });
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void clientErrorsAndNotImplementedAreNotRetried() {
        server.thenJson(400, "{\"code\":400,\"message\":\"bad\"}");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        server.thenJson(501, "");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(2);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void a429WaitsExactlyItsRetryAfterEvenForACreate() throws Exception {
        server.thenJson(429, "{\"code\":429,\"message\":\"rate limit\"}", "Retry-After", "7").thenJson(201, "{\"sandboxID\":\"i1\"}");
        assertThat(body(rest().execute(post(), HttpCalls.Safety.ONCE))).isEqualTo("{\"sandboxID\":\"i1\"}");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).bodyText()).isEqualTo(server.requests().get(0).bodyText()).isEqualTo("{\"templateID\":\"base\"}");
    }

    @Test
    void a429WithoutRetryAfterFailsACreateAtOnce() {
        server.thenJson(429, "{\"code\":429,\"message\":\"concurrency limit\"}").thenJson(201, "{}");
        assertThatThrownBy(() -> rest().execute(post(), HttpCalls.Safety.ONCE))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error(ApiError.class).status()).isEqualTo(429));
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void a429WithoutRetryAfterBacksOffAnIdempotentCall() throws Exception {
        server.thenJson(429, "").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void aGoneSandboxIsNotRetriedOnEnvdButA502IsOnRest() throws Exception {
        server.thenJson(502, GONE);
        assertThatThrownBy(() -> envd().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error(ApiError.class).sandboxGone()).isTrue());
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();

        server.requests().clear();
        server.thenJson(502, "").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(server.requests()).hasSize(2);
    }
}
