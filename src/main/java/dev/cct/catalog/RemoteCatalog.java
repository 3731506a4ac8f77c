package dev.cct.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.CctException;
import dev.cct.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A catalog served over HTTP with the layout of claude-code-templates' components folder. Every file fetched is
 * kept on disk, so a second run works offline; a cached file younger than {@code maxAge} is used without asking
 * the network, an older one is refreshed when the network answers and used as it is when it does not.
 */
public final class RemoteCatalog implements CatalogSource {
    public static final String DEFAULT_BASE_URL =
            "https://raw.githubusercontent.com/davila7/claude-code-templates/main/cli-tool/components";
    private static final String MISSING = ".missing";

    private final String baseUrl;
    private final String contentsBase;
    private final String contentsQuery;
    private final Path cacheRoot;
    private final Path cacheDirectory;
    private final Duration maxAge;
    private final Clock clock;
    /** Hosts that did not answer this run, with why: the next file goes straight to the cache, not to a timeout. */
    private final Map<String, String> silentHosts;
    private final Set<String> fetchedPaths = ConcurrentHashMap.newKeySet();
    private HttpClient client;

    public RemoteCatalog(String baseUrl, Path cacheRoot, Duration maxAge, Clock clock) {
        this(baseUrl, null, cacheRoot, maxAge, clock);
    }

    /** {@code contentsUrl}: a GitHub-contents-API-shaped listing of the same folder, or null to derive it. */
    public RemoteCatalog(String baseUrl, String contentsUrl, Path cacheRoot, Duration maxAge, Clock clock) {
        this(baseUrl, contentsUrl, cacheRoot, maxAge, clock, new ConcurrentHashMap<>());
    }

