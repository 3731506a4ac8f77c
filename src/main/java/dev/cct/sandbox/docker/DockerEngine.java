package dev.cct.sandbox.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.cct.core.Environment;
import dev.cct.core.Json;
import dev.cct.sandbox.SandboxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds a Docker engine the way the docker CLI does, in order: DOCKER_HOST, the current docker context, the
 * standard socket. Each candidate gets two seconds to answer a ping; when none does, the error lists every attempt
 * and how to fix it.
 */
final class DockerEngine {
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final String STANDARD_SOCKET = "unix:///var/run/docker.sock";

    private DockerEngine() {
    }

    /** An engine that answered, and the address it answered on. */
    record Connected(DockerClient client, String host) {
    }

    static Connected connect(Environment environment) throws SandboxException {
        List<String> attempts = new ArrayList<>();
        for (String host : candidates(environment, attempts)) {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                    .withDockerTlsVerify(environment.get("DOCKER_TLS_VERIFY") != null && !"0".equals(environment.get("DOCKER_TLS_VERIFY")))
                    .withDockerCertPath(environment.get("DOCKER_CERT_PATH"))
                    .build();
            try (DockerClient probe = client(config, PING_TIMEOUT)) {
                probe.pingCmd().exec();
                return new Connected(client(config, null), host);
            } catch (Exception e) {
                attempts.add(host + ": " + reason(e));
            }
        }
        throw new SandboxException("no Docker engine answered within " + PING_TIMEOUT.toSeconds() + "s (tried "
                + String.join("; ", attempts) + "); start Docker (e.g. 'sudo systemctl start docker') or set DOCKER_HOST");
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(PING_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static List<String> candidates(Environment environment, List<String> attempts) {
        List<String> hosts = new ArrayList<>();
        String fromEnvironment = environment.get("DOCKER_HOST");
        if (fromEnvironment != null) {
            hosts.add(fromEnvironment);
            return hosts;
        }
        String fromContext = contextHost(environment, attempts);
        if (fromContext != null) {
            hosts.add(fromContext);
        }
        if (!hosts.contains(STANDARD_SOCKET)) {
            if (Files.exists(Path.of("/var/run/docker.sock"))) {
                hosts.add(STANDARD_SOCKET);
            } else {
                attempts.add("/var/run/docker.sock: no such socket");
            }
        }
        return hosts;
    }

    /** The endpoint of the current docker context (DOCKER_CONTEXT or ~/.docker/config.json), if not "default". */
    private static String contextHost(Environment environment, List<String> attempts) {
        String home = environment.get("HOME") != null ? environment.get("HOME") : System.getProperty("user.home");
        Path dockerConfig = environment.get("DOCKER_CONFIG") != null ? Path.of(environment.get("DOCKER_CONFIG")) : Path.of(home, ".docker");
        try {
            String name = environment.get("DOCKER_CONTEXT");
            if (name == null && Files.isRegularFile(dockerConfig.resolve("config.json"))) {
                name = Json.mapper().readTree(dockerConfig.resolve("config.json").toFile()).path("currentContext").asText(null);
            }
            if (name == null || name.isEmpty() || name.equals("default")) {
                return null;
            }
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
            Path meta = dockerConfig.resolve("contexts/meta/" + digest + "/meta.json");
            if (!Files.isRegularFile(meta)) {
                attempts.add("docker context '" + name + "': not found");
                return null;
            }
            JsonNode host = Json.mapper().readTree(meta.toFile()).path("Endpoints").path("docker").path("Host");
            return host.isTextual() ? host.asText() : null;
        } catch (Exception e) {
            attempts.add("docker context: " + reason(e));
            return null;
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " " + message.lines().findFirst().orElse(""));
    }
}
