package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.testing.DockerEngineCheck;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --egress allowlist} on the real engine, every packet between containers on a network this test makes: a
 * host Claude may reach and one it may not, both serving HTTP, HTTPS and UDP, and the scripted fake model in a container of
 * its own that answers only calls carrying the real key. Claude (the real CLI) runs probes of every way out; only the
 * allowed host through the proxy works, the summary counts the refusals, and the key is nowhere in the sandbox.
 */
class DockerEgressIT {
    private static final String KEY = "sk-ant-egress-secret-4242";
    private static final Duration LIMIT = Duration.ofMinutes(6);
    private static String image;

    @TempDir
    Path dir;
    private String network;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void engine() throws Exception {
        DockerEngineCheck.requireEngine();
        // The hosts run on the host's own Java, mounted into the base image the sandbox is built from.
        String base = System.getenv("CCT_DOCKER_BASE_IMAGE");
        image = base == null || base.isBlank() ? "debian:bookworm-slim" : base;
        Assumptions.assumeTrue(!docker("images", "-q", image).isBlank(), "the image " + image + " is not on this engine");
    }

    @BeforeEach
    void network() throws Exception {
        network = "cct-egress-it-" + UUID.randomUUID().toString().substring(0, 8);
        docker("network", "create", network);
    }

    @AfterEach
    void remove() throws Exception {
        for (String container : containers) {
            docker("rm", "-f", container);
        }
        docker("network", "rm", network);
    }

    @Test
    void anAllowListLetsOnlyItsHostsThroughAndKeepsTheKeyOutOfTheSandbox() throws Exception {
        String allowed = java("allowed", "allowed.test", "dev.cct.testing.EgressTargetMain", "serve", "allowed");
        String blocked = java("blocked", "blocked.test", "dev.cct.testing.EgressTargetMain", "serve", "blocked");
        for (String container : containers) {
            await().atMost(Duration.ofMinutes(1)).until(() -> docker("logs", container).contains("listening"));
        }
        CctProcess cct = cctWithModel(30);
        String allowedIp = address(allowed);
        String blockedIp = address(blocked);
        // The hosts are there for whoever may reach them: the sandbox's failures below are the policy's doing.
        assertThat(runJava("dev.cct.testing.EgressTargetMain", "probe", blockedIp)).contains("tcp ok udp ok");

        CctProcess process = cct.start("--sandbox", "docker", "--egress", "allowlist", "--allow-host", "allowed.test",
                "--env", "BLOCKED_IP=" + blockedIp, "--env", "ALLOWED_IP=" + allowedIp, "--env", "CLAUDE_CODE_MAX_RETRIES=0",
                "--prompt", "probe every way out", "--output", "out", "--output-format", "json");
        long pid = process.pid();

        // Mid-run, once the probes are written and the model holds its last answer: look for the key everywhere.
        String[] sandbox = new String[1];
        await().atMost(LIMIT).until(() -> {
            sandbox[0] = sandboxOf(pid);
            return sandbox[0] != null && docker("exec", sandbox[0], "sh", "-c",
                    "test -s /home/claude/workspace/probes.txt && echo yes").contains("yes");
        });
        assertThat(docker("inspect", sandbox[0])).doesNotContain(KEY).contains("cct-credential-kept-outside");
        String environ = docker("exec", sandbox[0], "sh", "-c", "cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'");
        assertThat(environ).contains("ANTHROPIC_BASE_URL=http://cct-gateway:8080").doesNotContain(KEY);
        String files = docker("exec", "-u", "0", sandbox[0], "grep", "-rlsF", "--exclude-dir=proc", "--exclude-dir=sys",
                "--exclude-dir=dev", "--", KEY, "/");
        assertThat(files).as("files in the sandbox holding the key").isBlank();

        CctProcess.Result result = process.await(LIMIT);
        assertThat(result.code()).as(result.err()).isZero();
        String probes = Files.readString(dir.resolve("out/probes.txt"));
        assertThat(probes).contains("allowed-http ok 200", "allowed-https ok 200", "blocked-http fail", "blocked-https fail", "allowed-other-port fail",
                "direct-tcp fail", "direct-tcp-allowed fail", "dns-blocked fail", "dns-outside fail", "udp fail");
        JsonNode summary = Json.mapper().readTree(result.out().strip());
        assertThat(summary.path("egress").path("policy").asText()).isEqualTo("allowlist");
        Set<String> refused = new LinkedHashSet<>();
        summary.path("egress").path("blocked").forEach(b -> refused.add(b.path("target").asText()));
        assertThat(refused).contains("blocked.test:80", "blocked.test:443", "allowed.test:8080");
        assertThat(result.out() + result.err()).doesNotContain(KEY);
        assertThat(DockerEngineCheck.containersOwnedBy(pid)).isEmpty();
        assertThat(networksOwnedBy(pid)).isEmpty();
    }

    /** --keys-outside with open egress: the sandbox keeps its usual network, and still never holds the key. */
    @Test
    void keysOutsideWithOpenEgressStillKeepTheKeyOutOfTheSandbox() throws Exception {
        CctProcess process = cctWithModel(1).start("--sandbox", "docker", "--keys-outside", "--env", "BLOCKED_IP=192.0.2.1",
                "--env", "ALLOWED_IP=192.0.2.2", "--env", "CLAUDE_CODE_MAX_RETRIES=0", "--prompt", "probe", "--output", "out",
                "--output-format", "json");
        String[] sandbox = new String[1];
        await().atMost(LIMIT).until(() -> (sandbox[0] = sandboxOf(process.pid())) != null);
        assertThat(docker("inspect", sandbox[0])).doesNotContain(KEY).contains("cct-credential-kept-outside");
        CctProcess.Result result = process.await(LIMIT);
        // The fake model answers only calls that carry the real key: the gateway added it on the way.
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(Json.mapper().readTree(result.out().strip()).path("egress").path("policy").asText()).isEqualTo("open");
        assertThat(DockerEngineCheck.containersOwnedBy(result.pid())).isEmpty();
        assertThat(networksOwnedBy(result.pid())).isEmpty();
    }

