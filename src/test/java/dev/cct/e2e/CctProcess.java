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
    }

    CctProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    CctProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
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
    void awaitStderr(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(stderrSoFar())) {
            if (System.nanoTime() > end || !process.isAlive()) {
                throw new AssertionError("stderr never matched; it was:\n" + stderrSoFar());
            }
            Thread.sleep(100);
        }
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
