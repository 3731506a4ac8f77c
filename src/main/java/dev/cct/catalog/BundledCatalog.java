package dev.cct.catalog;

import dev.cct.core.BundledFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog that ships inside cct ({@link BundledFiles}, read from the program's own jar). It works offline and
 * is loaded on first use only.
 */
public final class BundledCatalog implements CatalogSource {
    private final BundledFiles files;

    BundledCatalog(BundledFiles files) {
        this.files = files;
    }

    /** Reads the catalog packaged with this program. */
    public static BundledCatalog load() {
        return new BundledCatalog(BundledFiles.load());
    }

    /** A catalog read from a folder with the same layout (tests, and users who keep their own). */
    public static BundledCatalog fromDirectory(Path root) {
        return new BundledCatalog(BundledFiles.fromDirectory(root));
    }

    @Override
    public byte[] read(String path) {
        return files.read(path);
    }

    @Override
    public List<String> list(String prefix) {
        return files.list(prefix);
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
