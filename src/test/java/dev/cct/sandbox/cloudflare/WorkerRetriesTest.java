package dev.cct.sandbox.cloudflare;

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

/** The Worker's part of the shared retry rules: its patience, and which of its refusals are tried again. */
class WorkerRetriesTest {
    private static final MediaType JSON = MediaType.get("application/json");

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;

    WorkerRetriesTest() throws IOException {
        server = LocalServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpCalls<WorkerError> calls() {
        return new HttpCalls<>(LocalServer.CLIENT, WorkerRetries.RULES, WorkerRetries.CALLS, sleeper, RetryAfterTest.CLOCK);
    }

    private Request get() {
        return new Request.Builder().url(server.url().resolve("/v1/sandboxes")).build();
    }

    private Request post() {
        return new Request.Builder().url(server.url().resolve("/v1/sandboxes"))
                .post(RequestBody.create("{\"labels\":{}}", JSON)).build();
    }

    private static String body(Response response) throws IOException {
        try (response) {
            return response.body().string();
        }
    }

    private static WorkerError refused(int status, String body) {
        return WorkerError.parse(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDefaults() {
        assertThat(WorkerRetries.CALLS).isEqualTo(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60)));
        assertThat(WorkerRetries.REATTACH.maxAttempts()).isEqualTo(8);
        assertThat(WorkerRetries.REATTACH.backoff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(WorkerRetries.REATTACH.backoff(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(WorkerRetries.REATTACH.backoff(6)).isEqualTo(Duration.ofSeconds(8));
        assertThat(WorkerRetries.REATTACH.backoff(8)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void onlyServerFaultsAreWorthAnotherTry() {
        assertThat(retry(500, "{\"code\":\"internal\",\"message\":\"x\"}")).isEqualTo(Retry.TRANSIENT);
        assertThat(retry(503, "{\"code\":\"unavailable\",\"message\":\"starting\"}")).isEqualTo(Retry.TRANSIENT);
        assertThat(retry(502, "<html>bad gateway</html>")).isEqualTo(Retry.TRANSIENT);
        // A Worker without its secret stays that way until someone sets it.
        assertThat(retry(503, "{\"code\":\"not_configured\",\"message\":\"no token\"}")).isEqualTo(Retry.NEVER);
        assertThat(retry(501, "")).isEqualTo(Retry.NEVER);
        assertThat(retry(404, "{\"code\":\"not_found\",\"message\":\"no such sandbox\"}")).isEqualTo(Retry.NEVER);
        assertThat(retry(401, "{\"code\":\"unauthorized\",\"message\":\"no\"}")).isEqualTo(Retry.NEVER);
        assertThat(retry(429, "")).isEqualTo(Retry.NEVER);
    }

    private static Retry retry(int status, String body) {
        return WorkerRetries.RULES.retry().apply(refused(status, body));
    }

    @Test
    void serverFaultsAreRetriedForAnIdempotentCallUpToTheFourthTry() throws Exception {
        server.thenJson(503, "{\"code\":\"unavailable\",\"message\":\"starting\"}").thenJson(500, "").thenJson(502, "")
                .thenJson(200, "{\"sandboxes\":[]}");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("{\"sandboxes\":[]}");
        assertThat(server.requests()).hasSize(4);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aRateLimitIsFinalEvenWithARetryAfter() {
        server.thenJson(429, "", "Retry-After", "1").thenJson(200, "{\"sandboxes\":[]}");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error().httpStatus()).isEqualTo(429));
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aRateLimitedCreateIsNotSentAgainEvenWithARetryAfter() {
        server.thenJson(429, "", "Retry-After", "1").thenJson(201, "{}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aWorkerWithoutItsSecretIsNotAskedAgain() {
        server.thenJson(503, "{\"code\":\"not_configured\",\"message\":\"no token\"}").thenJson(200, "{\"sandboxes\":[]}");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error(WorkerError.class).is("not_configured")).isTrue());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aGoneSandboxIsANotFoundThatIsNotAskedAgain() {
        server.thenJson(404, "{\"code\":\"not_found\",\"message\":\"no such sandbox\"}").thenJson(204, "");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error().notFound()).isTrue());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCreateIsNotRetriedOnAServerFault() {
        server.thenJson(500, "{\"code\":\"internal\",\"message\":\"x\"}").thenJson(201, "{\"id\":\"s1\"}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }
}
