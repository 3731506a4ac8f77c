package dev.cct.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The regular files an upload archive carried under one folder, by relative path and content hash, so that what
 * comes back can be told apart: files Claude created, files it modified, and uploads that came back unchanged.
 */
public final class UploadManifest {
    private final Map<String, String> digests;

    private UploadManifest(Map<String, String> digests) {
        this.digests = digests;
    }

    /** Reads {@code tar} and keeps the files under {@code folder/}, relative to it. */
    public static UploadManifest ofArchive(Path tar, String folder) throws IOException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        Map<String, String> digests = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar), 1 << 16))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isFile() && name.startsWith(prefix)) {
                    digests.put(name.substring(prefix.length()), digest(in));
                }
            }
        }
        return new UploadManifest(digests);
    }

    /** What became of the files written under {@code root}, by comparison with this manifest. */
    public Changes compare(Path root, List<String> writtenPaths) throws IOException {
        List<String> created = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        int unchanged = 0;
        for (String path : writtenPaths) {
            String uploaded = digests.get(path);
            if (uploaded == null) {
                created.add(path);
                continue;
            }
            Path file = root.resolve(path);
            String now;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                now = digest(in);
            }
            if (now.equals(uploaded)) {
                unchanged++;
            } else {
                modified.add(path);
            }
        }
        return new Changes(created, modified, unchanged);
    }

    /** Files Claude created and modified (in archive order), and how many uploads came back as they went. */
    public record Changes(List<String> created, List<String> modified, int unchanged) {
        public Changes {
            created = List.copyOf(created);
            modified = List.copyOf(modified);
        }

        public int produced() {
            return created.size() + modified.size();
        }
    }

    private static String digest(InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
