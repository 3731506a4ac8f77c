package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.sandbox.http.NotSentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(5, TimeUnit.SECONDS).build();
    private static final MediaType JSON = MediaType.get("application/json");

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;

    HttpCallsTest() throws IOException {
        server = LocalServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpCalls rest() {
        return new HttpCalls(CLIENT, RetryPolicy.DEFAULT, sleeper, RetryAfterTest.CLOCK, false);
    }

    private HttpCalls envd() {
        return new HttpCalls(CLIENT, RetryPolicy.DEFAULT, sleeper, RetryAfterTest.CLOCK, true);
    }

    private Request get() {
        return new Request.Builder().url(server.url().resolve("/v2/sandboxes")).build();
    }

    private static Request post(String url) {
        return new Request.Builder().url(url).post(RequestBody.create("{\"templateID\":\"base\"}", JSON)).build();
    }

    private Request post() {
        return post(server.url().resolve("/v2/sandboxes").toString());
    }

    private static String body(Response response) throws IOException {
        try (response) {
            return response.body().string();
        }
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
                .isInstanceOfSatisfying(E2bCallException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(503);
                    assertThat(e.error().message()).isEqualTo("busy");
                });
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void clientErrorsAndNotImplementedAreNotRetried() {
        server.thenJson(400, "{\"code\":400,\"message\":\"bad\"}");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        server.thenJson(501, "");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        assertThat(server.requests()).hasSize(2);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void a429WaitsExactlyItsRetryAfterEvenForACreate() throws Exception {
        server.thenJson(429, "{\"code\":429,\"message\":\"rate limit\"}", "Retry-After", "7").thenJson(201, "{\"sandboxID\":\"i1\"}");
        assertThat(body(rest().execute(post(), HttpCalls.Safety.NOT_IDEMPOTENT))).isEqualTo("{\"sandboxID\":\"i1\"}");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).bodyText()).isEqualTo(server.requests().get(0).bodyText()).isEqualTo("{\"templateID\":\"base\"}");
    }

    @Test
    void a429RetryAfterDateIsReadAgainstTheClock() throws Exception {
        server.thenJson(429, "", "Retry-After", "Wed, 02 Dec 2026 00:00:12 GMT").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void a429WithoutRetryAfterFailsACreateAtOnce() {
        server.thenJson(429, "{\"code\":429,\"message\":\"concurrency limit\"}").thenJson(201, "{}");
        assertThatThrownBy(() -> rest().execute(post(), HttpCalls.Safety.NOT_IDEMPOTENT))
                .isInstanceOfSatisfying(E2bCallException.class, e -> assertThat(e.error().status()).isEqualTo(429));
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
    void aRetryAfterLongerThanThePolicyAllowsIsAnErrorWithoutWaiting() {
        server.thenJson(429, "", "Retry-After", "61");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        server.thenJson(503, "", "Retry-After", "3600");
        assertThatThrownBy(() -> rest().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        assertThat(sleeper.sleeps).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRetryAfterOfExactlyTheLongestAllowedIsWaited() throws Exception {
        server.thenJson(429, "", "Retry-After", "60").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void aServerFaultHonoursItsRetryAfter() throws Exception {
        server.thenJson(503, "", "Retry-After", "3").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aCallThatMustNotRunTwiceIsNotRetriedOnAServerFault() {
        server.thenJson(503, "").thenJson(201, "{}");
        assertThatThrownBy(() -> rest().execute(post(), HttpCalls.Safety.NOT_IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCreateAnswered503WithRetryAfterZeroIsNotResentBehindOurBack() {
        // OkHttp's own follow-up logic would send it again at once.
        server.thenJson(503, "", "Retry-After", "0").thenJson(201, "{\"sandboxID\":\"i1\"}");
        assertThatThrownBy(() -> rest().execute(post(), HttpCalls.Safety.NOT_IDEMPOTENT))
                .isInstanceOfSatisfying(E2bCallException.class, e -> assertThat(e.error().status()).isEqualTo(503));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aGoneSandboxIsNotRetriedOnEnvdButA502IsOnRest() throws Exception {
        String gone = "{\"sandboxId\":\"ivy3k2m9q0w8e7r6t5y4u\",\"message\":\"The sandbox was not found\",\"code\":502}";
        server.thenJson(502, gone);
        assertThatThrownBy(() -> envd().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(E2bCallException.class, e -> assertThat(e.error().sandboxGone()).isTrue());
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();

        server.requests().clear();
        server.thenJson(502, "").thenJson(200, "[]");
        assertThat(body(rest().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aCreateWhoseBodyWasSentIsNotRetriedWhenTheResponseNeverComes() throws IOException {
        try (RawServer raw = new RawServer(socket -> RawServer.readRequest(socket))) {
            assertThatThrownBy(() -> rest().execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.NOT_IDEMPOTENT))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NotSentException.class);
            assertThat(raw.connections()).isEqualTo(1);
            assertThat(sleeper.sleeps).isEmpty();
        }
    }

    @Test
    void aCutResponseAfterTheStatusLineIsAlsoNotRetried() throws IOException {
        try (RawServer raw = new RawServer(socket -> {
            RawServer.readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            assertThatThrownBy(() -> rest().execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.NOT_IDEMPOTENT))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NotSentException.class);
            assertThat(raw.connections()).isEqualTo(1);
        }
    }

    @Test
    void anIdempotentCallIsRetriedAfterTheConnectionDropped() throws Exception {
        int[] served = {0};
        try (RawServer raw = new RawServer(socket -> {
            RawServer.readRequest(socket);
            synchronized (served) {
                if (served[0]++ == 0) {
                    return;
                }
            }
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"
                    .getBytes(StandardCharsets.US_ASCII));
        })) {
            Request request = new Request.Builder().url(raw.url() + "v2/sandboxes").build();
            assertThat(body(rest().execute(request, HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
            assertThat(raw.connections()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void nothingListeningIsRetriedThenReportedAsNotSent() throws IOException {
        String url = "http://127.0.0.1:" + RawServer.closedPort() + "/v2/sandboxes";
        assertThatThrownBy(() -> rest().execute(post(url), HttpCalls.Safety.NOT_IDEMPOTENT))
                .isInstanceOf(NotSentException.class).hasCauseInstanceOf(IOException.class);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aOneShotBodyIsNotSentTwice() throws IOException {
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("data");
            }
        };
        try (RawServer raw = new RawServer(socket -> RawServer.readRequest(socket))) {
            Request request = new Request.Builder().url(raw.url() + "files").post(oneShot).build();
            assertThatThrownBy(() -> rest().execute(request, HttpCalls.Safety.IDEMPOTENT))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NotSentException.class);
            assertThat(raw.connections()).isEqualTo(1);
            assertThat(sleeper.sleeps).isEmpty();
        }
        // Nor after a refusal that would otherwise be retried: the body is gone.
        server.thenJson(503, "").thenJson(200, "[]");
        Request request = new Request.Builder().url(server.url().resolve("/files")).post(oneShot).build();
        assertThatThrownBy(() -> rest().execute(request, HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(E2bCallException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void anInterruptedWaitStopsTheRetries() {
        server.thenJson(503, "").thenJson(200, "[]");
        HttpCalls calls = new HttpCalls(CLIENT, RetryPolicy.DEFAULT, d -> {
            throw new InterruptedException("stop");
        }, RetryAfterTest.CLOCK, false);
        assertThatThrownBy(() -> calls.execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(InterruptedException.class);
        assertThat(server.requests()).hasSize(1);
    }

}