    /** A cct killed outright leaves its sandbox, gateway and network; the next cleaning removes all three. */
    @Test
    void aKilledRunsGatewayAndNetworkAreReapedWithItsSandbox() throws Exception {
        CctProcess process = cctWithModel(120).start("--sandbox", "docker", "--egress", "none", "--env", "BLOCKED_IP=192.0.2.1",
                "--env", "ALLOWED_IP=192.0.2.2", "--env", "CLAUDE_CODE_MAX_RETRIES=0", "--prompt", "probe", "--output", "out");
        long pid = process.pid();
        await().atMost(LIMIT).until(() -> {
            String sandbox = sandboxOf(pid);
            return sandbox != null && docker("exec", sandbox, "sh", "-c", "test -s /home/claude/workspace/probes.txt && echo yes")
                    .contains("yes");
        });
        process.signal("KILL");
        process.await(Duration.ofMinutes(1));
        assertThat(DockerEngineCheck.containersOwnedBy(pid)).hasSize(2);
        assertThat(networksOwnedBy(pid)).hasSize(1);
        CctProcess.Result clean = new CctProcess(dir).run(LIMIT, "sandboxes", "clean", "--sandbox", "docker");
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(DockerEngineCheck.containersOwnedBy(pid)).isEmpty();
        assertThat(networksOwnedBy(pid)).isEmpty();
    }

    /**
     * The fake model in its container on the test's network, holding its last answer {@code pauseSeconds}, and a cct
     * pointed at it with the real key and a gateway on that network.
     */
    private CctProcess cctWithModel(int pauseSeconds) throws Exception {
        String model = java("model", "model.test", "dev.cct.testing.FakeAnthropicMain", "egress", "8000", KEY,
                Integer.toString(pauseSeconds));
        await().atMost(Duration.ofMinutes(1)).until(() -> docker("logs", model).contains("listening"));
        return new CctProcess(dir).env("ANTHROPIC_API_KEY", KEY).env("ANTHROPIC_BASE_URL", "http://model.test:8000")
                .env("CCT_DOCKER_GATEWAY_NETWORK", network);
    }

    /** The sandbox container of cct process {@code pid}: its container without the gateway's role. */
    private static String sandboxOf(long pid) throws Exception {
        return docker("ps", "--filter", "label=dev.cct.session", "--format",
                "{{.ID}} {{.Label \"dev.cct.owner\"}} {{.Label \"dev.cct.role\"}}").lines()
                .filter(line -> line.contains(":" + pid + ":") && !line.endsWith("gateway"))
                .map(line -> line.split(" ")[0]).findFirst().orElse(null);
    }

    private static List<String> networksOwnedBy(long pid) throws Exception {
        return docker("network", "ls", "--filter", "label=dev.cct.session", "--format", "{{.Name}} {{.Label \"dev.cct.owner\"}}")
                .lines().filter(line -> line.contains(":" + pid + ":")).toList();
    }

    /** A container on the test's network running one of the test classes, named {@code alias} there. */
    private String java(String name, String alias, String... mainAndArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", network + "-" + name, "--network", network,
                "--network-alias", alias));
        command.addAll(mounts());
        command.add(image);
        command.addAll(javaCommand(mainAndArgs));
        String id = docker(command.toArray(String[]::new)).strip();
        containers.add(id);
        return id;
    }

    /** One run of a test class in a throw-away container on the test's network; what it printed. */
    private String runJava(String... mainAndArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--network", network));
        command.addAll(mounts());
        command.add(image);
        command.addAll(javaCommand(mainAndArgs));
        return docker(command.toArray(String[]::new));
    }

    /** This JVM and its class path, read-only at the same paths, so the classes run as they do here. */
    private static List<String> mounts() {
        Set<String> paths = new LinkedHashSet<>();
        Path javaHome = Path.of(real(Path.of(System.getProperty("java.home"))));
        paths.add(javaHome.toString());
        // A distribution's JDK may link its configuration out of its folder (/etc/java-17-openjdk, the CA store).
        try (var files = Files.walk(javaHome)) {
            files.filter(Files::isSymbolicLink).map(link -> Path.of(real(link))).filter(target -> !target.startsWith(javaHome))
                    .map(target -> Files.isDirectory(target) ? target : target.getParent())
                    .forEach(folder -> paths.add(folder.toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            paths.add((Files.isDirectory(path) ? path : path.getParent()).toString());
        }
        List<String> mounts = new ArrayList<>();
        paths.forEach(p -> mounts.addAll(List.of("-v", p + ":" + p + ":ro")));
        return mounts;
    }

    private static List<String> javaCommand(String... mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(Path.of(real(Path.of(System.getProperty("java.home"))), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndArgs));
        return command;
    }

    private static String address(String container) throws Exception {
        return docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container).strip();
    }

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private static String real(Path path) {
        try {
            return path.toRealPath().toString();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().toString();
        }
    }
}
