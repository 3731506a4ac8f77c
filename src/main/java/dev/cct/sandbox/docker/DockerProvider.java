package dev.cct.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.Format;
import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.sandbox.SandboxProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker containers as sandboxes, hardened by default: every capability dropped, no-new-privileges, a non-root
 * user, memory, CPU and process limits, no host folder mounted (files travel as archives).
 */
public final class DockerProvider implements SandboxProvider {
    private final Environment environment;
    /** As given, then with the defaults lowered to what the engine has. */
    private DockerSettings settings;
    private DockerClient docker;
    /** Bulk transfers over the engine's Unix socket; null for other transports, which use the client. */
    private EngineSocket archives;
    private String image;
    private String gatewayImage;
    private Map<String, String> imageLabels = Map.of();

    public DockerProvider(Environment environment, DockerSettings settings) {
        this.environment = environment;
        this.settings = settings;
    }

    DockerClient docker() throws SandboxException {
        if (docker == null) {
            DockerEngine.Connected engine = DockerEngine.connect(environment);
            docker = engine.client();
            archives = EngineSocket.forHost(engine.host());
        }
        return docker;
    }

    @Override
    public void prepare(Progress progress) throws SandboxException, InterruptedException {
        DockerClient client = docker();
        String userImage = settings.image();
        try {
            checkLimitsFit(client.infoCmd().exec());
            if (userImage != null) {
                if (!DockerImage.exists(client, userImage)) {
                    throw new SandboxException("image " + userImage + " is not on this engine; pull or build it first"
                            + " (cct never pulls images on its own)");
                }
                image = userImage;
            } else {
                image = new DockerImage(environment).ensure(client, settings.rebuild(), progress);
            }
            if (settings.gateway()) {
                gatewayImage = DockerImage.gateway(environment).ensure(client, settings.rebuild(), progress);
            }
            var config = client.inspectImageCmd(image).exec().getConfig();
            imageLabels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
        } catch (DockerException e) {
            throw new SandboxException("the Docker engine refused: " + e.getMessage(), e);
        }
    }

