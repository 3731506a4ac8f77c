package dev.cct.catalog;

import dev.cct.core.CctException;
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
import java.util.HexFormat;
import java.util.List;

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
    private final Path cacheDirectory;
    private final Duration maxAge;
    private final Clock clock;
    private HttpClient client;

    public RemoteCatalog(String baseUrl, Path cacheRoot, Duration maxAge, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.cacheDirectory = cacheRoot.resolve("catalog").resolve(shortHash(this.baseUrl));
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public byte[] read(String path) {
        Path cached = cacheDirectory.resolve(path);
        Path missing = cacheDirectory.resolve(path + MISSING);
        if (isFresh(cached)) {
            return readQuietly(cached);
        }
        if (isFresh(missing)) {
            return null;
        }
        try {
            HttpResponse<byte[]> response = client().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/" + path)).timeout(Duration.ofSeconds(20))
                            .header("User-Agent", "cct").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                store(cached, response.body());
                Files.deleteIfExists(missing);
                return response.body();
            }
            if (response.statusCode() == 404) {
                store(missing, new byte[0]);
                Files.deleteIfExists(cached);
                return null;
            }
            return fallback(cached, path, "HTTP " + response.statusCode());
        } catch (IOException e) {
            return fallback(cached, path, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CctException(dev.cct.core.ExitCode.INTERRUPTED, "interrupted while fetching " + path);
        }
    }

    private byte[] fallback(Path cached, String path, String why) {
        if (Files.isRegularFile(cached)) {
            return readQuietly(cached);
        }
        throw new Unreachable(baseUrl + " cannot be reached (" + why + ") and " + path + " is not cached");
    }

    /** The catalog could not be asked and had no cached copy: the caller decides how to explain it. */
    public static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    @Override
    public List<String> list(String prefix) {
        return List.of();
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
