package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.archive.ExtractionReport;
import dev.cct.archive.SafeExtractor;
import dev.cct.core.Json;
import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.http.LocalServer;
import dev.cct.testing.Needs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against the LIVE Worker (its real HTTP layer in {@code wrangler dev --local} over the stub backend
 * whose command set CONTRACT.md documents), so that client and Worker cannot drift apart. Started by
 * {@code .ci/cloudflare-worker.sh}; the URL and token come as {@code -Dcct.workerUrl} and {@code -Dcct.workerToken}.
 * Without a URL the tests skip with a printed reason, unless {@code -Dcct.requireWorker=true} (CI), where they fail.
 */
@Timeout(60)
class CloudflareWorkerContractIT {
    private static String url;
    private static String token;

    @TempDir
    Path dir;
    private final List<Sandbox> created = new ArrayList<>();

    @BeforeAll
    static void worker() {
        url = System.getProperty("cct.workerUrl", "").strip();
        token = System.getProperty("cct.workerToken", "").strip();
        Needs.WORKER.check(url.isEmpty() || token.isEmpty()
                ? "no live Worker (start one with .ci/cloudflare-worker.sh and pass -Dcct.workerUrl and -Dcct.workerToken)" : null);
    }

    @AfterEach
    void destroy() {
        created.forEach(Sandbox::close);
    }

    private static CloudflareProvider provider(String withToken) {
        return provider(withToken, EgressPolicy.OPEN);
    }

