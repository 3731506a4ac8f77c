package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.core.Format;
import dev.cct.testing.DockerEngineCheck;
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

    @Override
    String createOrphan() throws Exception {
        String image = docker("images", "-q", "cct-sandbox").lines().findFirst().orElseThrow();
        String owner = dev.cct.sandbox.SandboxLabels.hostName() + ":999999999:1";
        return docker("run", "-d", "--label", "dev.cct.session=orphan-test", "--label", "dev.cct.owner=" + owner,
                image, "sleep", "600").strip();
    }

    @Override
    boolean stillThere(String id) throws Exception {
        return !docker("ps", "-aq", "--filter", "id=" + id).isBlank();
    }

    @Test
    void sandboxesCleanRemovesContainersWhoseCctProcessIsGone() throws Exception {
        String id = createOrphan();
        try {
            CctProcess.Result list = new CctProcess(dir).run(LIMIT, "sandboxes", "list", "--sandbox", "docker");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains(Format.shortId(id), "(gone)");
            CctProcess.Result clean = new CctProcess(dir).run(LIMIT, "sandboxes", "clean", "--sandbox", "docker");
            assertThat(clean.code()).as(clean.err()).isZero();
            assertThat(clean.out()).contains("removed docker " + Format.shortId(id));
            assertThat(stillThere(id)).isFalse();
        } finally {
            docker("rm", "-f", id);
        }
    }

    /** Limits the engine cannot give are bad input before anything is built or started. */
    @Test
    void cpusOrMemoryBeyondTheEngineAreBadInputAndCreateNothing() throws Exception {
        for (List<String> limit : List.of(List.of("--cpus", "99"), List.of("--memory", "100000g"))) {
            String before = docker("ps", "-aq");
            java.util.List<String> all = new java.util.ArrayList<>(List.of("--sandbox", "docker", "--prompt", "x", "--output", "out"));
            all.addAll(limit);
            CctProcess.Result result = new CctProcess(dir).env("ANTHROPIC_API_KEY", ANTHROPIC_KEY).run(LIMIT, all.toArray(String[]::new));
            assertThat(result.code()).as(result.err()).isEqualTo(2);
            assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
            assertThat(result.err()).contains(limit.get(0) + " " + limit.get(1) + " is more than this Docker engine has");
            assertThat(docker("ps", "-aq")).isEqualTo(before);
            assertThat(dir.resolve("out")).doesNotExist();
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
