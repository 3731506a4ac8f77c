package dev.cct.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Files to write, by path relative to a project root ("/" separated), in the order they were added. */
public final class FileTree {
    /** One file: its bytes, whether it must be executable, and which component wrote it. */
    public record Entry(byte[] content, boolean executable, String owner) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public void put(String path, Entry entry) {
        entries.put(path, entry);
    }

    public Entry get(String path) {
        return entries.get(path);
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
