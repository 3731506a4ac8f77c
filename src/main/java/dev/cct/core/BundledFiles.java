package dev.cct.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files that ship inside cct under {@code components/} (the catalog, the sandbox image's build context, the
 * Worker project), read from the program's own jar or from the classes folder of a build tree. Read once per
 * process: the catalog, the Docker image and the Worker project all come from the same copy.
 */
public final class BundledFiles {
    static final String ROOT = "components/";
    private static volatile BundledFiles loaded;

    private final NavigableMap<String, byte[]> files;

    private BundledFiles(Map<String, byte[]> files) {
        this.files = new TreeMap<>(files);
    }

    /** The files packaged with this program. */
    public static BundledFiles load() {
        BundledFiles result = loaded;
        if (result == null) {
            try {
                Path location = codeLocation();
                result = new BundledFiles(Files.isDirectory(location) ? readTree(location.resolve(ROOT)) : readJar(location));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the files bundled with cct", e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            loaded = result;
        }
        return result;
    }

    /** Files read from a folder with the same layout (tests, and users who keep their own catalog). */
    public static BundledFiles fromDirectory(Path root) {
        try {
            return new BundledFiles(readTree(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    /** The bytes of {@code path} (relative to components/), or null. */
    public byte[] read(String path) {
        return files.get(path);
    }

    /** Every path that starts with {@code prefix}, sorted. */
    public List<String> list(String prefix) {
        List<String> result = new ArrayList<>();
        for (String path : files.tailMap(prefix, true).keySet()) {
            if (!path.startsWith(prefix)) {
                break;
            }
            result.add(path);
        }
        return result;
    }

    /** The files under {@code folder}, keyed by their path relative to it. */
    public Map<String, byte[]> folder(String folder) {
        Map<String, byte[]> result = new TreeMap<>();
        for (String path : list(folder)) {
            result.put(path.substring(folder.length()), files.get(path));
        }
        return result;
    }

    /**
     * SHA-256 over paths and contents in path order, as hex: two trees hash alike only when every name and byte
     * matches, so a cache named after it (an image tag, an unpacked project) is reused exactly when it may be.
     */
    public static String contentHash(Map<String, byte[]> tree, Map<String, String> extra) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(tree).forEach((path, bytes) -> {
                digest.update(path.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(bytes);
            });
            new TreeMap<>(extra).forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The jar (or classes folder) this class came from, found through its own resource URL: classes loaded from a
     * class-data archive or AOT cache may carry no code source location, so the protection domain cannot be trusted.
     */
    static Path codeLocation() throws URISyntaxException {
        String self = BundledFiles.class.getSimpleName() + ".class";
        URL url = BundledFiles.class.getResource(self);
        if (url == null) {
            throw new IllegalStateException("cannot find cct's own classes");
        }
        String text = url.toString();
        if (text.startsWith("jar:")) {
            return Path.of(new URI(text.substring("jar:".length(), text.indexOf("!/"))));
        }
        Path root = Path.of(url.toURI());
        int depth = BundledFiles.class.getName().split("\\.").length;
        for (int i = 0; i < depth; i++) {
            root = root.getParent();
        }
        return root;
    }

    private static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        files.put(entry.getName().substring(ROOT.length()), in.readAllBytes());
                    }
                }
            }
        }
        return files;
    }

    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
