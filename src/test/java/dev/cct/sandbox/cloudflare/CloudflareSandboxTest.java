package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cct.archive.ExtractionReport;
import dev.cct.archive.SafeExtractor;
import dev.cct.archive.TarWriter;
import dev.cct.core.CctException;
import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.http.RetryPolicy;
import dev.cct.testing.cloudflare.FakeWorker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against the Java fake of the Worker, which runs the commands for real. */
@Timeout(60)
class CloudflareSandboxTest {
    private static final String TOKEN = "cf-test-token-0123456789abcdef";
    /** Quick patience so that cuts and silences resolve in about a second. */
    static final StreamTuning QUICK = new StreamTuning(Duration.ofMillis(1500),
            new RetryPolicy(5, Duration.ofMillis(50), Duration.ofMillis(200)));
    static final RetryPolicy QUICK_CALLS = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(100));

    @TempDir
    Path dir;
    private FakeWorker worker;

    @BeforeEach
    void start() throws Exception {
        worker = FakeWorker.start(dir.resolve("worker"), TOKEN).withHeartbeat(Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    private CloudflareProvider provider(String url, String token) {
        return new CloudflareProvider(WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, url, Secrets.CLOUDFLARE_SANDBOX_TOKEN, token))),
                QUICK, QUICK_CALLS);
    }

    private CloudflareProvider provider() {
        return provider(worker.url(), TOKEN);
    }

    private Sandbox create() throws Exception {
        CloudflareProvider provider = provider();
        provider.prepare(Progress.NONE);
        return provider.create(SandboxLabels.forThisProcess(), Progress.NONE);
    }

    private static Sandbox.ExecSpec sh(String script, Sandbox sandbox) {
        return new Sandbox.ExecSpec(List.of("sh", "-c", script), Map.of(), sandbox.home(), Duration.ofSeconds(30));
    }

    @Test
    void createLearnsHomeAndUserFromTheWorker() throws Exception {
        try (Sandbox sandbox = create()) {
            assertThat(worker.liveSandboxIds()).containsExactly(sandbox.id());
            assertThat(sandbox.home()).isEqualTo(worker.home(sandbox.id()).toString());
            boolean root = "root".equals(System.getProperty("user.name"));
            assertThat(sandbox.owner()).isEqualTo(root ? new Sandbox.Owner(0, 0) : null);
        }
        assertThat(worker.liveSandboxIds()).isEmpty();
    }

    @Test
    void filesGoUpInOnePutAndComeBackInOneGetByteIdenticalWithExcludesHonoured() throws Exception {
        try (Sandbox sandbox = create()) {
            sandbox.upload(new ByteArrayInputStream(EveryKindWorkspace.tar()), sandbox.home());
            Path back = dir.resolve("back");
            ExtractionReport report;
            try (InputStream in = sandbox.download(sandbox.home() + "/workspace", List.of("node_modules"))) {
                report = SafeExtractor.extract(in, back, p -> false);
            }
            EveryKindWorkspace.assertCameBack(report, back);
            assertThat(worker.requests().stream().filter(r -> r.endsWith("/archive")).toList())
                    .containsExactly("PUT /v1/sandboxes/" + sandbox.id() + "/archive", "GET /v1/sandboxes/" + sandbox.id() + "/archive");
        }
    }

    @Test
    void execStreamsStdoutAndStderrWithTheEnvironmentAndFolderGivenAndReturnsTheExitCode() throws Exception {
        try (Sandbox sandbox = create()) {
            Recorder output = new Recorder();
            Files.createDirectories(Path.of(sandbox.home(), "workspace"));
            int code = sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", "printf '%s|' \"$GREETING\" \"$(pwd)\" \"$HOME\"; printf oops >&2; exit 3"),
                    Map.of("GREETING", "hi there; $(not expanded)"), sandbox.home() + "/workspace", Duration.ofSeconds(10)), output);
            assertThat(code).isEqualTo(3);
            assertThat(output.out()).isEqualTo("hi there; $(not expanded)|" + sandbox.home() + "/workspace|" + sandbox.home() + "|");
            assertThat(output.err()).isEqualTo("oops");
        }
    }

    @Test
    void outputArrivesWhileTheCommandStillRuns() throws Exception {
        try (Sandbox sandbox = create()) {
            Recorder output = new Recorder();
            Path go = Path.of(sandbox.home(), "go");
            // The command waits for the test: its first line can only be seen here if it was streamed.
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return sandbox.exec(sh("echo first; while [ ! -e go ]; do sleep 0.05; done; echo second", sandbox), output);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> output.out().equals("first\n"));
            assertThat(running).isNotDone();
            Files.createFile(go);
            assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(output.out()).isEqualTo("first\nsecond\n");
        }
    }

    @Test
    void cutEndedAndStalledStreamsAreReattachedWithNothingLostAndNothingTwice() throws Exception {
        worker.faults().cutNextStreamAfter(4).endNextStreamAfter(3).stallNextStreamAfter(5).cutNextStreamAfter(2);
        try (Sandbox sandbox = create()) {
            Recorder output = new Recorder();
            int code = sandbox.exec(sh("i=1; while [ $i -le 60 ]; do echo line $i; echo err $i >&2; i=$((i+1)); sleep 0.02; done; exit 7",
                    sandbox), output);
            assertThat(code).isEqualTo(7);
            assertThat(output.out()).isEqualTo(IntStream.rangeClosed(1, 60).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()));
            assertThat(output.err()).isEqualTo(IntStream.rangeClosed(1, 60).mapToObj(i -> "err " + i + "\n").collect(Collectors.joining()));
            assertThat(worker.faults().allUsed()).isTrue();
            assertThat(worker.requests().stream().filter(r -> r.endsWith("/events")).count()).isEqualTo(4);
        }
    }

    @Test
    void whenReattachingKeepsFailingTheWorkersStatusConfirmsTheExit() throws Exception {
        // The first stream ends right after start; every re-attach ends at once: only the status can tell. The
        // command ends at once, so it has ended by the time every re-attach has failed (their backoffs alone take
        // most of a second); a command still running then is the next test's case, not this one's.
        worker.faults().endNextStreamAfter(1);
        for (int i = 0; i < QUICK.reattach().maxAttempts(); i++) {
            worker.faults().endNextStreamAfter(0);
        }
        try (Sandbox sandbox = create()) {
            int code = sandbox.exec(sh("exit 5", sandbox), new Recorder());
            assertThat(code).isEqualTo(5);
            assertThat(worker.requests()).anyMatch(r -> r.matches("GET /v1/sandboxes/.*/exec/exec-[0-9a-f]+"));
        }
    }

    @Test
    void aCommandStillRunningAfterEveryReattachFailedIsReportedLost() throws Exception {
        for (int i = 0; i <= QUICK.reattach().maxAttempts(); i++) {
            worker.faults().endNextStreamAfter(i == 0 ? 1 : 0);
        }
        try (Sandbox sandbox = create()) {
            assertThatThrownBy(() -> sandbox.exec(sh("sleep 20", sandbox), new Recorder()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("lost the command's event stream (5 tries");
        }
    }

    @Test
    void aCommandThatNeverReachedTheWorkerIsSentAgainThenReported() throws Exception {
        Sandbox sandbox = create();
        worker.close(); // connections are refused now: no request can have left
        assertThatThrownBy(() -> sandbox.exec(sh("true", sandbox), new Recorder())).isInstanceOf(SandboxException.class)
                .hasMessageContaining("could not reach the Worker to start the command (5 tries");
    }

    @Test
    void theWorkersDeadlineKillsTheCommandWithExit124() throws Exception {
        try (Sandbox sandbox = create()) {
            Recorder output = new Recorder();
            long started = System.nanoTime();
            int code = sandbox.exec(new Sandbox.ExecSpec(List.of("sh", "-c", "echo before; sleep 30; echo after"), Map.of(),
                    sandbox.home(), Duration.ofMillis(800)), output);
            assertThat(code).isEqualTo(124);
            assertThat(output.out()).isEqualTo("before\n");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
        }
    }

    @Test
    void anInterruptEndsTheWaitAtOnceAndTheCommandGoesOnUntilStopped() throws Exception {
        try (Sandbox sandbox = create()) {
            Path pidFile = Path.of(sandbox.home(), "sleeper.pid");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread follower = new Thread(() -> {
                try {
                    sandbox.exec(sh("echo $$ > sleeper.pid; exec sleep 30", sandbox), new Recorder());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            follower.start();
            waitFor(pidFile);
            follower.interrupt();
            follower.join(2000);
            assertThat(follower.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        }
    }

    @Test
    void aSecondCommandCanStopTheFirstWhileItIsFollowed() throws Exception {
        // What the orchestrator does on timeout or Ctrl-C: Claude's exec is still attached on another thread.
        try (Sandbox sandbox = create()) {
            Path pidFile = Path.of(sandbox.home(), "claude.pid");
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return sandbox.exec(sh("echo $$ > claude.pid; exec sleep 30", sandbox), new Recorder());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(pidFile);
            int stop = sandbox.exec(sh("kill -TERM $(cat claude.pid)", sandbox), new Recorder());
            assertThat(stop).isZero();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(143);
        }
    }

    @Test
    void closeDestroysOnceCutsAFollowedCommandLooseAndNeverThrows() throws Exception {
        Sandbox sandbox = create();
        Recorder started = new Recorder();
        CompletableFuture<Throwable> follower = CompletableFuture.supplyAsync(() -> {
            try {
                sandbox.exec(sh("echo started; sleep 30", sandbox), started);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        // Close while the command is being followed, not before it started.
        await().atMost(Duration.ofSeconds(30)).until(() -> started.out().equals("started\n"));
        sandbox.close();
        assertThat(worker.liveSandboxIds()).isEmpty();
        assertThat(follower.get(5, TimeUnit.SECONDS)).isInstanceOf(SandboxException.class);
        sandbox.close();
        worker.close();
        sandbox.close(); // the Worker is gone: still quiet
        assertThat(worker.requests().stream().filter(r -> r.startsWith("DELETE")).count()).isEqualTo(1);
        assertThatThrownBy(() -> sandbox.exec(sh("true", sandbox), new Recorder())).hasMessageContaining("already destroyed");
    }

    @Test
    void listShowsOnlyCctsSandboxesAndRemoveDestroysThem() throws Exception {
        String orphan = worker.createSandbox(Map.of(SandboxLabels.SESSION, "s-1", SandboxLabels.OWNER, SandboxLabels.hostName() + ":999999999:1"));
        worker.createSandbox(Map.of("someone", "else"));
        CloudflareProvider provider = provider();
        List<SandboxProvider.SandboxInfo> listed = provider.list();
        assertThat(listed).extracting(SandboxProvider.SandboxInfo::id).containsExactly(orphan);
        assertThat(listed.get(0).provider()).isEqualTo("cloudflare");
        assertThat(listed.get(0).labels().ownerIsGone()).isTrue();
        provider.remove(orphan);
        provider.remove(orphan);
        assertThat(worker.liveSandboxIds()).hasSize(1).doesNotContain(orphan);
    }

    @Test
    void theReaperRemovesSandboxesWhoseCctProcessIsGoneAndKeepsLiveOnes() throws Exception {
        String orphan = worker.createSandbox(Map.of(SandboxLabels.SESSION, "s-2", SandboxLabels.OWNER, SandboxLabels.hostName() + ":999999999:1"));
        try (Sandbox mine = create()) {
            dev.cct.sandbox.OrphanReaper.Result reaped = dev.cct.sandbox.OrphanReaper.reap(provider());
            assertThat(reaped.removed()).extracting(SandboxProvider.SandboxInfo::id).containsExactly(orphan);
            assertThat(reaped.failed()).isEmpty();
            assertThat(worker.liveSandboxIds()).containsExactly(mine.id());
            assertThat(dev.cct.sandbox.OrphanReaper.inBackground(provider()).summary()).isEmpty();
        }
    }

    @Test
    void idempotentCallsRetryServerFaultsButCreateIsNeverSentTwice() throws Exception {
        CloudflareProvider provider = provider();
        worker.faults().refuseNext("GET", 2, 503);
        assertThat(provider.list()).isEmpty();
        worker.faults().refuseNext("POST", 1, 500);
        assertThatThrownBy(() -> provider.create(SandboxLabels.forThisProcess(), Progress.NONE))
                .isInstanceOf(SandboxException.class).hasMessageContaining("try again later");
        assertThat(worker.liveSandboxIds()).isEmpty();
        assertThat(worker.requests().stream().filter(r -> r.equals("POST /v1/sandboxes")).count()).isEqualTo(1);
    }

    @Test
    void aRefusedUploadIsNotSentAgainButADownloadRetriesAServerFault() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(tar)) {
            writer.addFile("workspace/a.txt", "a".getBytes(StandardCharsets.UTF_8), false);
        }
        try (Sandbox sandbox = create()) {
            worker.faults().refuseNext("PUT", 1, 500);
            assertThatThrownBy(() -> sandbox.upload(new ByteArrayInputStream(tar.toByteArray()), sandbox.home()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("while trying to upload files");
            sandbox.upload(new ByteArrayInputStream(tar.toByteArray()), sandbox.home());
            worker.faults().refuseNext("GET", 2, 503);
            try (InputStream in = sandbox.download(sandbox.home() + "/workspace", List.of())) {
                assertThat(SafeExtractor.extract(in, dir.resolve("back"), p -> false).files()).isEqualTo(1);
            }
            assertThat(worker.requests().stream().filter(r -> r.startsWith("PUT")).count()).isEqualTo(2);
            assertThat(worker.requests().stream().filter(r -> r.startsWith("GET") && r.endsWith("/archive")).count()).isEqualTo(3);
        }
    }

    @Test
    void aFolderThatDoesNotExistHasNothingToDownload() throws Exception {
        try (Sandbox sandbox = create()) {
            assertThatThrownBy(() -> sandbox.download(sandbox.home() + "/nothing-here", List.of()).close())
                    .isInstanceOf(SandboxException.class).hasMessageContaining("nothing-here does not exist");
        }
    }

    @Test
    void aCommandThatCannotStartIsASandboxErrorNotAnExitCode() throws Exception {
        try (Sandbox sandbox = create()) {
            assertThatThrownBy(() -> sandbox.exec(new Sandbox.ExecSpec(List.of("/no/such/program"), Map.of(), sandbox.home(), null), new Recorder()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("could not run the command");
        }
    }

    @Test
    void aWrongTokenIsNamedWithItsFixAndNeverShownBeforeAnythingIsCreated() throws Exception {
        CloudflareProvider provider = provider(worker.url(), "wrong-token-wrong-token");
        assertThatThrownBy(() -> provider.prepare(Progress.NONE))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("refused CLOUDFLARE_SANDBOX_TOKEN").hasMessageContaining("cct cloudflare deploy")
                .hasMessageNotContaining("wrong-token-wrong-token").hasMessageNotContaining(TOKEN);
    }

    @Test
    void aWorkerWithoutItsSecretSaysHowToSetIt() throws Exception {
        try (FakeWorker unconfigured = FakeWorker.start(dir.resolve("bare"), "")) {
            assertThatThrownBy(() -> provider(unconfigured.url(), TOKEN).prepare(Progress.NONE))
                    .hasMessageContaining("wrangler secret put CLOUDFLARE_SANDBOX_TOKEN").hasMessageNotContaining(TOKEN);
        }
    }

    @Test
    void anUnreachableWorkerPointsAtTheDeployCommand() {
        assertThatThrownBy(() -> provider("http://127.0.0.1:1", TOKEN).prepare(Progress.NONE))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot reach the Worker at http://127.0.0.1:1").hasMessageContaining("cct cloudflare deploy")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aUrlThatIsNotTheWorkerIsToldApart() {
        assertThatThrownBy(() -> provider(worker.url() + "/elsewhere", TOKEN).prepare(Progress.NONE))
                .hasMessageContaining("is not cct's Worker").hasMessageContaining("cct cloudflare deploy");
    }

    @Test
    void aMalformedUrlOrTokenIsBadInputBeforeAnyCall() {
        for (String url : List.of("not a url", "ftp://x", "https://user:pw@host.example", "https://x.example/?token=1")) {
            assertThatThrownBy(() -> provider(url, TOKEN)).isInstanceOf(CctException.class)
                    .satisfies(e -> assertThat(((CctException) e).exitCode()).isEqualTo(2)).hasMessageNotContaining(TOKEN);
        }
        assertThatThrownBy(() -> provider(worker.url(), "two words")).isInstanceOf(CctException.class)
                .hasMessageNotContaining("two words");
        assertThat(worker.requests()).isEmpty();
    }

    @Test
    void theTokenNeverAppearsInDescriptions() throws Exception {
        CloudflareProvider provider = provider();
        try (Sandbox sandbox = create()) {
            assertThat(provider.toString() + sandbox + WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL,
                    worker.url(), Secrets.CLOUDFLARE_SANDBOX_TOKEN, TOKEN)))).doesNotContain(TOKEN).contains(worker.url());
        }
    }

    private static void waitFor(Path file) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !fileIsEmpty(file));
    }

    private static boolean fileIsEmpty(Path file) {
        try {
            return !Files.exists(file) || Files.readString(file).isBlank();
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
