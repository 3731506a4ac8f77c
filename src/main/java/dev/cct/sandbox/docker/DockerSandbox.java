package dev.cct.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.cct.core.Progress;
import dev.cct.sandbox.CloseOnce;
import dev.cct.sandbox.MarkedProcesses;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One container. Commands run through the engine's exec API; files travel as tar archives. The engine has no
 * timeout for an exec, so a command's timeout is kept here: at the deadline a second exec kills every process of
 * the command, found by a mark in its environment that every process it starts inherits.
 */
final class DockerSandbox implements Sandbox {
    static final String USER_LABEL = "dev.cct.user";
    static final String HOME_LABEL = "dev.cct.home";
    /** The variable that marks the processes of one exec that has a timeout. */
    static final String EXEC_MARK = "CCT_EXEC_MARK";
    /**
     * Kills, as the command's own user, every process whose environment holds the mark {@code $1}; again while it
     * finds some, so that a process forked between the scan and the kill is found by the next scan. A process just
     * killed is a zombie with an empty environment, so the loop ends.
     */
    static final String KILL_SCRIPT = MarkedProcesses.SIGNAL_FUNCTION
            + "i=0; while signal_marked KILL \"$1\"; do i=$((i+1)); [ $i -ge 20 ] && exit 1; done; exit 0";
    /** How long the kill, and then the end of the killed command's output, may take. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    private final DockerClient docker;
    private final EngineSocket archives;
    private final String id;
    private final CloseOnce closing;
    private String home = "/home/claude";
    private String user;
    /** Between the sandbox and the outside, when an egress policy or a kept-out key asks for one; else null. */
    private DockerGateway gateway;
    private boolean credentialsOutside;

    DockerSandbox(DockerClient docker, EngineSocket archives, String id, Progress progress) {
        this.docker = docker;
        this.archives = archives;
        this.id = id;
        this.closing = new CloseOnce("the Docker container " + id, progress);
    }

    /** The gateway goes with the sandbox: removed after it, network and all. */
    void behind(DockerGateway gateway, boolean credentialsOutside) {
        this.gateway = gateway;
        this.credentialsOutside = credentialsOutside;
    }

    @Override
    public boolean credentialsOutside() {
        return credentialsOutside;
    }

    @Override
    public List<Blocked> blocked() {
        return gateway == null ? List.of() : gateway.blocked();
    }

    /** Takes the user ("uid:gid") and home an image declares in its labels, instead of asking the container. */
    boolean useDeclaredUser(Map<String, String> imageLabels) {
        String declared = imageLabels == null ? null : imageLabels.get(USER_LABEL);
        String declaredHome = imageLabels == null ? null : imageLabels.get(HOME_LABEL);
        if (declared == null || declaredHome == null || !declared.matches("\\d+:\\d+") || !declaredHome.startsWith("/")) {
            return false;
        }
        user = declared;
        home = declaredHome;
        return true;
    }

