package dev.cct.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The catalog that ships inside cct, read from the program's own jar (or from the classes folder when run from
 * a build tree). It works offline and is loaded on first use only.
 */
public final class BundledCatalog implements CatalogSource {
    static final String ROOT = "components/";
    private final Map<String, byte[]> files;

    BundledCatalog(Map<String, byte[]> files) {
        this.files = files;
    }

    /** Reads the catalog packaged with this program. */
    public static BundledCatalog load() {
        try {
            Path location = codeLocation();
            return new BundledCatalog(Files.isDirectory(location) ? readTree(location.resolve(ROOT)) : readJar(location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled catalog", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The jar (or classes folder) this class came from, found through its own resource URL: classes loaded from a
     * class-data archive or AOT cache may carry no code source location, so the protection domain cannot be trusted.
     */
    static Path codeLocation() throws URISyntaxException {
        String self = BundledCatalog.class.getSimpleName() + ".class";
        URL url = BundledCatalog.class.getResource(self);
        if (url == null) {
            throw new IllegalStateException("cannot find cct's own classes");
        }
        String text = url.toString();
        if (text.startsWith("jar:")) {
            return Path.of(new URI(text.substring("jar:".length(), text.indexOf("!/"))));
        }
        Path classFile = Path.of(url.toURI());
        int depth = BundledCatalog.class.getName().split("\\.").length;
        Path root = classFile;
        for (int i = 0; i < depth; i++) {
            root = root.getParent();
        }
        return root;
    }

    /** A catalog read from a folder with the same layout (tests, and users who keep their own). */
    public static BundledCatalog fromDirectory(Path root) {
        try {
            return new BundledCatalog(readTree(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog " + root, e);
        }
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

    @Override
    public byte[] read(String path) {
        return files.get(path);
    }

    @Override
    public List<String> list(String prefix) {
        List<String> result = new ArrayList<>();
        for (String path : ((TreeMap<String, byte[]>) files).tailMap(prefix).keySet()) {
            if (!path.startsWith(prefix)) {
                break;
            }
            result.add(path);
        }
        return result;
    }

    @Override
    public String describe(String path) {
        return "bundled";
    }

    /** Every component id of {@code type} in this catalog, sorted. */
    public List<String> ids(ComponentType type) {
        List<String> ids = new ArrayList<>();
        String prefix = type.directory() + "/";
        for (String path : list(prefix)) {
            String rest = path.substring(prefix.length());
            if (rest.endsWith(type.suffix()) && rest.indexOf('/') > 0) {
                String id = rest.substring(0, rest.length() - type.suffix().length());
                // Only category/name: deeper files are a skill's supporting files, not components.
                if (id.indexOf('/') == id.lastIndexOf('/')) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
