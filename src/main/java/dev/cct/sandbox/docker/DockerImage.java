package dev.cct.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.cct.archive.TarWriter;
import dev.cct.core.BundledFiles;
import dev.cct.core.Environment;
import dev.cct.core.Progress;
import dev.cct.sandbox.SandboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One of cct's images: the sandbox, built from the bundled components/sandbox/docker folder, or the egress gateway,
 * from components/sandbox/gateway. Each is built on first use and tagged with a hash of everything that goes into
 * it, so it is rebuilt only when that changes.
 */
final class DockerImage {
    static final String REPOSITORY = "cct-sandbox";
    static final String GATEWAY_REPOSITORY = "cct-gateway";
    private static final String FOLDER = "sandbox/docker/";
    private static final String GATEWAY_FOLDER = "sandbox/gateway/";

    private final Map<String, byte[]> context;
    private final Map<String, String> buildArgs = new TreeMap<>();
    private final String networkMode;
    private final String repository;
    private final String role;

    DockerImage(Environment environment) throws SandboxException {
        this(environment, FOLDER, REPOSITORY, "sandbox");
    }

    /** The gateway's image; built from the same base image as the sandbox's when CCT_DOCKER_BASE_IMAGE names one. */
    static DockerImage gateway(Environment environment) throws SandboxException {
        return new DockerImage(environment, GATEWAY_FOLDER, GATEWAY_REPOSITORY, "gateway");
    }

    private DockerImage(Environment environment, String folder, String repository, String role) throws SandboxException {
        this.repository = repository;
        this.role = role;
        context = new TreeMap<>(BundledFiles.load().folder(folder));
        if (!context.containsKey("Dockerfile")) {
            throw new SandboxException("this build of cct lacks its " + role + " Dockerfile");
        }
        String certificates = environment.get("CCT_EXTRA_CA_CERTS");
        if (certificates != null) {
            addCertificates(environment.resolve(certificates));
        }
        String base = environment.get("CCT_DOCKER_BASE_IMAGE");
        if (base != null) {
            buildArgs.put("BASE_IMAGE", base);
        }
        networkMode = environment.get("CCT_DOCKER_BUILD_NETWORK");
    }

    private void addCertificates(Path source) throws SandboxException {
        try (Stream<Path> files = Files.isDirectory(source) ? Files.list(source) : Stream.of(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(".crt")) {
                    context.put("certs/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new SandboxException("cannot read CCT_EXTRA_CA_CERTS " + source + ": " + e.getMessage(), e);
        }
    }

    /** cct-sandbox:&lt;12 hex digits of the content hash&gt; (cct-gateway:... for the gateway). */
    String tag() {
        return repository + ":" + BundledFiles.contentHash(context, buildArgs).substring(0, 12);
    }

    static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Builds the image unless it exists already (or {@code force}), showing the build's steps as progress. */
    String ensure(DockerClient docker, boolean force, Progress progress) throws SandboxException, InterruptedException {
        String tag = tag();
        if (!force && exists(docker, tag)) {
            return tag;
        }
        progress.start("Building " + role + " image " + tag + " (first use; a few minutes)");
        StringBuilder log = new StringBuilder();
        ResultCallback.Adapter<BuildResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    String text = item.getStream().strip();
                    if (!text.isEmpty()) {
                        log.append(text).append('\n');
                        if (text.startsWith("Step ") || text.startsWith("#")) {
                            progress.update(text.length() > 100 ? text.substring(0, 100) : text);
                        }
                    }
                }
                if (item.isErrorIndicated()) {
                    log.append(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError()).append('\n');
                }
            }
        };
        var build = docker.buildImageCmd(new ByteArrayInputStream(contextTar())).withTags(Set.of(tag))
                .withPull(false).withRemove(true).withForcerm(true)
                .withLabels(Map.of("dev.cct.image", role));
        buildArgs.forEach(build::withBuildArg);
        if (networkMode != null) {
            build.withNetworkMode(networkMode);
        }
        try {
            build.exec(callback).awaitCompletion();
        } catch (RuntimeException e) {
            throw new SandboxException("building " + tag + " failed: " + e.getMessage() + lastLines(log), e);
        }
        if (!exists(docker, tag)) {
            throw new SandboxException("building " + tag + " failed" + lastLines(log));
        }
        progress.done("Built " + role + " image " + tag);
        return tag;
    }

    private byte[] contextTar() throws SandboxException {
        try {
            return TarWriter.of(context);
        } catch (IOException e) {
            throw new SandboxException("cannot pack the image's build context: " + e.getMessage(), e);
        }
    }

    private static String lastLines(StringBuilder log) {
        List<String> lines = log.toString().lines().toList();
        return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }
}
