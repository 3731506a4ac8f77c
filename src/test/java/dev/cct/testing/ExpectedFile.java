package dev.cct.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A file a {@link Scenario} makes the real CLI create: its path relative to the working directory,
 * its exact bytes, and whether it carries the owner execute bit ({@link #check} insists both ways).
 */
public record ExpectedFile(String path, byte[] bytes, boolean executable) {

    public ExpectedFile {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Checks this file under {@code root}. Returns the problems found (empty = the file is there,
     * a regular file, with exactly these bytes and, if required, executable).
     */
    public List<String> check(Path root) {
        List<String> problems = new ArrayList<>();
        Path file = root.resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(path + ": missing or not a regular file");
            return problems;
        }
        try {
            byte[] actual = Files.readAllBytes(file);
            if (!Arrays.equals(actual, bytes)) {
                problems.add(path + ": content differs: expected " + bytes.length + " bytes "
                        + preview(bytes) + ", got " + actual.length + " bytes " + preview(actual));
            }
        } catch (IOException e) {
            problems.add(path + ": unreadable: " + e);
        }
        try {
            boolean x = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
            if (x != executable) {
                problems.add(path + (executable ? ": owner execute bit missing" : ": unexpectedly executable"));
            }
        } catch (UnsupportedOperationException | IOException e) {
            if (executable && !Files.isExecutable(file)) {
                problems.add(path + ": not executable");
            }
        }
        return problems;
    }

    private static String preview(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 24)) + (b.length > 24 ? "..." : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpectedFile e && e.path.equals(path) && e.executable == executable
                && Arrays.equals(e.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ExpectedFile[" + path + ", " + bytes.length + " bytes" + (executable ? ", executable" : "") + "]";
    }
}
