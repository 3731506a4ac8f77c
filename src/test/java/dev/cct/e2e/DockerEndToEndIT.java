package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built cct program against a real Docker engine, with the real Claude Code CLI inside the container talking to
 * a scripted fake model on 127.0.0.1 (the container shares the host's network).
 */
class DockerEndToEndIT extends SandboxEndToEndContract {
    @BeforeAll
    static void engine() {
        DockerEngineCheck.requireEngine();
    }

    @Override
    List<String> providerArgs() {
        return List.of("--sandbox", "docker", "--network", "host");
    }

    @Override
    CctProcess withProvider(CctProcess cct) {
        return cct;
    }

    @Override
    List<String> leftBehind(CctProcess.Result result) throws Exception {
        return DockerEngineCheck.containersOwnedBy(result.pid());
    }

    @Test
    void sandboxesCleanRemovesContainersWhoseCctProcessIsGone() throws Exception {
        String image = docker("images", "-q").lines().findFirst().orElseThrow();
        String owner = dev.cct.sandbox.SandboxLabels.hostName() + ":999999999:1";
        String id = docker("run", "-d", "--label", "dev.cct.session=orphan-test", "--label", "dev.cct.owner=" + owner,
                image, "sleep", "600").strip();
        try {
            CctProcess.Result list = new CctProcess(dir).run(LIMIT, "sandboxes", "list", "--sandbox", "docker");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains(id.substring(0, 12), "(gone)");
            CctProcess.Result clean = new CctProcess(dir).run(LIMIT, "sandboxes", "clean", "--sandbox", "docker");
            assertThat(clean.code()).as(clean.err()).isZero();
            assertThat(clean.out()).contains("removed docker " + id.substring(0, 12));
            assertThat(docker("ps", "-aq", "--filter", "id=" + id)).isBlank();
        } finally {
            docker("rm", "-f", id);
        }
    }

    private static String docker(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
