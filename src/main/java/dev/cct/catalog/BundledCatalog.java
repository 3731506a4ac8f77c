package dev.cct.catalog;

import dev.cct.core.BundledFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog that ships inside cct ({@link BundledFiles}, read from the program's own jar). It works offline and
 * is loaded on first use only.
 */
public final class BundledCatalog implements CatalogSource {
    /** The packaged catalog's summaries, written at build time by {@link #main}. */
    static final String LISTING_RESOURCE = "/dev/cct/bundled-listing.tsv";
    private final BundledFiles files;
    private final boolean packaged;

    /** One component as a listing shows it. */
    public record Summary(ComponentType type, String id, String description) {
    }

    BundledCatalog(BundledFiles files) {
        this(files, false);
    }

    private BundledCatalog(BundledFiles files, boolean packaged) {
        this.files = files;
        this.packaged = packaged;
    }

    /** Reads the catalog packaged with this program. */
    public static BundledCatalog load() {
        return new BundledCatalog(BundledFiles.load(), true);
    }

    /** A catalog read from a folder with the same layout (tests, and users who keep their own). */
    public static BundledCatalog fromDirectory(Path root) {
        return new BundledCatalog(BundledFiles.fromDirectory(root));
    }

    /**
     * Every component's id and description, by type and id. The packaged catalog's come from the snapshot its build
     * wrote, because parsing every component's YAML and JSON would cost a listing more than all the rest of it; a
     * catalog read from a folder, or a build tree without the snapshot, is parsed.
     */
    public List<Summary> summaries() {
        if (packaged) {
            List<Summary> snapshot = snapshot();
            if (snapshot != null) {
                return snapshot;
            }
        }
        return parsedSummaries();
    }

    List<Summary> parsedSummaries() {
        List<Summary> summaries = new ArrayList<>();
        for (ComponentType type : ComponentType.values()) {
            for (String id : ids(type)) {
                summaries.add(new Summary(type, id, Catalog.load(this, type, id).description()));
            }
        }
        return summaries;
    }

    private static List<Summary> snapshot() {
        try (InputStream in = BundledCatalog.class.getResourceAsStream(LISTING_RESOURCE)) {
            if (in == null) {
                return null;
            }
            List<String[]> rows = TabSeparated.rows(new String(in.readAllBytes(), StandardCharsets.UTF_8), 3);
            if (rows == null) {
                return null;
            }
            List<Summary> summaries = new ArrayList<>();
            for (String[] fields : rows) {
                ComponentType type = CatalogIndex.byDirectory(fields[0]);
                if (type == null) {
                    return null;
                }
                summaries.add(new Summary(type, fields[1], fields[2]));
            }
            return summaries;
        } catch (IOException e) {
            return null;
        }
    }

    /** Build step: writes the packaged catalog's summaries to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Summary s : new BundledCatalog(BundledFiles.load()).parsedSummaries()) {
            TabSeparated.appendRow(text, s.type().directory(), s.id(), s.description());
        }
        Path target = Path.of(args[0]);
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
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
