package dev.cct.testing.cloudflare;

import dev.cct.sandbox.EgressPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** One sandbox of the fake: a folder on this machine with a home inside, and the commands started in it. */
final class FakeSandbox {
    final String id;
    final Map<String, String> labels;
    final Instant createdAt = Instant.now();
    final Path root;
    final Path home;
    final Map<String, FakeExec> execs = new ConcurrentHashMap<>();
    /** Recorded only: the fake's commands run on this machine's network whatever it says. */
    final EgressPolicy egress;

    FakeSandbox(String id, Map<String, String> labels, Path root, EgressPolicy egress) throws IOException {
        this.id = id;
        this.labels = Map.copyOf(labels);
        this.egress = egress;
        this.root = root;
        this.home = root.resolve("home/user");
        Files.createDirectories(home);
    }

    /** True when {@code path} (absolute) lies inside this sandbox's folder. */
    boolean contains(Path path) {
        return path.isAbsolute() && path.normalize().startsWith(root);
    }

    /** Kills every command and deletes the folder. */
    void destroy() {
        execs.values().forEach(FakeExec::kill);
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp folder: what is left is harmless.
        }
    }
}
