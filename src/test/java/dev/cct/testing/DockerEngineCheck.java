package dev.cct.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Docker tests skip with a printed reason when no engine answers, and fail instead when CI requires one. */
public final class DockerEngineCheck {
    private DockerEngineCheck() {
    }

    public static void requireEngine() {
        Needs.DOCKER.check(problem());
    }

    private static String problem() {
        try {
            Process info = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
            String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (info.waitFor() != 0) {
                return "no Docker engine answers 'docker info' (" + output.lines().findFirst().orElse("") + ")";
            }
            return baseImageProblem();
        } catch (IOException e) {
            return "the docker command is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * cct builds its image on first use from a base image; on a machine that cannot pull it (offline, no registry),
     * the tests cannot run unless CCT_DOCKER_BASE_IMAGE names a local one, as .ci/run does.
     */
    private static String baseImageProblem() throws IOException, InterruptedException {
        String configured = System.getenv("CCT_DOCKER_BASE_IMAGE");
        String base = configured != null && !configured.isBlank() ? configured : defaultBaseImage();
        if (docker("image", "inspect", base) == 0 || docker("pull", "-q", base) == 0) {
            return null;
        }
        return "the sandbox image's base " + base + " is not on this engine and cannot be pulled"
                + " (set CCT_DOCKER_BASE_IMAGE to a local Debian or Ubuntu image, as .ci/run does)";
    }

    /** The base the product's Dockerfile names by default. */
    private static String defaultBaseImage() throws IOException {
        return Files.readAllLines(Path.of("components/sandbox/docker/Dockerfile")).stream()
                .filter(line -> line.startsWith("ARG BASE_IMAGE=")).map(line -> line.substring("ARG BASE_IMAGE=".length()).strip())
                .findFirst().orElseThrow(() -> new IOException("the Dockerfile declares no BASE_IMAGE"));
    }

    private static int docker(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** Containers (running or not) that cct process {@code pid} created and left behind. */
    public static List<String> containersOwnedBy(long pid) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("docker", "ps", "-a", "--filter", "label=dev.cct.session",
                "--format", "{{.ID}} {{.Label \"dev.cct.owner\"}}").start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        return output.lines().filter(line -> line.contains(":" + pid + ":")).toList();
    }
}
