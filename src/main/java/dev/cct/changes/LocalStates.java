package dev.cct.changes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The states of the entries of a folder on this machine, in the same terms as the sandbox's listing. */
public final class LocalStates {
    private LocalStates() {
    }

    /**
     * Every file and symlink below {@code root}, symlinks never followed, .git folders not entered; paths that
     * {@code skip} accepts are left out (a skipped folder is not entered).
     */
    public static List<FileState> scan(Path root, Predicate<String> skip) throws IOException {
        List<FileState> states = new ArrayList<>();
        walk(root, "", skip, states);
        return states;
    }

    /** The state of {@code relative} below {@code root}, or empty when nothing (or a folder) is there. */
    public static Optional<FileState> of(Path root, String relative) throws IOException {
        Path path = root.resolve(relative);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(state(path, relative, attributes));
    }

    private static void walk(Path folder, String relativeFolder, Predicate<String> skip, List<FileState> states)
            throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        for (Path child : children) {
            String name = child.getFileName().toString();
            String relative = relativeFolder.isEmpty() ? name : relativeFolder + "/" + name;
            if (name.equals(".git") || skip.test(relative)) {
                continue;
            }
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                walk(child, relative, skip, states);
            } else {
                FileState state = state(child, relative, attributes);
                if (state != null) {
                    states.add(state);
                }
            }
        }
    }

    private static FileState state(Path path, String relative, BasicFileAttributes attributes) throws IOException {
        if (attributes.isSymbolicLink()) {
            return FileState.symlink(relative, Files.readSymbolicLink(path).toString().replace(path.getFileSystem().getSeparator(), "/"));
        }
        if (!attributes.isRegularFile()) {
            return null;
        }
        String digest;
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            digest = Digests.sha256(in);
        }
        return FileState.file(relative, executable(path), attributes.size(), digest);
    }

    static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException noPosix) {
            return false;
        }
    }
}