    private static CloudflareProvider provider(String withToken, EgressPolicy egress) {
        return new CloudflareProvider(WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, url, Secrets.CLOUDFLARE_SANDBOX_TOKEN, withToken))),
                CloudflareSandboxTest.QUICK, CloudflareSandboxTest.QUICK_CALLS, egress);
    }

    private Sandbox sandbox() throws Exception {
        Sandbox sandbox = provider(token).create(SandboxLabels.forThisProcess(), Progress.NONE);
        created.add(sandbox);
        return sandbox;
    }

    private static Sandbox.ExecSpec sh(String script) {
        return new Sandbox.ExecSpec(List.of("sh", "-c", script), Map.of(), "/workspace", Duration.ofSeconds(30));
    }

    private static WorkerApi api() {
        return new WorkerApi(WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, url,
                Secrets.CLOUDFLARE_SANDBOX_TOKEN, token))), Duration.ofSeconds(30), CloudflareSandboxTest.QUICK_CALLS);
    }

    @Test
    void healthAnswersWithoutATokenAndAWrongTokenIsRefusedByName() throws Exception {
        provider(token).prepare(Progress.NONE);
        assertThat(api().health()).isNotBlank();
        assertThatThrownBy(() -> provider("a-wrong-token-for-sure").prepare(Progress.NONE))
                .isInstanceOf(SandboxException.class).hasMessageContaining("refused CLOUDFLARE_SANDBOX_TOKEN")
                .hasMessageNotContaining("a-wrong-token-for-sure").hasMessageNotContaining(token);
    }

    @Test
    void createdSandboxesAreListedWithTheirLabelsAndDeletingIsIdempotent() throws Exception {
        CloudflareProvider provider = provider(token);
        SandboxLabels labels = SandboxLabels.forThisProcess();
        Sandbox sandbox = provider.create(labels, Progress.NONE);
        assertThat(sandbox.id()).matches("[a-z0-9][a-z0-9-]{7,63}");
        assertThat(sandbox.home()).isEqualTo("/home/cct");
        assertThat(sandbox.owner()).isNull(); // the stub's user is "cct", not root
        List<SandboxProvider.SandboxInfo> listed = provider.list();
        assertThat(listed).filteredOn(i -> i.id().equals(sandbox.id())).singleElement()
                .satisfies(i -> assertThat(i.labels()).isEqualTo(labels));
        sandbox.close();
        sandbox.close();
        provider.remove(sandbox.id());
        assertThat(provider.list()).noneMatch(i -> i.id().equals(sandbox.id()));
    }

    @Test
    void filesGoUpAndComeBackByteIdenticalAndCommandsSeeThem() throws Exception {
        Sandbox sandbox = sandbox();
        sandbox.upload(new ByteArrayInputStream(EveryKindWorkspace.tar()), sandbox.home());
        Recorder cat = new Recorder();
        assertThat(sandbox.exec(new Sandbox.ExecSpec(List.of("cat", "hello.txt"), Map.of(), sandbox.home() + "/workspace",
                Duration.ofSeconds(10)), cat)).isZero();
        assertThat(cat.out()).isEqualTo(EveryKindWorkspace.HELLO);
        assertThat(sandbox.exec(new Sandbox.ExecSpec(List.of("write", "made/by/command.txt", "written", "here"), Map.of(),
                sandbox.home() + "/workspace", Duration.ofSeconds(10)), new Recorder())).isZero();

        Path back = dir.resolve("back");
        ExtractionReport report;
        try (InputStream in = sandbox.download(sandbox.home() + "/workspace", List.of("node_modules"))) {
            report = SafeExtractor.extract(in, back, p -> false);
        }
        EveryKindWorkspace.assertCameBack(report, back);
        assertThat(Files.readString(back.resolve("made/by/command.txt"))).isEqualTo("written here");
    }

    @Test
    void execStreamsBothStreamsLiveWithEnvironmentAndFolderAndReturnsTheExitCode() throws Exception {
        Sandbox sandbox = sandbox();
        Recorder output = new Recorder();
        assertThat(sandbox.exec(sh("echo out; echoerr err; exit 3"), output)).isEqualTo(3);
        assertThat(output.out()).isEqualTo("out\n");
        assertThat(output.err()).isEqualTo("err\n");

        Recorder env = new Recorder();
        assertThat(sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", "env; pwd"), Map.of("B", "2 two", "A", "$(one)"),
                "/tmp", Duration.ofSeconds(10)), env)).isZero();
        assertThat(env.out()).isEqualTo("A=$(one)\nB=2 two\n/tmp\n");

        Recorder chunks = new Recorder();
        assertThat(sandbox.exec(sh("chunks 5 30"), chunks)).isZero();
        assertThat(chunks.out()).isEqualTo("chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n");
    }

    @Test
    void outputArrivesWhileTheCommandStillRuns() throws Exception {
        Sandbox sandbox = sandbox();
        Recorder live = new Recorder();
        // The command never ends by itself: seeing its first line proves the output was streamed, not buffered.
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", "echo first; sleep 600"), Map.of(), "/workspace",
                        Duration.ofMinutes(10)), live);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> live.out().equals("first\n"));
        assertThat(running).isNotDone();
        sandbox.close();
        assertThat(running.get(30, TimeUnit.SECONDS)).isInstanceOf(SandboxException.class);
    }

    @Test
    void timeoutMsEndsTheCommandWithExit124() throws Exception {
        Sandbox sandbox = sandbox();
        Recorder output = new Recorder();
        long started = System.nanoTime();
        int code = sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", "echo before; sleep 30; echo after"), Map.of(),
                "/workspace", Duration.ofMillis(1000)), output);
        assertThat(code).isEqualTo(124);
        assertThat(output.out()).isEqualTo("before\n");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
    }

    @Test
    void anErrorEventIsASandboxFailureWithTheWorkersWords() throws Exception {
        Sandbox sandbox = sandbox();
        assertThatThrownBy(() -> sandbox.exec(sh("echo first; stub-error unavailable the container crashed"), new Recorder()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("unavailable: the container crashed");
    }

    @Test
    void aReattachReplaysExactlyWhatCameAfterTheLastSeqAndTheStatusConfirmsTheExit() throws Exception {
        Sandbox sandbox = sandbox();
        WorkerApi api = api();
        ObjectNode request = Json.mapper().createObjectNode();
        request.putArray("argv").add("chunks").add("6").add("200");
        List<ExecEvent> firstPart = new ArrayList<>();
        try (EventStream stream = api.startExec(sandbox.id(), request)) {
            while (firstPart.stream().filter(e -> e instanceof ExecEvent.Output).count() < 2) {
                EventStream.Item item = stream.next(Duration.ofSeconds(10));
                assertThat(item).isInstanceOf(EventStream.Event.class);
                firstPart.add(((EventStream.Event) item).event());
            }
        }
        String execId = ((ExecEvent.Start) firstPart.get(0)).execId();
        List<ExecEvent> rest = new ArrayList<>();
        try (EventStream stream = api.attach(sandbox.id(), execId, 2)) {
            while (rest.isEmpty() || !(rest.get(rest.size() - 1) instanceof ExecEvent.Exit)) {
                EventStream.Item item = stream.next(Duration.ofSeconds(10));
                assertThat(item).isInstanceOf(EventStream.Event.class);
                ExecEvent event = ((EventStream.Event) item).event();
                if (!(event instanceof ExecEvent.Heartbeat)) {
                    rest.add(event);
                }
            }
        }
        StringBuilder replayed = new StringBuilder();
        List<Long> seqs = new ArrayList<>();
        for (ExecEvent event : rest) {
            if (event instanceof ExecEvent.Output output) {
                replayed.append(new String(output.data(), StandardCharsets.UTF_8));
                seqs.add(output.seq());
            }
        }
        assertThat(seqs).containsExactly(3L, 4L, 5L, 6L);
        assertThat(replayed).hasToString("chunk 3\nchunk 4\nchunk 5\nchunk 6\n");
        assertThat(rest.get(rest.size() - 1)).isEqualTo(new ExecEvent.Exit(7, 0));
        assertThat(api.status(sandbox.id(), execId)).isEqualTo(new WorkerApi.Status(false, 0));
    }

    @Test
    void aFolderThatDoesNotExistHasNothingToDownload() throws Exception {
        Sandbox sandbox = sandbox();
        assertThatThrownBy(() -> sandbox.download("/no/such/folder", List.of()).close())
                .isInstanceOf(SandboxException.class).hasMessageContaining("nothing to download: /no/such/folder does not exist");
    }

    @Test
    void aDestroyedSandboxIsReportedGone() throws Exception {
        Sandbox sandbox = sandbox();
        provider(token).remove(sandbox.id());
        assertThatThrownBy(() -> sandbox.exec(sh("echo hi"), new Recorder()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("is gone");
    }

    @Test
    void theWorkerEchoesTheEgressPolicySoTheClientAcceptsItsLockedSandbox() throws Exception {
        for (EgressPolicy policy : List.of(EgressPolicy.of("allowlist", List.of("*.example.com"), List.of("github"), null),
                EgressPolicy.of("none", List.of(), List.of(), null))) {
            Sandbox sandbox = provider(token, policy).create(SandboxLabels.forThisProcess(), Progress.NONE);
            created.add(sandbox);
            Recorder output = new Recorder();
            assertThat(sandbox.exec(sh("echo locked"), output)).isZero();
            assertThat(output.out()).isEqualTo("locked\n");
        }
    }

    @Test
    void aBadEgressIsRefusedWithTheWordsOfTheJavaFake() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"mode\":\"closed\",\"hosts\":[\"a.example\"]}", "egress.mode must be \"open\", \"allowlist\" or \"none\"",
                "{\"mode\":\"allowlist\",\"hosts\":[\"a.example\",7]}", "egress.hosts[1] must be a string",
                "{\"mode\":\"none\",\"hosts\":[]}", "egress mode \"none\" needs at least one host (Claude's API host)");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Request request = new Request.Builder().url(url + "/v1/sandboxes").header("Authorization", "Bearer " + token)
                    .post(RequestBody.create("{\"labels\":{},\"egress\":" + c.getKey() + "}", MediaType.get("application/json")))
                    .build();
            try (Response response = LocalServer.CLIENT.newCall(request).execute()) {
                assertThat(response.code()).as(c.getKey()).isEqualTo(400);
                assertThat(Json.mapper().readTree(response.body().string()).path("message").asText()).isEqualTo(c.getValue());
            }
        }
    }
}
