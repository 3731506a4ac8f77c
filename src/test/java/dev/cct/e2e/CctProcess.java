package dev.cct.e2e;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built cct program, run as a separate process the way users run it. */
final class CctProcess {
    private final Path binary;
    private final Path workingDirectory;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Thread outPump;
    private Thread errPump;
    // A test's signals must not depend on how the suite was started: shells start background jobs with SIGINT
    // ignored, and a JVM that inherits that leaves SIGINT alone. So cct starts with SIGINT at its default.
    private String sigint = "--default-signal=INT";

    record Result(int code, String out, String err, long pid) {
    }

    CctProcess(Path workingDirectory) {
        String configured = System.getProperty("cct.binary");
        this.binary = Path.of(configured != null ? configured : "target/cct").toAbsolutePath();
        this.workingDirectory = workingDirectory;
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("build cct first (mvn package): " + binary);
        }
        for (String name : List.of("PATH", "HOME", "JAVA_HOME", "CCT_DOCKER_BASE_IMAGE", "CCT_EXTRA_CA_CERTS",
                "CCT_DOCKER_BUILD_NETWORK", "DOCKER_HOST", "XDG_CACHE_HOME")) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.put("CI", "true");
        // Unreachable on purpose: a run never asks the public catalog from a test; bundled names use their offline copy.
        environment.put("CCT_CATALOG_URL", "http://127.0.0.1:9/catalog");
    }

    CctProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts cct as {@code nohup} or a shell's background job would: with SIGINT ignored. */
    CctProcess withSigintIgnored() {
        sigint = "--ignore-signal=INT";
        return this;
    }

    CctProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", sigint));
        command.add(binary.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        process = builder.start();
        process.getOutputStream().close();
        outPump = pump(process.getInputStream(), out);
        errPump = pump(process.getErrorStream(), err);
        return this;
    }

    long pid() {
        return process.pid();
    }

    String stderrSoFar() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stderr shows something, for tests that act mid-run. */
    void awaitStderr(Predicate<String> condition, Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .failFast("cct ended first; stderr:\n" + stderrSoFar(), () -> !process.isAlive())
                .until(() -> condition.test(stderrSoFar()));
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cct did not end within " + timeout + "; stderr:\n" + stderrSoFar());
        }
        outPump.join(5000);
        errPump.join(5000);
        synchronized (out) {
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), stderrSoFar(), process.pid());
        }
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return start(args).await(timeout);
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // Process ended.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
