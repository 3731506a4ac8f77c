package dev.cct.testing;

import dev.cct.archive.SafeExtractor;
import dev.cct.archive.TarWriter;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A sandbox that is a folder on this machine, for fast tests of the orchestrator. Its bin/ folder comes first on
 * PATH, so a test can put a stand-in {@code claude} there.
 */
public final class LocalSandbox implements Sandbox {
    private final Path root;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String loseOn;

    public LocalSandbox(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("home"));
            Files.createDirectories(root.resolve("bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path bin() {
        return root.resolve("bin");
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public String id() {
        return "local" + Integer.toHexString(root.hashCode()) + "0000";
    }

    @Override
    public String home() {
        return root.resolve("home").toString();
    }

    @Override
    public void upload(InputStream tar, String destination) throws SandboxException {
        check();
        try {
            SafeExtractor.extract(tar, Path.of(destination), path -> false);
        } catch (IOException e) {
            throw new SandboxException("upload failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        check();
        if (loseOn != null && String.join(" ", spec.command()).contains(loseOn)) {
            closed.set(true);
            throw new SandboxException("the sandbox expired");
        }
        ProcessBuilder builder = new ProcessBuilder(spec.command()).directory(Path.of(spec.workingDirectory()).toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin() + ":/usr/bin:/bin");
        builder.environment().put("HOME", home());
        builder.environment().putAll(spec.environment());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            Thread err = pump(process.getErrorStream(), listener, true);
            Thread out = pump(process.getInputStream(), listener, false);
            try {
                int code = process.waitFor();
                out.join();
                err.join();
                return code;
            } catch (InterruptedException e) {
                // Like the real providers: stop listening, leave the process to the orchestrator's stop command.
                throw e;
            }
        } catch (IOException e) {
            throw new SandboxException("exec failed: " + e.getMessage(), e);
        }
    }

    private static Thread pump(InputStream in, OutputListener listener, boolean stderr) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (stderr) {
                        listener.stderr(buffer, 0, n);
                    } else {
                        listener.stdout(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // Process gone.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        check();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            tar.addTree(Path.of(directory), "", relative -> excludeNames.stream().anyMatch(
                    name -> relative.equals(name) || relative.startsWith(name + "/") || relative.contains("/" + name + "/")
                            || relative.endsWith("/" + name)));
        } catch (IOException e) {
            throw new SandboxException("download failed: " + e.getMessage(), e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // Temp folder.
            }
        }
    }

    /** From the first command that contains {@code fragment} on, the sandbox is gone, as an expired one is. */
    public void loseOn(String fragment) {
        loseOn = fragment;
    }

    private void check() throws SandboxException {
        if (closed.get()) {
            throw new SandboxException("the sandbox is gone");
        }
    }
}
