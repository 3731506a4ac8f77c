package dev.cct.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Docker tests skip with a printed reason when no engine answers, and fail instead when CI requires one. */
final class DockerEngineCheck {
    private DockerEngineCheck() {
    }

    static void requireEngine() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        if (Boolean.getBoolean("cct.requireDocker")) {
            fail("Docker tests are required here (cct.requireDocker=true) but " + problem);
        }
        System.out.println("SKIPPED Docker end-to-end tests: " + problem);
        Assumptions.abort(problem);
    }

    private static String problem() {
        try {
            Process info = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
            String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return info.waitFor() == 0 ? null : "no Docker engine answers 'docker info' (" + output.lines().findFirst().orElse("") + ")";
        } catch (IOException e) {
            return "the docker command is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Containers (running or not) that cct process {@code pid} created and left behind. */
    static List<String> containersOwnedBy(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("docker", "ps", "-a", "--filter", "label=dev.cct.session",
                "--format", "{{.ID}} {{.Label \"dev.cct.owner\"}}").start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        return output.lines().filter(line -> line.contains(":" + pid + ":")).toList();
    }
}
