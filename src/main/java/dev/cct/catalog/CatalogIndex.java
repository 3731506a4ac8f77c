package dev.cct.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cct.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The index claude-code-templates publishes of every component it has ({@code docs/components.json}): per type an
 * array of objects with {@code path} (relative to the type's folder: "category/name.md", or "category/name" for a
 * skill), {@code description} and {@code downloads}. Only what listing and searching need is kept.
 */
public final class CatalogIndex {
    private static final String COMPONENTS_FOLDER = "/cli-tool/components";
    private static final String INDEX_FILE = "/docs/components.json";
    private static final java.util.regex.Pattern NAME_PART = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");

    /** The first line of a digest: its format, then the length and CRC-32C of the index it was made from. */
    private static final String DIGEST_HEADER = "cct-index-digest 1 ";

    /**
     * One indexed component; {@code id} is "category/name" as cct resolves it, {@code description} its first line
     * and {@code text} the whole description in lower case, since the words people search for are often further down.
     */
    public record Entry(ComponentType type, String id, String description, long downloads, String text) {
    }

    private final Map<ComponentType, List<Entry>> entries;

    private CatalogIndex(Map<ComponentType, List<Entry>> entries) {
        this.entries = entries;
    }

    /**
     * Where the index of the catalog at {@code catalogBaseUrl} lives: {@code docs/components.json} of the same
     * repository and branch, when the base URL ends in the repository's {@code cli-tool/components}; else null.
     */
    public static String derivedUrl(String catalogBaseUrl) {
        String base = catalogBaseUrl.endsWith("/") ? catalogBaseUrl.substring(0, catalogBaseUrl.length() - 1) : catalogBaseUrl;
        return base.endsWith(COMPONENTS_FOLDER)
                ? base.substring(0, base.length() - COMPONENTS_FOLDER.length()) + INDEX_FILE : null;
    }

    /**
     * Reads the index; entries that do not name a plain "category/name" are skipped, never guessed at. Read as a
     * stream of tokens, keeping three fields of each entry: the index is megabytes of descriptions, and a tree of it
     * would cost a search most of its time.
     */
    public static CatalogIndex parse(byte[] json) {
        Map<ComponentType, List<Entry>> entries = emptyByType();
        try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object of component types");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                ComponentType type = byDirectory(parser.currentName());
                JsonToken value = parser.nextToken();
                if (type == null || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    String path = "";
                    String description = "";
                    long downloads = 0;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        JsonToken token = parser.nextToken();
                        switch (field) {
                            case "path" -> path = token == JsonToken.VALUE_STRING ? parser.getText() : "";
                            case "description" -> description = token == JsonToken.VALUE_STRING ? parser.getText() : "";
                            case "downloads" -> downloads = token.isNumeric() ? parser.getValueAsLong(0) : 0;
                            default -> parser.skipChildren();
                        }
                    }
                    String id = idOf(type, path);
                    if (id != null) {
                        entries.get(type).add(new Entry(type, id, firstLine(description), Math.max(0, downloads),
                                description.replace("\\n", " ").toLowerCase(Locale.ROOT)));
                    }
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        entries.replaceAll((type, list) -> List.copyOf(list));
        return new CatalogIndex(entries);
    }

    /**
     * The index, read through its digest at {@code digestFile}: the few fields cct keeps, one entry per line. A cold
     * JVM spends most of a search parsing megabytes of JSON, and splitting lines costs a small part of that. The
     * digest names the length and checksum of the index it came from, so a changed index is parsed again and the
     * digest rewritten; a digest that cannot be read or written only costs that parse.
     */
    public static CatalogIndex read(byte[] json, Path digestFile) {
        String header = DIGEST_HEADER + json.length + " " + checksum(json);
        CatalogIndex digested = readDigest(digestFile, header);
        if (digested != null) {
            return digested;
        }
        CatalogIndex index = parse(json);
        writeDigest(index, digestFile, header);
        return index;
    }

    private static String checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return Long.toHexString(crc.getValue());
    }

    private static CatalogIndex readDigest(Path file, String header) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (!text.startsWith(header + "\n")) {
            return null;
        }
        List<String[]> rows = TabSeparated.rows(text.substring(header.length() + 1), 5);
        if (rows == null) {
            return null;
        }
        Map<ComponentType, List<Entry>> entries = emptyByType();
        for (String[] fields : rows) {
            ComponentType type = byDirectory(fields[0]);
            if (type == null) {
                return null;
            }
            long downloads;
            try {
                downloads = Long.parseLong(fields[2]);
            } catch (NumberFormatException e) {
                return null;
            }
            entries.get(type).add(new Entry(type, fields[1], fields[3], downloads, fields[4]));
        }
        entries.replaceAll((type, list) -> List.copyOf(list));
        return new CatalogIndex(entries);
    }

    private static Map<ComponentType, List<Entry>> emptyByType() {
        Map<ComponentType, List<Entry>> entries = new EnumMap<>(ComponentType.class);
        for (ComponentType type : ComponentType.values()) {
            entries.put(type, new ArrayList<>());
        }
        return entries;
    }

    private static void writeDigest(CatalogIndex index, Path file, String header) {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (ComponentType type : ComponentType.values()) {
            for (Entry e : index.entries(type)) {
                TabSeparated.appendRow(text, type.directory(), e.id(), Long.toString(e.downloads()), e.description(), e.text());
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".digest", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // Without a digest the next search parses the index again: slower, never wrong.
        }
    }

    static ComponentType byDirectory(String name) {
        for (ComponentType type : ComponentType.values()) {
            if (type.directory().equals(name)) {
                return type;
            }
        }
        return null;
    }

    public List<Entry> entries(ComponentType type) {
        return entries.getOrDefault(type, List.of());
    }

    private static String idOf(ComponentType type, String path) {
        String id = path.endsWith(type.suffix()) ? path.substring(0, path.length() - type.suffix().length()) : path;
        if (type != ComponentType.SKILL && id.equals(path)) {
            return null;
        }
        String[] parts = id.split("/", -1);
        if (parts.length != 2) {
            return null;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || !NAME_PART.matcher(part).matches()) {
                return null;
            }
        }
        return id;
    }

    /**
     * Upstream's descriptions are front matter copied as written: some are quoted, some carry escaped newlines
     * and whole examples. A listing wants the first line without the quotes.
     */
    static String firstLine(String description) {
        String text = description.replace("\\n", "\n").strip();
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).strip();
        if (line.length() >= 1 && (line.charAt(0) == '"' || line.charAt(0) == '\'')) {
            char quote = line.charAt(0);
            line = line.substring(1);
            if (line.endsWith(String.valueOf(quote))) {
                line = line.substring(0, line.length() - 1);
            }
        }
        return line.replace("\\\"", "\"").strip();
    }
}
