package dev.cct.sandbox.e2b;

import dev.cct.core.Progress;
import dev.cct.sandbox.CapturedOutput;
import dev.cct.sandbox.CloseOnce;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One E2B sandbox. Files travel as one tar written with one request and unpacked by one process (and the reverse);
 * commands stream through envd and leave a record inside the sandbox, so that a stream cut mid-run loses nothing
 * ({@link ExecFollower}).
 */
final class E2bSandbox implements Sandbox {
    /** Where cct keeps its own files in the sandbox, outside the workspace so they never come back as results. */
    static final String STATE = ".cct";
    private static final Duration SHORT_COMMAND = Duration.ofMinutes(2);

    private final E2bApi api;
    private final Envd envd;
    private final String id;
    private final Lifetime lifetime;
    private final ExecFollower follower;
    private final CloseOnce closing;
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile String home = "/home/" + Envd.USER;

    E2bSandbox(E2bApi api, Envd envd, String id, Progress progress, Lifetime lifetime) {
        this.api = api;
        this.envd = envd;
        this.id = id;
        this.lifetime = lifetime;
        this.follower = new ExecFollower(api, envd, id, progress);
        this.closing = new CloseOnce("the E2B sandbox " + id, progress);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String home() {
        return home;
    }

    /**
     * Asks the sandbox for its home folder (learning {@link #home()}); run before anything else, it also proves that
     * processes start.
     */
    void probe() throws SandboxException, InterruptedException {
        CapturedOutput.Result probe = direct("printf '%s\\n' \"$HOME\"");
        String[] lines = probe.stdout().split("\n", -1);
        if (probe.code() != 0 || lines.length < 1 || !lines[0].startsWith("/")) {
            throw new SandboxException("the sandbox's shell does not work (exit " + probe.code() + "): " + probe.stderr().strip());
        }
        home = lines[0].strip();
    }

    @Override
    public void upload(InputStream tar, String destination) throws SandboxException {
        closing.checkOpen();
        String archive = stateFile("upload-" + sequence.incrementAndGet() + ".tar");
        try {
            envd.writeFile(archive, tar, Envd.USER);
            CapturedOutput.Result unpack = capture(List.of("sh", "-c", "mkdir -p \"$1\" && tar -xf \"$2\" -C \"$1\" && rm -f \"$2\"",
                    "unpack", destination, archive), SHORT_COMMAND);
            if (unpack.code() != 0) {
                throw new SandboxException("unpacking the upload in the sandbox failed (exit " + unpack.code() + "): "
                        + unpack.lastErrorLine());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted during the upload", e);
        }
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        closing.checkOpen();
        String archive = stateFile("download-" + sequence.incrementAndGet() + ".tar");
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "d=$1; f=$2; shift 2; cd \"$d\" || exit 66; exec tar -cf \"$f\" \"$@\" .", "pack", directory, archive));
        excludeNames.forEach(name -> command.add("--exclude=" + name));
        try {
            CapturedOutput.Result pack = capture(command, SHORT_COMMAND);
            if (pack.code() == 66) {
                throw new SandboxException("nothing to download: " + directory + " does not exist in the sandbox");
            }
            // GNU tar exits 1 when a file changed while it was read: the archive is still complete and usable.
            if (pack.code() != 0 && pack.code() != 1) {
                throw new SandboxException("packing the results in the sandbox failed (exit " + pack.code() + "): "
                        + pack.lastErrorLine());
            }
            InputStream in = envd.openFile(archive, Envd.USER);
            if (in == null) {
                throw new SandboxException("the results archive vanished from the sandbox before it was read");
            }
            return in;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted during the download", e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        closing.checkOpen();
        ExecRecord record = new ExecRecord(stateFile("exec"), "exec-" + sequence.incrementAndGet());
        List<String> args = new ArrayList<>(List.of("-l"));
        args.addAll(record.bashArgs(spec.command()));
        // envd kills the process at its Connect deadline: that is the command's timeout.
        ProcessSpec process = new ProcessSpec("/bin/bash", args, spec.environment(), spec.workingDirectory(), record.name(),
                spec.timeout(), Envd.USER);
        return follower.followRecorded(process, record, listener);
    }

    /** A path under cct's own folder in the sandbox. */
    private String stateFile(String name) {
        return home + "/" + STATE + "/" + name;
    }

    /** A short command of cct's own, recorded like any other, its output collected. */
    private CapturedOutput.Result capture(List<String> command, Duration timeout) throws SandboxException, InterruptedException {
        CapturedOutput collector = new CapturedOutput();
        int code = exec(new ExecSpec(command, Map.of(), home, timeout), collector);
        return collector.result(code);
    }

    /** A short script run without a record: for the first command, before the home folder is known. */
    private CapturedOutput.Result direct(String script) throws SandboxException, InterruptedException {
        ProcessSpec process = new ProcessSpec("/bin/bash", List.of("-l", "-c", script), Map.of(), null, null, SHORT_COMMAND,
                Envd.USER);
        CapturedOutput collector = new CapturedOutput();
        ExecFollower.Ending ending = follower.followUnrecorded(process, collector);
        if (ending.kind() != ExecFollower.EndKind.EXITED) {
            throw new SandboxException("the sandbox's first command did not finish (" + ending.detail() + ")");
        }
        return collector.result(ending.exitCode());
    }

    /** Kills the sandbox through the REST API; see {@link Sandbox#close()}. */
    @Override
    public boolean destroyed() {
        return closing.destroyed();
    }

    @Override
    public void close() {
        closing.close(() -> {
            lifetime.stop();
            api.kill(id);
        });
    }

    @Override
    public String toString() {
        return "E2bSandbox[" + id + "]";
    }
}
