package dev.cct.testing.e2b;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One sandbox of the fake: its REST state, its folder and its running processes. Tests outside this package see
 * what it was created with through its public accessors, never its mutable state.
 */
public final class FakeSandbox {

    /**
     * The egress settings a create asked for, each null when the request did not carry it: the real detail tells
     * "not set" from "set" for {@code allowInternetAccess} too. The fake records them; it enforces none of them.
     */
    record Network(Boolean allowInternetAccess, List<String> allowOut, List<String> denyOut) {
        static final Network NONE = new Network(null, null, null);

        Network {
            allowOut = allowOut == null ? null : List.copyOf(allowOut);
            denyOut = denyOut == null ? null : List.copyOf(denyOut);
        }

        boolean hasRules() {
            return allowOut != null || denyOut != null;
        }
    }

    /** {@code /home/<name>} at a path boundary, not already part of a longer path. */
    private static final Pattern HOME_IN_TEXT =
            Pattern.compile("(?<![A-Za-z0-9_.~/-])/home/([A-Za-z0-9_][A-Za-z0-9_.-]*)(?=/|$|[^A-Za-z0-9_.-])");

    /** The PATH a login shell gets from Debian's /etc/profile; templates put their tools before it. */
    static final String BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    final String id;
    final String templateId;
    final String accessToken;
    final Map<String, String> metadata;
    final Map<String, String> envVars;
    final Network network;
    final Instant startedAt;
    final Path dir;
    private final List<Path> pathPrefix;
    volatile Instant endAt;
    private volatile boolean gone;
    private final Map<Integer, FakeProcess> processes = new ConcurrentHashMap<>();

    FakeSandbox(String id, String templateId, String accessToken, Map<String, String> metadata,
                Map<String, String> envVars, Network network, Instant endAt, Path dir, List<Path> pathPrefix)
            throws IOException {
        this.id = id;
        this.templateId = templateId;
        this.accessToken = accessToken;
        this.metadata = Map.copyOf(metadata);
        this.envVars = Map.copyOf(envVars);
        this.network = network;
        this.startedAt = Instant.now();
        this.endAt = endAt;
        this.dir = dir;
        this.pathPrefix = List.copyOf(pathPrefix);
        Files.createDirectories(dir.resolve("tmp"));
        for (String user : List.of("user", "root")) {
            writeProfile(home(user));
        }
    }

    public String id() {
        return id;
    }

    public String templateId() {
        return templateId;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@code allow_internet_access} as created, or null when the create left it out. */
    public Boolean allowInternetAccess() {
        return network.allowInternetAccess();
    }

    /** {@code network.allowOut} as created, or null when the create left it out. */
    public List<String> allowOut() {
        return network.allowOut();
    }

    /** {@code network.denyOut} as created, or null when the create left it out. */
    public List<String> denyOut() {
        return network.denyOut();
    }

    /**
     * A template image puts its tools on PATH for login shells. {@code /bin/bash -l} sources the
     * host's /etc/profile, which resets PATH, and then {@code ~/.profile}; so the template's
     * directories go there, as they would in the image.
     */
    private void writeProfile(Path home) throws IOException {
        if (pathPrefix.isEmpty()) {
            return;
        }
        StringBuilder dirs = new StringBuilder();
        for (Path d : pathPrefix) {
            dirs.append('\'').append(d.toAbsolutePath().toString().replace("'", "'\\''")).append("':");
        }
        Files.writeString(home.resolve(".profile"),
                "# written by the fake E2B for template " + templateId + "\nexport PATH=" + dirs + "\"$PATH\"\n");
    }

    /** PATH in a process's environment: the template's directories, then the base PATH. */
    String path() {
        StringBuilder p = new StringBuilder();
        pathPrefix.forEach(d -> p.append(d.toAbsolutePath()).append(':'));
        return p.append(BASE_PATH).toString();
    }

    boolean alive(Instant now) {
        return !gone && now.isBefore(endAt);
    }

    boolean gone() {
        return gone;
    }

    /** Marks the sandbox dead and kills its processes; attached streams are dropped (TCP close). */
    void terminate() {
        gone = true;
        for (FakeProcess p : running()) {
            p.killForSandboxEnd();
        }
    }

    /** The sandbox path of a user's home: {@code /root} for root, else {@code /home/<user>}. */
    static String virtualHome(String user) {
        return "root".equals(user) ? "/root" : "/home/" + user;
    }

    /** The host folder playing the user's home, created on demand. */
    Path home(String user) {
        Path home = dir.resolve(virtualHome(user).substring(1));
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    /**
     * Maps a path as a client sends it to the host: empty = home, relative (or {@code ~/...}) =
     * under home, a host path inside the sandbox folder = itself, any other absolute path = under
     * the sandbox folder, which plays the filesystem root ({@code /home/user/x} lands in
     * {@code <dir>/home/user/x}; like a real root, {@code ..} cannot climb above it).
     */
    Path resolve(String path, String user) {
        if (path == null || path.isEmpty()) {
            return home(user);
        }
        String absolute = path.equals("~") || path.startsWith("~/") ? virtualHome(user) + path.substring(1)
                : path.startsWith("/") ? path : virtualHome(user) + "/" + path;
        Path p = Path.of(absolute).normalize();
        return p.startsWith(dir) ? p : dir.resolve(p.toString().substring(1));
    }

    /**
     * Rewrites {@code /home/<name>} in a command line, cwd or environment value to the sandbox's
     * folder for it. The fake runs commands on the host without a chroot, yet clients name sandbox
     * paths such as {@code /home/user/workspace}; other absolute paths ({@code /tmp}, {@code /usr})
     * stay the host's.
     */
    String rewriteHomes(String text) {
        if (text == null || !text.contains("/home/")) {
            return text;
        }
        Matcher m = HOME_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (text.startsWith(dir.toString(), m.start())) {
                // Already a host path into this sandbox (its folder may itself live under /home).
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            Path home = dir.resolve("home").resolve(m.group(1));
            try {
                Files.createDirectories(home);
            } catch (IOException ignored) {
                // best effort
            }
            m.appendReplacement(out, Matcher.quoteReplacement(home.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    void deleteFolder() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    void register(FakeProcess p) {
        processes.put(p.pid, p);
    }

    /** A process that is still running; exited ones are forgotten here, as envd forgets them. */
    FakeProcess process(int pid) {
        FakeProcess p = processes.get(pid);
        if (p != null && p.hasExited()) {
            processes.remove(pid, p);
            return null;
        }
        return p;
    }

    FakeProcess processByTag(String tag) {
        return running().stream().filter(p -> tag.equals(p.tag)).findFirst().orElse(null);
    }

    List<FakeProcess> running() {
        processes.values().removeIf(FakeProcess::hasExited);
        return new ArrayList<>(processes.values());
    }

    /** The sandbox path of a host path inside the sandbox folder, as clients expect to see it. */
    String virtualPath(Path host) {
        Path rel = dir.relativize(host.toAbsolutePath().normalize());
        return "/" + rel;
    }
}
