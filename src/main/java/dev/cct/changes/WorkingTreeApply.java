package dev.cct.changes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a change to the user's folder, all or nothing: every path is checked first (it must still hold what was
 * uploaded, and a new path must still be free), and one conflict means nothing is written. Paths that could not land
 * safely (climbing out, into .git, through a symlinked folder) are refused and left out.
 */
public final class WorkingTreeApply {
    private WorkingTreeApply() {
    }

    /** A path whose local state is no longer what the change was made against. */
    public record Conflict(String path, String reason) {
    }

    /**
     * @param applied   the changed paths written or removed
     * @param conflicts why nothing was written; empty when the change was applied
     * @param refused   entries left out as unsafe, each "path: reason"
     */
    public record Result(List<String> applied, List<Conflict> conflicts, List<String> refused) {
        public Result {
            applied = List.copyOf(applied);
            conflicts = List.copyOf(conflicts);
            refused = List.copyOf(refused);
        }
    }

    public static Result apply(Path root, ChangeSet change, Contents after) throws IOException {
        List<String> refused = new ArrayList<>();
        List<Change> safe = new ArrayList<>();
        for (Change c : change.changes()) {
            Optional<String> unsafe = unsafe(root, c.path()).or(() -> unsafe(root, c.oldPath()));
            if (unsafe.isPresent()) {
                refused.add(unsafe.get());
            } else {
                safe.add(c);
            }
        }
        List<Conflict> conflicts = new ArrayList<>();
        for (Change c : safe) {
            conflict(root, c).ifPresent(conflicts::add);
        }
        if (!conflicts.isEmpty()) {
            return new Result(List.of(), conflicts, refused);
        }
        // Content first, so that a read failure leaves the folder as it was.
        List<byte[]> contents = new ArrayList<>();
        for (Change c : safe) {
            contents.add(c.after() == null ? null : after.read(c.after()));
        }
        List<String> applied = new ArrayList<>();
        for (Change c : safe) {
            if (c.before() != null && !c.oldPath().equals(c.path())) {
                Files.deleteIfExists(root.resolve(c.oldPath()));
            } else if (c.after() == null) {
                Files.deleteIfExists(root.resolve(c.path()));
            }
        }
        for (int i = 0; i < safe.size(); i++) {
            Change c = safe.get(i);
            if (c.after() != null) {
                write(root, c.after(), contents.get(i));
            }
            applied.add(c.path());
        }
        return new Result(applied, List.of(), refused);
    }

    private static Optional<Conflict> conflict(Path root, Change c) throws IOException {
        if (c.before() != null) {
            Optional<FileState> now = LocalStates.of(root, c.oldPath());
            if (now.isEmpty()) {
                return Optional.of(new Conflict(c.oldPath(), "deleted locally"));
            }
            if (!now.get().sameAs(c.before())) {
                return Optional.of(new Conflict(c.oldPath(), "changed locally"));
            }
        }
        if (c.after() != null && !c.path().equals(c.oldPath()) || c.before() == null) {
            Optional<FileState> now = LocalStates.of(root, c.path());
            if (now.isPresent() && !now.get().sameAs(c.after())) {
                return Optional.of(new Conflict(c.path(), "created locally"));
            }
            if (now.isEmpty() && Files.isDirectory(root.resolve(c.path()), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(new Conflict(c.path(), "a folder is there"));
            }
        }
        return Optional.empty();
    }

    /** Why {@code path} cannot be written below {@code root}, if it cannot. */
    static Optional<String> unsafe(Path root, String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return Optional.of(path + ": not a relative path");
        }
        String[] segments = path.split("/");
        Path folder = root;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of(path + ": not a clean relative path");
            }
            if (segment.equals(".git")) {
                return Optional.of(path + ": inside a .git folder");
            }
            if (i < segments.length - 1) {
                folder = folder.resolve(segment);
                if (Files.isSymbolicLink(folder)) {
                    return Optional.of(path + ": its folder " + root.relativize(folder) + " is a symlink");
                }
                if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(path + ": " + root.relativize(folder) + " is a file");
                }
            }
        }
        return Optional.empty();
    }

    /** Written beside and renamed into place: an existing symlink is replaced, never written through. */
    private static void write(Path root, FileState state, byte[] content) throws IOException {
        Path target = root.resolve(state.path());
        Files.createDirectories(target.getParent());
        if (state.isSymlink()) {
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, target.getFileSystem().getPath(state.linkTarget()));
            return;
        }
        Path temp = Files.createTempFile(target.getParent(), ".cct-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(content);
            }
            setExecutable(temp, target, state.executable());
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void setExecutable(Path file, Path replaced, boolean executable) throws IOException {
        try {
            // A replaced file keeps its permissions; a new one gets what git gives it (0644), execute following read.
            Set<PosixFilePermission> permissions = Files.isRegularFile(replaced, LinkOption.NOFOLLOW_LINKS)
                    ? EnumSet.copyOf(Files.getPosixFilePermissions(replaced, LinkOption.NOFOLLOW_LINKS)) : newFileDefault();
            permissions.removeAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
            if (executable) {
                if (permissions.contains(PosixFilePermission.OWNER_READ)) {
                    permissions.add(PosixFilePermission.OWNER_EXECUTE);
                }
                if (permissions.contains(PosixFilePermission.GROUP_READ)) {
                    permissions.add(PosixFilePermission.GROUP_EXECUTE);
                }
                if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                }
            }
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException noPosix) {
            // Nothing to keep on a file system without modes.
        }
    }

    private static Set<PosixFilePermission> newFileDefault() {
        return EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    }
}
