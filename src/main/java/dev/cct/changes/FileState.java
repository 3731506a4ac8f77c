package dev.cct.changes;

import java.util.Objects;

/**
 * One entry of a workspace, as uploaded or as found in the sandbox after Claude: a regular file (with its executable
 * bit, size and SHA-256) or a symlink (with its target, kept verbatim). Git tracks no more than that of a file, so a
 * change is exact when these agree.
 *
 * @param path       clean relative '/'-separated path below the workspace root
 * @param sha256     lower-case hex digest of a file's bytes; null for a symlink
 * @param linkTarget what a symlink points at; null for a file
 */
public record FileState(String path, Type type, boolean executable, long size, String sha256, String linkTarget) {
    public enum Type { FILE, SYMLINK }

    public FileState {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        if (type == Type.FILE) {
            Objects.requireNonNull(sha256, "sha256");
        } else {
            Objects.requireNonNull(linkTarget, "linkTarget");
        }
    }

    public static FileState file(String path, boolean executable, long size, String sha256) {
        return new FileState(path, Type.FILE, executable, size, sha256, null);
    }

    public static FileState symlink(String path, String linkTarget) {
        return new FileState(path, Type.SYMLINK, false, linkTarget.length(), null, linkTarget);
    }

    public boolean isSymlink() {
        return type == Type.SYMLINK;
    }

    /** Same bytes (or the same link target), whatever the path and the executable bit. */
    public boolean sameContent(FileState other) {
        return type == other.type && Objects.equals(sha256, other.sha256) && Objects.equals(linkTarget, other.linkTarget);
    }

    /** Same content and the same executable bit: nothing git would report. */
    public boolean sameAs(FileState other) {
        return sameContent(other) && executable == other.executable;
    }

    public FileState at(String newPath) {
        return new FileState(newPath, type, executable, size, sha256, linkTarget);
    }
}
