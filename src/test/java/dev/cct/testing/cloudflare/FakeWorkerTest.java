package dev.cct.testing.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fake itself, on the wire: what it sends is what the contract says, and its faults are the ones promised. */
@Timeout(30)
class FakeWorkerTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();

    @TempDir
    Path dir;
    private FakeWorker worker;

    @BeforeEach
    void start() throws IOException {
        worker = FakeWorker.start(dir, "tok-tok-tok").withHeartbeat(Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    private Response call(String method, String path, String body, String token) throws IOException {
        Request.Builder request = new Request.Builder().url(worker.url() + path)
                .method(method, body == null ? null : RequestBody.create(body, JSON));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.newCall(request.build()).execute();
    }

    private String sandbox() throws IOException {
        try (Response created = call("POST", "/v1/sandboxes", "{\"labels\":{\"a\":\"b\"}}", "tok-tok-tok")) {
            assertThat(created.code()).isEqualTo(201);
            String body = created.body().string();
            return body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        }
    }

    @Test
    void healthIsOpenAndV1NeedsTheToken() throws IOException {
        try (Response health = call("GET", "/health", null, null)) {
            assertThat(health.code()).isEqualTo(200);
            assertThat(health.body().string()).contains("\"ok\":true");
        }
        try (Response refused = call("GET", "/v1/sandboxes", null, "nope")) {
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.body().string()).contains("\"code\":\"unauthorized\"");
        }
    }

    @Test
    void anExecStreamCarriesNumberedEventsAndAReplayStartsAfterTheGivenSeq() throws IOException {
        String id = sandbox();
        String stream;
        try (Response exec = call("POST", "/v1/sandboxes/" + id + "/exec", "{\"argv\":[\"sh\",\"-c\",\"echo a; sleep 0.3; echo b >&2; exit 4\"]}", "tok-tok-tok")) {
            assertThat(exec.header("Content-Type")).startsWith("text/event-stream");
            stream = exec.body().string();
        }
        assertThat(stream).startsWith("id: 0\nevent: start\ndata: {\"execId\":\"exec-")
                .contains("id: 1\nevent: stdout\ndata: {\"seq\":1,\"data\":\"YQo=\"}\n\n",
                        "id: 2\nevent: stderr\ndata: {\"seq\":2,\"data\":\"Ygo=\"}\n\n",
                        "id: 3\nevent: exit\ndata: {\"seq\":3,\"exitCode\":4}\n\n");
        String execId = stream.replaceAll("(?s).*\"execId\":\"([^\"]+)\".*", "$1");
        try (Response replay = call("GET", "/v1/sandboxes/" + id + "/exec/" + execId + "/events?after=1", null, "tok-tok-tok")) {
            assertThat(replay.body().string()).startsWith("id: 2\nevent: stderr").doesNotContain("event: start");
        }
        try (Response status = call("GET", "/v1/sandboxes/" + id + "/exec/" + execId, null, "tok-tok-tok")) {
            assertThat(status.body().string()).contains("\"running\":false", "\"exitCode\":4");
        }
    }

    @Test
    void aCutDropsTheConnectionMidEventWhileAnEndFinishesTheBodyCleanly() throws IOException {
        String id = sandbox();
        worker.faults().cutNextStreamAfter(1).endNextStreamAfter(1);
        try (Response cut = call("POST", "/v1/sandboxes/" + id + "/exec", "{\"argv\":[\"sleep\",\"1\"]}", "tok-tok-tok")) {
            assertThatThrownBy(() -> cut.body().string()).isInstanceOf(IOException.class);
        }
        try (Response ended = call("POST", "/v1/sandboxes/" + id + "/exec", "{\"argv\":[\"sleep\",\"1\"]}", "tok-tok-tok")) {
            assertThat(ended.body().string()).contains("event: start").doesNotContain("event: exit");
        }
    }

    @Test
    void timeoutMsKillsTheCommandWithExit124AndHeartbeatsFillTheSilence() throws IOException {
        String id = sandbox();
        try (Response exec = call("POST", "/v1/sandboxes/" + id + "/exec", "{\"argv\":[\"sleep\",\"20\"],\"timeoutMs\":700}", "tok-tok-tok")) {
            String stream = exec.body().string();
            assertThat(stream).contains("event: heartbeat\ndata: {}", "event: exit\ndata: {\"seq\":1,\"exitCode\":124}");
        }
    }
}