    private RemoteCatalog(String baseUrl, String contentsUrl, Path cacheRoot, Duration maxAge, Clock clock,
                          Map<String, String> silentHosts) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (contentsUrl != null) {
            this.contentsBase = contentsUrl.endsWith("/") ? contentsUrl.substring(0, contentsUrl.length() - 1) : contentsUrl;
            this.contentsQuery = "";
        } else {
            String[] derived = contentsApi(this.baseUrl);
            this.contentsBase = derived == null ? null : derived[0];
            this.contentsQuery = derived == null ? "" : derived[1];
        }
        this.cacheRoot = cacheRoot;
        this.cacheDirectory = cacheRoot.resolve("catalog").resolve(shortHash(this.baseUrl));
        this.maxAge = maxAge;
        this.clock = clock;
        this.silentHosts = silentHosts;
    }

    /**
     * Files under another base URL (upstream's index beside its components), read with this catalog's cache,
     * max age and offline rules, and knowing which hosts were already silent this run.
     */
    public RemoteCatalog beside(String otherBaseUrl) {
        return new RemoteCatalog(otherBaseUrl, null, cacheRoot, maxAge, clock, silentHosts);
    }

    /** Where this catalog keeps what it derives from its cached {@code path}, beside that file. */
    public Path cacheFileBeside(String path, String suffix) {
        return cacheDirectory.resolve(path + suffix);
    }

    /** Every component file on disk, fresh or not, by catalog path: one walk where a listing would stat each entry. */
    public Set<String> cachedPaths() {
        if (!Files.isDirectory(cacheDirectory)) {
            return Set.of();
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(cacheDirectory)) {
            Set<String> paths = new java.util.HashSet<>();
            walk.filter(Files::isRegularFile).map(p -> cacheDirectory.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(".contents/") && !p.endsWith(MISSING)).forEach(paths::add);
            return paths;
        } catch (IOException | java.io.UncheckedIOException e) {
            return Set.of();
        }
    }

    /** Whether this run had {@code path} from the network, as opposed to from the cache. */
    public boolean wasFetched(String path) {
        return fetchedPaths.contains(path);
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public byte[] read(String path) {
        return fetch(baseUrl + "/" + path, cacheDirectory.resolve(path), path);
    }

    /** Fetches {@code url} through the cache file {@code cached}; null when the server says 404. */
    private byte[] fetch(String url, Path cached, String path) {
        Path missing = cached.resolveSibling(cached.getFileName() + MISSING);
        if (isFresh(cached)) {
            return readQuietly(cached);
        }
        if (isFresh(missing)) {
            return null;
        }
        String host = URI.create(url).getAuthority();
        String silent = host == null ? null : silentHosts.get(host);
        if (silent != null) {
            return fallback(cached, url, path, silent);
        }
        try {
            HttpResponse<byte[]> response = client().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                            .header("User-Agent", "cct").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                store(cached, response.body());
                Files.deleteIfExists(missing);
                fetchedPaths.add(path);
                return response.body();
            }
            if (response.statusCode() == 404) {
                store(missing, new byte[0]);
                Files.deleteIfExists(cached);
                return null;
            }
            return fallback(cached, url, path, "HTTP " + response.statusCode());
        } catch (IOException e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (host != null) {
                silentHosts.putIfAbsent(host, why);
            }
            return fallback(cached, url, path, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CctException(dev.cct.core.ExitCode.INTERRUPTED, "interrupted while fetching " + path);
        }
    }

    private byte[] fallback(Path cached, String url, String path, String why) {
        if (Files.isRegularFile(cached)) {
            return readQuietly(cached);
        }
        String server = url.startsWith(baseUrl + "/") ? baseUrl : URI.create(url).resolve("/").toString();
        throw new Unreachable(server + " cannot be reached (" + why + ") and " + path + " is not cached");
    }

    /** The catalog could not be asked and had no cached copy: the caller decides how to explain it. */
    public static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * Every file under the folder {@code prefix}, found as the npm tool finds a skill's files: through the GitHub
     * contents API of the repository the raw base URL names (or CCT_CATALOG_CONTENTS_URL), folder by folder. The
     * listings are cached like files. A folder that cannot be listed throws {@link Unreachable}, never returns a
     * partial list, so a caller cannot mistake "could not ask" for "has no other files".
     */
    @Override
    public List<String> list(String prefix) {
        String folder = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (contentsBase == null) {
            throw new Unreachable(baseUrl + " is not a GitHub raw URL, so its folders cannot be listed"
                    + " (set CCT_CATALOG_CONTENTS_URL to its contents API)");
        }
        List<String> paths = new ArrayList<>();
        listInto(folder, paths, 0);
        return paths;
    }

    private void listInto(String folder, List<String> paths, int depth) {
        if (depth > 8) {
            throw new Unreachable(describe(folder) + " is nested too deeply to list");
        }
        byte[] body = fetch(contentsBase + "/" + folder + contentsQuery,
                cacheDirectory.resolve(".contents").resolve(folder + ".json"), folder + "/");
        if (body == null) {
            throw new Unreachable(contentsBase + "/" + folder + " has no listing (HTTP 404)");
        }
        JsonNode listing;
        try {
            listing = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new Unreachable(contentsBase + "/" + folder + " answered with something other than a folder listing");
        }
        if (listing == null || !listing.isArray()) {
            throw new Unreachable(contentsBase + "/" + folder + " answered with something other than a folder listing");
        }
        for (JsonNode item : listing) {
            String name = item.path("name").asText("");
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
                continue;
            }
            String type = item.path("type").asText("");
            if (type.equals("file")) {
                paths.add(folder + "/" + name);
            } else if (type.equals("dir")) {
                listInto(folder + "/" + name, paths, depth + 1);
            }
        }
    }

    /** "https://raw.githubusercontent.com/o/r/branch/some/path" as the contents API base and its ?ref= query. */
    static String[] contentsApi(String rawBase) {
        String prefix = "https://raw.githubusercontent.com/";
        if (!rawBase.startsWith(prefix)) {
            return null;
        }
        String[] parts = rawBase.substring(prefix.length()).split("/", 4);
        if (parts.length < 3) {
            return null;
        }
        String path = parts.length == 4 ? "/" + parts[3] : "";
        return new String[] {"https://api.github.com/repos/" + parts[0] + "/" + parts[1] + "/contents" + path,
                "?ref=" + parts[2]};
    }

    @Override
    public String describe(String path) {
        return baseUrl + "/" + path;
    }

    private boolean isFresh(Path file) {
        try {
            return Files.isRegularFile(file)
                    && Duration.between(Files.getLastModifiedTime(file).toInstant(), clock.instant()).compareTo(maxAge) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void store(Path file, byte[] body) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".fetch", ".tmp");
            Files.write(temporary, body);
            Files.setLastModifiedTime(temporary, FileTime.from(clock.instant()));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A cache that cannot be written only costs the next run a fetch.
        }
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
