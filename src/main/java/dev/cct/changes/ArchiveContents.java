package dev.cct.changes;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The files an upload archive carried below one folder: their states (what a change is measured against) and their
 * bytes, read again from the archive on demand so that nothing of the upload needs to be held in memory. A path
 * the archive holds twice (a component installed over an uploaded file) is what the sandbox received: the last one.
 */
public final class ArchiveContents implements Contents, Closeable {
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries;
    private final List<FileState> states;

    private ArchiveContents(TarFile tar, Map<String, TarArchiveEntry> entries, List<FileState> states) {
        this.tar = tar;
        this.entries = entries;
        this.states = states;
    }

    public static ArchiveContents open(Path archive, String folder) throws IOException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        TarFile tar = new TarFile(archive);
        try {
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            for (TarArchiveEntry entry : tar.getEntries()) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (name.startsWith(prefix) && name.length() > prefix.length() && (entry.isFile() || entry.isSymbolicLink())) {
                    String relative = name.substring(prefix.length());
                    entries.remove(relative);
                    entries.put(relative, entry);
                }
            }
            List<FileState> states = new ArrayList<>(entries.size());
            for (Map.Entry<String, TarArchiveEntry> e : entries.entrySet()) {
                TarArchiveEntry entry = e.getValue();
                if (entry.isSymbolicLink()) {
                    states.add(FileState.symlink(e.getKey(), entry.getLinkName()));
                } else {
                    String digest;
                    try (InputStream in = tar.getInputStream(entry)) {
                        digest = Digests.sha256(in);
                    }
                    states.add(FileState.file(e.getKey(), (entry.getMode() & 0100) != 0, entry.getSize(), digest));
                }
            }
            return new ArchiveContents(tar, entries, List.copyOf(states));
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /** Every uploaded file and symlink, in archive order. */
    public List<FileState> states() {
        return states;
    }

    @Override
    public byte[] read(FileState state) throws IOException {
        if (state.isSymlink()) {
            return state.linkTarget().getBytes(StandardCharsets.UTF_8);
        }
        TarArchiveEntry entry = entries.get(state.path());
        if (entry == null || !entry.isFile()) {
            throw new IOException("the upload holds no file " + state.path());
        }
        try (InputStream in = tar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** The bytes of an uploaded file as a stream, for copying without holding it. */
    public InputStream stream(FileState state) throws IOException {
        TarArchiveEntry entry = entries.get(state.path());
        if (entry == null || !entry.isFile()) {
            throw new IOException("the upload holds no file " + state.path());
        }
        return tar.getInputStream(entry);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