    /** Learns who commands run as, so uploads can be owned by that user. */
    void inspectUser() throws SandboxException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            code = exec(new ExecSpec(List.of("sh", "-c", "id -u; id -g; printf '%s' \"$HOME\""), java.util.Map.of(), "/",
                    null), new Collector(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while starting the container");
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        if (code != 0 || lines.length < 3) {
            throw new SandboxException("the container's shell does not work (exit " + code + "): " + out.toString(StandardCharsets.UTF_8).strip());
        }
        user = lines[0].strip() + ":" + lines[1].strip();
        home = lines[2].strip().isEmpty() || lines[2].strip().equals("/") ? "/tmp" : lines[2].strip();
    }

    /** The engine keeps the numeric owners of an uploaded tar, so entries must carry the exec user's ids. */
    @Override
    public Owner owner() {
        return user == null ? null : new Owner(Integer.parseInt(user.substring(0, user.indexOf(':'))),
                Integer.parseInt(user.substring(user.indexOf(':') + 1)));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String home() {
        return home;
    }

    @Override
    public void upload(InputStream tar, String destination) throws SandboxException {
        closing.checkOpen();
        if (archives != null) {
            try {
                archives.uploadArchive(id, destination, tar);
                return;
            } catch (java.io.IOException e) {
                throw new SandboxException("upload to the container failed: " + e.getMessage(), e);
            }
        }
        try {
            docker.copyArchiveToContainerCmd(id).withRemotePath(destination).withTarInputStream(tar).exec();
        } catch (DockerException e) {
            throw new SandboxException("upload to the container failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException {
        closing.checkOpen();
        List<String> environment = new ArrayList<>();
        spec.environment().forEach((k, v) -> environment.add(k + "=" + v));
        String mark = spec.timeout() == null ? null : EXEC_MARK + "=" + UUID.randomUUID();
        if (mark != null) {
            environment.add(mark);
        }
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                byte[] payload = frame.getPayload();
                if (frame.getStreamType() == StreamType.STDERR) {
                    listener.stderr(payload, 0, payload.length);
                } else {
                    listener.stdout(payload, 0, payload.length);
                }
            }
        };
        try {
            // Secrets travel in the exec's environment through the engine API, never in a command line.
            ExecCreateCmdResponse exec = docker.execCreateCmd(id).withCmd(spec.command().toArray(String[]::new))
                    .withEnv(environment).withWorkingDir(spec.workingDirectory()).withUser(user)
                    .withAttachStdout(true).withAttachStderr(true).exec();
            docker.execStartCmd(exec.getId()).exec(callback);
            boolean ended = true;
            try {
                if (mark == null) {
                    callback.awaitCompletion();
                } else {
                    ended = callback.awaitCompletion(Math.max(1, spec.timeout().toMillis()), TimeUnit.MILLISECONDS);
                }
                if (!ended) {
                    kill(mark);
                    // The stream ends once the killed processes' pipes are closed. One that cleared its environment
                    // escaped the mark and may hold them open: the command itself is dead, so stop listening anyway.
                    if (!callback.awaitCompletion(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
                        closeQuietly(callback);
                    }
                }
            } catch (InterruptedException e) {
                closeQuietly(callback);
                throw e;
            }
            checkNotDestroyed();
            if (!ended) {
                return TIMED_OUT;
            }
            Long code = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
            if (code == null) {
                throw new SandboxException("the command's exit status is unknown (the container stopped?)");
            }
            return code.intValue();
        } catch (NotFoundException e) {
            checkNotDestroyed();
            throw new SandboxException("the container is gone", e);
        } catch (RuntimeException e) {
            checkNotDestroyed();
            // docker-java also reports a broken attach stream as a bare RuntimeException around the I/O error.
            throw new SandboxException("exec in the container failed: " + e.getMessage(), e);
        }
    }

    /** A command cut short by close() ended because the container went, whatever its stream or status says. */
    private void checkNotDestroyed() throws SandboxException {
        if (closing.closed()) {
            throw new SandboxException("the Docker container " + id + " was destroyed while the command ran");
        }
    }

    /** Kills every process that carries {@code mark}, and waits (bounded) for that to be done. */
    private void kill(String mark) throws InterruptedException {
        ResultCallback.Adapter<Frame> done = new ResultCallback.Adapter<>();
        try {
            ExecCreateCmdResponse killer = docker.execCreateCmd(id).withCmd("sh", "-c", KILL_SCRIPT, "cct-kill", mark)
                    .withUser(user).withAttachStdout(true).withAttachStderr(true).exec();
            docker.execStartCmd(killer.getId()).exec(done);
            if (!done.awaitCompletion(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
                closeQuietly(done);
            }
        } catch (RuntimeException e) {
            // The container is going or gone: its processes go with it.
            closeQuietly(done);
        }
    }

    @Override
    public InputStream download(String directory, List<String> excludeNames) throws SandboxException {
        closing.checkOpen();
        // "dir/." makes the engine name entries relative to dir ("./a/b") instead of "dir/a/b".
        String path = directory.endsWith("/") ? directory + "." : directory + "/.";
        if (archives != null) {
            try {
                return archives.downloadArchive(id, path);
            } catch (EngineSocket.EngineRefusal e) {
                throw new SandboxException(e.status == 404 ? "nothing to download: " + directory + " does not exist in the container"
                        : "download from the container failed: " + e.getMessage(), e);
            } catch (java.io.IOException e) {
                throw new SandboxException("download from the container failed: " + e.getMessage(), e);
            }
        }
        try {
            return docker.copyArchiveFromContainerCmd(id, path).exec();
        } catch (NotFoundException e) {
            throw new SandboxException("nothing to download: " + directory + " does not exist in the container", e);
        } catch (DockerException e) {
            throw new SandboxException("download from the container failed: " + e.getMessage(), e);
        }
    }

    /** Removes the container, and with it everything running in it; see {@link Sandbox#close()}. */
    @Override
    public boolean destroyed() {
        return closing.destroyed();
    }

    @Override
    public void close() {
        closing.close(() -> {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // Already gone.
            }
            if (gateway != null) {
                gateway.close();
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // The exec is abandoned anyway.
        }
    }

    /** Collects stdout only (stderr is dropped). */
    private record Collector(ByteArrayOutputStream out) implements OutputListener {
        @Override
        public void stdout(byte[] data, int offset, int length) {
            out.write(data, offset, length);
        }

        @Override
        public void stderr(byte[] data, int offset, int length) {
        }
    }
}