    @Override
    public Sandbox create(SandboxLabels labels, Progress progress) throws SandboxException, InterruptedException {
        DockerClient client = docker();
        String name = "cct-" + labels.session().substring(0, 8);
        DockerGateway gateway = null;
        if (settings.gateway()) {
            progress.start("Starting the egress gateway (" + settings.egress().describe() + ")");
            gateway = DockerGateway.start(client, gatewayImage, name, labels.asMap(), outsideNetwork(),
                    GatewayConfig.files(settings.egress(), settings.relay()));
            progress.done("Egress gateway started");
        }
        // With a policy to keep, the internal network is the sandbox's only one; a gateway that only relays the key
        // is joined beside the usual network.
        boolean confined = !settings.egress().open();
        HostConfig host = HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(settings.memory().value())
                .withNanoCPUs(settings.cpus().value())
                .withPidsLimit(settings.pids().value())
                .withNetworkMode(confined ? gateway.network() : settings.networkMode())
                .withInit(true);
        List<String> env = new ArrayList<>();
        if (gateway != null) {
            Map<String, String> variables = confined ? GatewayConfig.sandboxEnvironment(settings.relay())
                    : GatewayConfig.relayEnvironment(settings.relay());
            variables.forEach((k, v) -> env.add(k + "=" + v));
        }
        progress.start("Starting container");
        try {
            CreateContainerResponse created;
            try {
                created = client.createContainerCmd(image)
                        .withName(name)
                        .withLabels(labels.asMap())
                        .withCmd("sleep", "infinity")
                        .withEnv(env)
                        .withHostConfig(host)
                        .exec();
            } catch (RuntimeException e) {
                if (gateway != null) {
                    gateway.close();
                }
                throw e;
            }
            // From here on the container exists: hand it back even if starting fails, so it is cleaned up.
            DockerSandbox sandbox = new DockerSandbox(client, archives, created.getId(), progress);
            if (gateway != null) {
                sandbox.behind(gateway, settings.relay() != null);
            }
            try {
                if (gateway != null && !confined) {
                    client.connectToNetworkCmd().withNetworkId(gateway.network()).withContainerId(created.getId()).exec();
                }
                client.startContainerCmd(created.getId()).exec();
                if (!sandbox.useDeclaredUser(imageLabels)) {
                    sandbox.inspectUser();
                }
            } catch (RuntimeException | SandboxException e) {
                sandbox.close();
                throw e instanceof SandboxException se ? se : new SandboxException("cannot start the container: " + e.getMessage(), e);
            }
            progress.done("Container " + Format.shortId(sandbox.id()) + " started");
            return sandbox;
        } catch (DockerException e) {
            throw new SandboxException("the Docker engine refused to create the container: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SandboxInfo> list() throws SandboxException {
        List<SandboxInfo> result = new ArrayList<>();
        try {
            for (Container c : docker().listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(SandboxLabels.SESSION)).exec()) {
                SandboxLabels labels = SandboxLabels.from(c.getLabels()).orElse(null);
                // A gateway is part of its sandbox: listed, reaped and removed with it, not on its own.
                boolean gateway = c.getLabels() != null && "gateway".equals(c.getLabels().get(DockerGateway.ROLE_LABEL));
                if (labels != null && !gateway) {
                    result.add(new SandboxInfo(c.getId(), "docker", c.getState(),
                            Instant.ofEpochSecond(c.getCreated()).toString(), labels));
                }
            }
        } catch (DockerException e) {
            throw new SandboxException("cannot list containers: " + e.getMessage(), e);
        }
        return result;
    }

    @Override
    public void remove(String id) throws SandboxException {
        try {
            List<String> networks = new ArrayList<>();
            String session;
            try {
                var inspected = docker().inspectContainerCmd(id).exec();
                Map<String, String> labels = inspected.getConfig().getLabels();
                session = labels == null ? null : labels.get(SandboxLabels.SESSION);
                if (labels != null && labels.get(DockerGateway.NETWORK_LABEL) != null) {
                    networks.add(labels.get(DockerGateway.NETWORK_LABEL));
                }
                if (inspected.getNetworkSettings() != null && inspected.getNetworkSettings().getNetworks() != null) {
                    inspected.getNetworkSettings().getNetworks().values().forEach(n -> networks.add(n.getNetworkID()));
                }
            } catch (NotFoundException e) {
                return;
            }
            docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            // Its gateway shares its session: removed with it, and then the network they shared.
            if (session != null) {
                for (Container gateway : docker().listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(SandboxLabels.SESSION, session, DockerGateway.ROLE_LABEL, "gateway")).exec()) {
                    if (gateway.getLabels() != null && gateway.getLabels().get(DockerGateway.NETWORK_LABEL) != null) {
                        networks.add(gateway.getLabels().get(DockerGateway.NETWORK_LABEL));
                    }
                    try {
                        docker().removeContainerCmd(gateway.getId()).withForce(true).exec();
                    } catch (NotFoundException gone) {
                        // Removed by its own run meanwhile.
                    }
                }
            }
            for (String network : networks) {
                if (network != null && ownNetwork(network)) {
                    DockerGateway.removeNetwork(docker(), network);
                }
            }
        } catch (NotFoundException e) {
            // Already gone: that is what we wanted.
        } catch (DockerException e) {
            throw new SandboxException("cannot remove container " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Limits the engine cannot give are bad input, found before an image is built or a container made; the
     * engine's own refusal would come only after "Starting container", as three lines of HTTP.
     */
    void checkLimitsFit(com.github.dockerjava.api.model.Info engine) {
        Integer engineCpus = engine.getNCPU();
        DockerSettings.Limit cpus = settings.cpus();
        if (engineCpus != null && engineCpus > 0 && cpus.value() > engineCpus * 1_000_000_000L) {
            if (cpus.given()) {
                throw CctException.badInput("--cpus " + cpus.text() + " is more than this Docker engine has (" + engineCpus + ")",
                        "give --cpus " + engineCpus + " or less");
            }
            // The default is a ceiling, not a demand.
            settings = settings.withCpus(new DockerSettings.Limit(Integer.toString(engineCpus), engineCpus * 1_000_000_000L, false));
        }
        Long engineMemory = engine.getMemTotal();
        DockerSettings.Limit memory = settings.memory();
        if (engineMemory != null && engineMemory > 0 && memory.value() > engineMemory) {
            long mib = engineMemory / (1024 * 1024);
            if (memory.given()) {
                throw CctException.badInput("--memory " + memory.text() + " is more than this Docker engine has (" + mib + "m)",
                        "give --memory " + mib + "m or less");
            }
            settings = settings.withMemory(new DockerSettings.Limit(mib + "m", mib * 1024 * 1024, false));
        }
    }

    /** Whether cct made {@code network} for a sandbox (it carries cct's labels), not one of the user's or the engine's. */
    private boolean ownNetwork(String network) {
        try {
            Map<String, String> labels = docker().inspectNetworkCmd().withNetworkId(network).exec().getLabels();
            return labels != null && labels.containsKey(SandboxLabels.SESSION);
        } catch (RuntimeException | SandboxException e) {
            return false;
        }
    }

    /** The network the gateway reaches the world through: the engine's default bridge, or CCT_DOCKER_GATEWAY_NETWORK. */
    private String outsideNetwork() {
        String outside = environment.get("CCT_DOCKER_GATEWAY_NETWORK");
        return outside == null || outside.isBlank() ? "bridge" : outside.trim();
    }

    /** The settings the next container gets. */
    DockerSettings settings() {
        return settings;
    }
}
