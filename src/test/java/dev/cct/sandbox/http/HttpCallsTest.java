package dev.cct.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry mechanism both cloud clients share, under rules that read a refusal's kind from its status alone. */
@Timeout(30)
class HttpCallsTest {
    private static final OkHttpClient CLIENT = LocalServer.CLIENT;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60));

    /** A refusal with no provider's reading: its status and body as sent. */
    record Refused(int httpStatus, String body) implements Refusal {
        static Refused read(Response response) {
            try (response) {
                return new Refused(response.code(), response.body().string());
            } catch (IOException e) {
                return new Refused(response.code(), "");
            }
        }

        @Override
        public boolean notFound() {
            return httpStatus == 404;
        }

        @Override
        public String describe() {
            return "HTTP " + httpStatus + (body.isEmpty() ? "" : ": " + body);
        }
    }

    /** 429 is busy, every 5xx transient, everything else final. */
    private static final CallRules<Refused> RULES = new CallRules<>(Refused::read, refused -> refused.httpStatus() == 429
            ? CallRules.Retry.BUSY : refused.httpStatus() >= 500 ? CallRules.Retry.TRANSIENT : CallRules.Retry.NEVER);

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final LocalServer server;

    HttpCallsTest() throws IOException {
        server = LocalServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpCalls<Refused> calls() {
        return new HttpCalls<>(CLIENT, RULES, POLICY, sleeper, RetryAfterTest.CLOCK);
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
    void anIdempotentCallIsRetriedOnTransientRefusalsWithGrowingBackoff() throws Exception {
        server.thenJson(503, "").thenJson(500, "{\"code\":500,\"message\":\"x\"}").thenJson(200, "[]");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void retriesStopAtTheLastAttemptWithTheLastRefusal() {
        server.thenJson(503, "").thenJson(503, "").thenJson(503, "busy").thenJson(200, "[]");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.error()).isEqualTo(new Refused(503, "busy"));
                    assertThat(e.error(Refused.class).body()).isEqualTo("busy");
                    assertThat(e).hasMessage("HTTP 503: busy");
                });
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.sleeps).hasSize(2);
    }

    @Test
    void aFinalRefusalIsNotRetriedWhateverItsRetryAfter() {
        server.thenJson(400, "{\"code\":400,\"message\":\"bad\"}");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        server.thenJson(409, "", "Retry-After", "1");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(2);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aBusyRefusalWaitsExactlyItsRetryAfterEvenForACallThatMustNotRunTwice() throws Exception {
        server.thenJson(429, "{\"code\":429,\"message\":\"rate limit\"}", "Retry-After", "7").thenJson(201, "{\"sandboxID\":\"i1\"}");
        assertThat(body(calls().execute(post(), HttpCalls.Safety.ONCE))).isEqualTo("{\"sandboxID\":\"i1\"}");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).bodyText()).isEqualTo(server.requests().get(0).bodyText()).isEqualTo("{\"templateID\":\"base\"}");
    }

    @Test
    void aRetryAfterDateIsReadAgainstTheClock() throws Exception {
        server.thenJson(429, "", "Retry-After", "Wed, 02 Dec 2026 00:00:12 GMT").thenJson(200, "[]");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void aBusyRefusalWithoutRetryAfterFailsACallThatMustNotRunTwiceAtOnce() {
        server.thenJson(429, "{\"code\":429,\"message\":\"concurrency limit\"}").thenJson(201, "{}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error().httpStatus()).isEqualTo(429));
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aBusyRefusalWithoutRetryAfterBacksOffAnIdempotentCall() throws Exception {
        server.thenJson(429, "").thenJson(200, "[]");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsAnErrorWithoutWaiting() {
        server.thenJson(429, "", "Retry-After", "61");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        server.thenJson(503, "", "Retry-After", "3600");
        assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        assertThat(sleeper.sleeps).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRetryAfterOfExactlyTheLongestAllowedIsWaited() throws Exception {
        server.thenJson(429, "", "Retry-After", "60").thenJson(200, "[]");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void aTransientRefusalHonoursItsRetryAfter() throws Exception {
        server.thenJson(503, "", "Retry-After", "3").thenJson(200, "[]");
        assertThat(body(calls().execute(get(), HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aCallThatMustNotRunTwiceIsNotRetriedOnATransientRefusal() {
        server.thenJson(503, "").thenJson(201, "{}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCallThatMustNotRunTwiceIsNotRetriedOnATransientRefusalEvenWithARetryAfter() {
        // The server may have acted before it failed, whatever it asks.
        server.thenJson(500, "", "Retry-After", "1").thenJson(201, "{}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.sleeps).isEmpty();
    }

    @Test
    void aCallThatMustNotRunTwiceAnswered503WithRetryAfterZeroIsNotResentBehindOurBack() {
        // OkHttp's own follow-up logic would send it again at once.
        server.thenJson(503, "", "Retry-After", "0").thenJson(201, "{\"sandboxID\":\"i1\"}");
        assertThatThrownBy(() -> calls().execute(post(), HttpCalls.Safety.ONCE))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.error().httpStatus()).isEqualTo(503));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCallThatMustNotRunTwiceNeverRidesAPooledConnection() throws Exception {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]";
        try (RawServer raw = new RawServer(socket -> {
            // Keep-alive: answers every request on the connection until the client closes it.
            OutputStream out = socket.getOutputStream();
            while (true) {
                RawServer.readRequest(socket);
                out.write(ok.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })) {
            HttpCalls<Refused> calls = calls();
            Request get = new Request.Builder().url(raw.url() + "v2/sandboxes").build();
            assertThat(body(calls.execute(get, HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
            assertThat(body(calls.execute(get, HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
            assertThat(raw.connections()).as("idempotent calls share a connection").isEqualTo(1);
            assertThat(body(calls.execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.ONCE))).isEqualTo("[]");
            assertThat(body(calls.execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.ONCE))).isEqualTo("[]");
            assertThat(raw.connections()).isEqualTo(3);
        }
    }

    @Test
    void aCallWhoseBodyWasSentIsNotRetriedWhenTheResponseNeverComes() throws IOException {
        try (RawServer raw = new RawServer(socket -> RawServer.readRequest(socket))) {
            assertThatThrownBy(() -> calls().execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.ONCE))
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
            assertThatThrownBy(() -> calls().execute(post(raw.url() + "v2/sandboxes"), HttpCalls.Safety.ONCE))
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
            assertThat(body(calls().execute(request, HttpCalls.Safety.IDEMPOTENT))).isEqualTo("[]");
            assertThat(raw.connections()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void nothingListeningIsRetriedThenReportedAsNotSent() throws IOException {
        String url = "http://127.0.0.1:" + RawServer.closedPort() + "/v2/sandboxes";
        assertThatThrownBy(() -> calls().execute(post(url), HttpCalls.Safety.ONCE))
                .isInstanceOf(NotSentException.class).hasCauseInstanceOf(IOException.class);
        assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void withoutABodyNothingTellsThatTheRequestNeverLeft() throws IOException {
        String url = "http://127.0.0.1:" + RawServer.closedPort() + "/v2/sandboxes";
        assertThatThrownBy(() -> calls().execute(new Request.Builder().url(url).build(), HttpCalls.Safety.IDEMPOTENT))
                .isInstanceOf(IOException.class).isNotInstanceOf(NotSentException.class);
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
            assertThatThrownBy(() -> calls().execute(request, HttpCalls.Safety.IDEMPOTENT))
                    .isInstanceOf(IOException.class).isNotInstanceOf(NotSentException.class);
            assertThat(raw.connections()).isEqualTo(1);
            assertThat(sleeper.sleeps).isEmpty();
        }
        // Nor after a refusal that would otherwise be retried: the body is gone.
        server.thenJson(503, "").thenJson(200, "[]");
        Request request = new Request.Builder().url(server.url().resolve("/files")).post(oneShot).build();
        assertThatThrownBy(() -> calls().execute(request, HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(CallException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void anInterruptedWaitStopsTheRetries() {
        server.thenJson(503, "").thenJson(200, "[]");
        HttpCalls<Refused> calls = new HttpCalls<>(CLIENT, RULES, POLICY, d -> {
            throw new InterruptedException("stop");
        }, RetryAfterTest.CLOCK);
        assertThatThrownBy(() -> calls.execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(InterruptedException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void anInterruptCancelsACallThatIsWaitingForItsAnswer() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        try (RawServer raw = new RawServer(socket -> {
            RawServer.readRequest(socket);
            arrived.countDown();
            // Never answers: the client must not wait for its read timeout. Ends when the client hangs up.
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // Nothing more is expected.
            }
            released.countDown();
        })) {
            OkHttpClient patient = CLIENT.newBuilder().readTimeout(Duration.ofMinutes(5)).build();
            HttpCalls<Refused> calls = new HttpCalls<>(patient, RULES, POLICY, sleeper, RetryAfterTest.CLOCK);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    calls.execute(new Request.Builder().url(raw.url() + "slow").build(), HttpCalls.Safety.IDEMPOTENT).close();
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            }, "caller");
            caller.start();
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(released.await(5, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
            assertThat(sleeper.sleeps).isEmpty();
        }
    }

    @Test
    void anAlreadyInterruptedThreadSendsNothing() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> calls().execute(get(), HttpCalls.Safety.IDEMPOTENT)).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(server.requests()).isEmpty();
    }
}
