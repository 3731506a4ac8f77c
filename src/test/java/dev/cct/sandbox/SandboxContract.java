package dev.cct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cct.archive.TarWriter;
import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox.ExecSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Sandbox}'s Javadoc, checked the same way for every provider, in-process: the provider's classes are
 * called directly, against the fakes (Docker against a real engine). A subclass says only how to make a provider
 * and how to make its next destroy fail.
 */
@Timeout(180)
public abstract class SandboxContract {
    /** How long a step that should take a moment may take on a slow, busy machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);
    /** "Within a few seconds" of a command's timeout: the kill, and the end of its output. */
    private static final Duration AFTER_TIMEOUT = Duration.ofSeconds(4);

    /** A new provider for this subclass's sandboxes; the contract prepares it. Also used to clean up. */
    protected abstract SandboxProvider newProvider() throws Exception;

    /** Makes {@code provider}'s next destroy of {@code sandbox} fail, every retry of it included. */
    protected abstract void failNextDestroy(SandboxProvider provider, Sandbox sandbox) throws Exception;

    private SandboxProvider provider;
    private final Notices progress = new Notices();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-contract");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void prepare() throws Exception {
        provider = newProvider();
        provider.prepare(Progress.NONE);
    }

    /** A destroy the test made fail leaves its sandbox behind, on purpose: a provider of its own removes it. */
    @AfterEach
    void removeWhatIsLeft() throws Exception {
        background.shutdownNow();
        if (created.isEmpty()) {
            return;
        }
        SandboxProvider cleaner = newProvider();
        Set<String> left = ids(cleaner);
        for (String id : created) {
            if (left.contains(id)) {
                cleaner.remove(id);
            }
        }
    }

    @Test
    void anUploadedTarComesBackWithTheSameEntries() throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        byte[] binary = new byte[3 * 256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        files.put("blob.bin", binary);
        files.put(".hidden", "not shown by ls\n".getBytes(StandardCharsets.UTF_8));
        files.put("nested/deeper/leaf.txt", "héllo ✓\n".getBytes(StandardCharsets.UTF_8));
        files.put("empty", new byte[0]);
        files.put("run.sh", "#!/bin/sh\necho ran\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(tar)) {
            writer.addDirectory("contract");
            writer.addDirectory("contract/nested");
            writer.addDirectory("contract/nested/deeper");
            writer.addDirectory("contract/empty-folder");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writer.addFile("contract/" + file.getKey(), file.getValue(), file.getKey().equals("run.sh"));
            }
        }
        try (Sandbox sandbox = create()) {
            sandbox.upload(new ByteArrayInputStream(tar.toByteArray()), sandbox.home());
            Entries back;
            try (InputStream in = sandbox.download(sandbox.home() + "/contract", List.of())) {
                back = Entries.read(in);
            }
            assertThat(back.files).isEqualTo(hex(files));
            assertThat(back.folders).containsExactlyInAnyOrder("nested", "nested/deeper", "empty-folder");
            assertThat(back.executables).containsExactly("run.sh");
        }
    }

    @Test
    void execStreamsStdoutAndStderrApartAndReturnsTheExitCode() throws Exception {
        try (Sandbox sandbox = create()) {
            CapturedOutput ok = new CapturedOutput();
            assertThat(sandbox.exec(sh(sandbox, "printf 'out 1\\n'; printf 'err 1\\n' >&2; printf 'out 2\\n'"), ok)).isZero();
            assertThat(ok.stdout()).isEqualTo("out 1\nout 2\n");
            assertThat(ok.stderr()).isEqualTo("err 1\n");

            CapturedOutput failed = new CapturedOutput();
            assertThat(sandbox.exec(sh(sandbox, "printf partial; printf 'went wrong' >&2; exit 3"), failed)).isEqualTo(3);
            assertThat(failed.stdout()).isEqualTo("partial");
            assertThat(failed.stderr()).isEqualTo("went wrong");
        }
    }

    /** Output comes while the command runs, and a second command runs meanwhile (how the run stops Claude). */
    @Test
    void outputArrivesAsItComesWhileASecondCommandRuns() throws Exception {
        try (Sandbox sandbox = create()) {
            CapturedOutput output = new CapturedOutput();
            Future<Integer> first = inBackground(() -> sandbox.exec(sh(sandbox,
                    "echo first; while [ ! -e go ]; do sleep 0.1; done; echo second"), output));
            await().atMost(FEW_SECONDS).until(() -> output.stdout().equals("first\n"));
            assertThat(first).isNotDone();
            assertThat(sandbox.exec(sh(sandbox, "touch go"), new CapturedOutput())).isZero();
            assertThat(first.get(FEW_SECONDS.toSeconds(), TimeUnit.SECONDS)).isZero();
            assertThat(output.stdout()).isEqualTo("first\nsecond\n");
        }
    }

    @Test
    void execRunsInTheWorkingDirectoryWithTheEnvironmentGiven() throws Exception {
        try (Sandbox sandbox = create()) {
            String folder = sandbox.home() + "/some place";
            assertThat(sandbox.exec(new ExecSpec(List.of("mkdir", "-p", folder), Map.of(), sandbox.home(), FEW_SECONDS),
                    new CapturedOutput())).isZero();
            CapturedOutput output = new CapturedOutput();
            String tricky = "hi there; $(not expanded) `nor this` * \"quoted\"";
            int code = sandbox.exec(new ExecSpec(List.of("sh", "-c", "pwd; printf '%s|%s' \"$GREETING\" \"$SECOND\""),
                    Map.of("GREETING", tricky, "SECOND", "two"), folder, FEW_SECONDS), output);
            assertThat(code).as(output.stderr()).isZero();
            assertThat(output.stdout()).isEqualTo(folder + "\n" + tricky + "|two");
        }
    }

    @Test
    void aCommandPastItsTimeoutIsKilledWithWhatItStartedAndExecReturns124() throws Exception {
        try (Sandbox sandbox = create()) {
            CapturedOutput output = new CapturedOutput();
            long started = System.nanoTime();
            int code = sandbox.exec(new ExecSpec(List.of("sh", "-c",
                    "sleep 60 & echo $! > child.pid; echo $$ > shell.pid; echo started; wait; echo after"),
                    Map.of(), sandbox.home(), Duration.ofSeconds(2)), output);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(code).as(output.stderr()).isEqualTo(Sandbox.TIMED_OUT);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900)).isLessThan(Duration.ofSeconds(2).plus(AFTER_TIMEOUT));
            assertThat(output.stdout()).isEqualTo("started\n");
            await().atMost(FEW_SECONDS).untilAsserted(() -> assertThat(stillRunning(sandbox, "shell.pid", "child.pid")).isEmpty());
        }
    }

    /** The run stops Claude by its own command after an interrupt: the interrupt must not have killed it. */
    @Test
    void anInterruptEndsTheWaitAndTheCommandGoesOn() throws Exception {
        try (Sandbox sandbox = create()) {
            CapturedOutput output = new CapturedOutput();
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            Thread follower = new Thread(() -> {
                try {
                    sandbox.exec(sh(sandbox, "echo $$ > waiter.pid; echo started; while [ ! -e stop ]; do sleep 0.1; done"), output);
                } catch (Throwable t) {
                    thrown.add(t);
                }
            });
            follower.start();
            await().atMost(FEW_SECONDS).until(() -> output.stdout().equals("started\n"));
            follower.interrupt();
            follower.join(FEW_SECONDS.toMillis());
            assertThat(follower.isAlive()).isFalse();
            assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
            assertThat(stillRunning(sandbox, "waiter.pid")).hasSize(1);
            assertThat(sandbox.exec(sh(sandbox, "touch stop"), new CapturedOutput())).isZero();
        }
    }

    /** Each caller learns, right as its close returns, whether the sandbox is still listed: neither may see it. */
    @Test
    void closeFromTwoThreadsAtOnceReturnsInBothOnlyOnceTheSandboxIsGone() throws Exception {
        Sandbox sandbox = create();
        String id = sandbox.id();
        assertThat(ids(provider)).contains(id);
        assertThat(sandbox.destroyed()).isFalse();
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Set<String>> close = () -> {
            together.await();
            sandbox.close();
            return ids(provider);
        };
        List<Future<Set<String>>> both = List.of(inBackground(close), inBackground(close));
        for (Future<Set<String>> listed : both) {
            assertThat(listed.get(FEW_SECONDS.toSeconds() * 6, TimeUnit.SECONDS)).doesNotContain(id);
        }
        sandbox.close();
        assertThat(ids(provider)).doesNotContain(id);
        assertThat(sandbox.destroyed()).isTrue();
        assertThat(progress.notices).isEmpty();
    }

    @Test
    void aFailedDestroyIsReportedOnceAsOneLineNamingTheSandboxAndTheWayOutAndNeverThrown() throws Exception {
        Sandbox sandbox = create();
        failNextDestroy(provider, sandbox);
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Void> close = () -> {
            together.await();
            sandbox.close();
            return null;
        };
        List<Future<Void>> both = List.of(inBackground(close), inBackground(close));
        for (Future<Void> closed : both) {
            closed.get(FEW_SECONDS.toSeconds() * 6, TimeUnit.SECONDS);
        }
        sandbox.close();
        assertThat(progress.notices).singleElement().asString()
                .contains(sandbox.id(), "run 'cct sandboxes clean'").doesNotContain("\n", "\r");
        assertThat(sandbox.destroyed()).as("a sandbox that still stands is not called destroyed").isFalse();
    }

    @Test
    void afterCloseEveryOperationFailsWithSandboxExceptionAtOnce() throws Exception {
        Sandbox sandbox = create();
        String home = sandbox.home();
        sandbox.close();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(tar)) {
            writer.addFile("late.txt", "too late\n".getBytes(StandardCharsets.UTF_8), false);
        }
        assertTimeoutPreemptively(FEW_SECONDS, () -> {
            assertThatThrownBy(() -> sandbox.exec(sh(sandbox, "true"), new CapturedOutput())).isInstanceOf(SandboxException.class);
            assertThatThrownBy(() -> sandbox.upload(new ByteArrayInputStream(tar.toByteArray()), home))
                    .isInstanceOf(SandboxException.class);
            assertThatThrownBy(() -> sandbox.download(home, List.of()).close()).isInstanceOf(SandboxException.class);
        });
    }

    @Test
    void aCommandRunningWhenTheSandboxIsClosedEndsWithSandboxException() throws Exception {
        Sandbox sandbox = create();
        CapturedOutput output = new CapturedOutput();
        Future<Integer> running = inBackground(() -> sandbox.exec(new ExecSpec(List.of("sh", "-c", "echo started; sleep 60"),
                Map.of(), sandbox.home(), null), output));
        await().atMost(FEW_SECONDS).until(() -> output.stdout().equals("started\n"));
        sandbox.close();
        assertThatThrownBy(() -> running.get(FEW_SECONDS.toSeconds() * 2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SandboxException.class);
    }

    private Sandbox create() throws Exception {
        Sandbox sandbox = provider.create(SandboxLabels.forThisProcess(), progress);
        created.add(sandbox.id());
        return sandbox;
    }

    private <T> Future<T> inBackground(Callable<T> task) {
        return background.submit(task);
    }

    private static Set<String> ids(SandboxProvider provider) throws SandboxException {
        Set<String> ids = new TreeSet<>();
        provider.list().forEach(info -> ids.add(info.id()));
        return ids;
    }

    private static ExecSpec sh(Sandbox sandbox, String script) {
        return new ExecSpec(List.of("sh", "-c", script), Map.of(), sandbox.home(), Duration.ofSeconds(30));
    }

    /**
     * The processes named by pid files in the home folder that still run, one line each; a pid file that is
     * missing is a line too, so a command that never wrote it cannot pass for one that was killed. A zombie has
     * ended: only its parent has not looked yet.
     */
    private static List<String> stillRunning(Sandbox sandbox, String... pidFiles) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "for f in \"$@\"; do p=$(cat \"$f\" 2>/dev/null) || { echo \"$f: missing\"; continue; }; "
                + "s=$(cut -d' ' -f3 \"/proc/$p/stat\" 2>/dev/null); if [ -n \"$s\" ] && [ \"$s\" != Z ]; then echo \"$f: $p is $s\"; fi; done",
                "still-running"));
        command.addAll(List.of(pidFiles));
        CapturedOutput output = new CapturedOutput();
        int code = sandbox.exec(new ExecSpec(command, Map.of(), sandbox.home(), FEW_SECONDS), output);
        assertThat(code).isZero();
        List<String> lines = new ArrayList<>(output.stdout().lines().toList());
        output.stderr().lines().map(line -> "error: " + line).forEach(lines::add);
        return lines;
    }

    private static Map<String, String> hex(Map<String, byte[]> files) {
        Map<String, String> hex = new TreeMap<>();
        files.forEach((name, content) -> hex.put(name, HexFormat.of().formatHex(content)));
        return hex;
    }

    /** What a downloaded tar holds, by name relative to the folder: file contents (hex), folders, executables. */
    private record Entries(Map<String, String> files, Set<String> folders, Set<String> executables) {
        static Entries read(InputStream in) throws IOException {
            Entries entries = new Entries(new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().replaceFirst("^(\\./)+", "").replaceFirst("/+$", "");
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (entry.isDirectory()) {
                    entries.folders.add(name);
                } else {
                    entries.files.put(name, HexFormat.of().formatHex(tar.readAllBytes()));
                    if ((entry.getMode() & 0100) != 0) {
                        entries.executables.add(name);
                    }
                }
            }
            return entries;
        }
    }

    /** The Progress sandboxes are created with: what they noticed is kept, the steps are not. */
    private static final class Notices implements Progress {
        final List<String> notices = new CopyOnWriteArrayList<>();

        @Override
        public void start(String step) {
        }

        @Override
        public void update(String detail) {
        }

        @Override
        public void done(String summary) {
        }

        @Override
        public void notice(String message) {
            notices.add(message);
        }
    }
}
