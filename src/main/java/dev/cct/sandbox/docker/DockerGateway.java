package dev.cct.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import dev.cct.archive.TarWriter;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The sandbox's only way out: an internal network with no route anywhere, which the sandbox alone is on, and a
 * gateway container on that network and the outside one. The gateway is labelled like its sandbox, so that a cct
 * that died leaves nothing a later run cannot find and remove, network included.
 */
final class DockerGateway implements AutoCloseable {
    /** On the gateway: the internal network it serves, so that removing an orphaned gateway removes it too. */
    static final String NETWORK_LABEL = "dev.cct.network";
    static final String ROLE_LABEL = "dev.cct.role";
    private static final Duration READY = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final String network;
    private final String container;

    private DockerGateway(DockerClient docker, String network, String container) {
        this.docker = docker;
        this.network = network;
        this.container = container;
    }

    /**
     * Creates the network and the gateway and waits until its proxy answers. On failure whatever was made is removed
     * before the exception leaves.
     *
     * @param outside the network the gateway reaches the world through (the engine's default bridge unless set)
     */
    static DockerGateway start(DockerClient docker, String image, String name, Map<String, String> labels, String outside,
                               Map<String, String> files) throws SandboxException, InterruptedException {
        String network;
        try {
            network = docker.createNetworkCmd().withName(name).withInternal(true).withCheckDuplicate(true)
                    .withLabels(labels).exec().getId();
        } catch (DockerException e) {
            throw new SandboxException("the Docker engine refused to create the sandbox's network: " + e.getMessage(), e);
        }
        DockerGateway gateway = new DockerGateway(docker, network, null);
        try {
            Map<String, String> own = new LinkedHashMap<>(labels);
            own.put(ROLE_LABEL, "gateway");
            own.put(NETWORK_LABEL, network);
            HostConfig host = HostConfig.newHostConfig().withNetworkMode(outside).withInit(true)
                    .withSecurityOpts(List.of("no-new-privileges")).withMemory(512L * 1024 * 1024).withPidsLimit(256L);
            String id = docker.createContainerCmd(image).withName(name + "-gateway").withLabels(own)
                    .withCmd("sh", "-c", GatewayConfig.START).withHostConfig(host).exec().getId();
            gateway = new DockerGateway(docker, network, id);
            // The configuration goes in as a file before the start: it never shows in the container's inspect.
            docker.copyArchiveToContainerCmd(id).withRemotePath("/").withTarInputStream(new ByteArrayInputStream(tar(files))).exec();
            docker.connectToNetworkCmd().withNetworkId(network).withContainerId(id)
                    .withContainerNetwork(new ContainerNetwork().withAliases(GatewayConfig.ALIAS)).exec();
            docker.startContainerCmd(id).exec();
            gateway.awaitReady();
            return gateway;
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            gateway.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e instanceof SandboxException se ? se : new SandboxException("cannot start the sandbox's gateway: " + e.getMessage(), e);
        }
    }

    /** The internal network's id: the sandbox's only network. */
    String network() {
        return network;
    }

    private void awaitReady() throws SandboxException, InterruptedException {
        long until = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < until) {
            String log = read(GatewayConfig.READY_LOG);
            if (log != null && log.contains("Accepting HTTP Socket connections")) {
                return;
            }
            var state = docker.inspectContainerCmd(container).exec().getState();
            if (state != null && Boolean.FALSE.equals(state.getRunning())) {
                throw new SandboxException("the sandbox's gateway stopped at once (exit " + state.getExitCodeLong() + ")"
                        + (log == null ? "" : ": " + lastLine(log)));
            }
            Thread.sleep(100);
        }
        throw new SandboxException("the sandbox's gateway did not start within " + READY.toSeconds() + "s");
    }

    /** What the proxy refused, from its log; empty when the log cannot be read (the gateway is gone already). */
    List<Sandbox.Blocked> blocked() {
        try {
            String log = read(GatewayConfig.ACCESS_LOG);
            return log == null ? List.of() : GatewayConfig.blocked(log);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** A file of the gateway's, or null when it does not exist yet. */
    private String read(String path) {
        try (InputStream tar = docker.copyArchiveFromContainerCmd(container, path).exec();
             TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
            if (entries.getNextEntry() == null) {
                return null;
            }
            return new String(entries.readAllBytes(), StandardCharsets.UTF_8);
        } catch (NotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the gateway, then the network; each at most once, and quietly when gone already. */
    @Override
    public void close() {
        if (container != null) {
            try {
                docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                // Gone already.
            } catch (DockerException e) {
                // The network's removal below fails too, and says so; a later run reaps both.
            }
        }
        removeNetwork(docker, network);
    }

    /** Removes a sandbox network; true when it is gone. One still in use by a container is left for its reaper. */
    static boolean removeNetwork(DockerClient docker, String network) {
        if (network == null) {
            return true;
        }
        try {
            docker.removeNetworkCmd(network).exec();
            return true;
        } catch (NotFoundException e) {
            return true;
        } catch (DockerException e) {
            return false;
        }
    }

    /** The files by path below the root, as the archive the engine unpacks at "/". */
    private static byte[] tar(Map<String, String> files) throws SandboxException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((path, text) -> entries.put(path.substring(1), text.getBytes(StandardCharsets.UTF_8)));
        try {
            return TarWriter.of(entries);
        } catch (IOException e) {
            throw new SandboxException("cannot pack the gateway's configuration: " + e.getMessage(), e);
        }
    }

    private static String lastLine(String log) {
        List<String> lines = log.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
