package dev.cct.archive;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tar stream of files, folders and symlinks. Entry names are relative and '/'-separated.
 *
 * <p>Every entry is owned by the same numeric uid/gid and carries no user or group name: the archive is
 * unpacked on another machine (a sandbox) where local names mean nothing, and extractors running as root
 * would otherwise prefer the names. Closing the writer finishes the archive and closes the wrapped stream.
 */
public final class TarWriter implements Closeable {
    private static final int FILE_MODE = 0100644;
    private static final int EXECUTABLE_MODE = 0100755;
    private static final int DIRECTORY_MODE = 040755;
    private static final int SYMLINK_MODE = 0120777;

    private final TarArchiveOutputStream tar;
    private final int uid;
    private final int gid;
    private final FileTime createdAt = FileTime.fromMillis(System.currentTimeMillis());
    private final byte[] copyBuffer = new byte[64 * 1024];

    /** A writer whose entries belong to uid/gid 0. */
    public TarWriter(OutputStream out) {
        this(out, 0, 0);
    }

    public TarWriter(OutputStream out, int uid, int gid) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        // POSIX (pax) headers: any name length, sizes over 8 GiB, and non-ASCII names that every tar reads.
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        this.uid = uid;
        this.gid = gid;
    }

    /** An archive in memory of {@code files} (path to content), none executable, owned by root. */
    public static byte[] of(Map<String, byte[]> files) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                tar.addFile(file.getKey(), file.getValue(), false);
            }
        }
        return bytes.toByteArray();
    }

    public void addFile(String path, byte[] content, boolean executable) throws IOException {
        TarArchiveEntry entry = entry(fileName(path), TarConstants.LF_NORMAL,
                executable ? EXECUTABLE_MODE : FILE_MODE, createdAt);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Streams {@code source} into the archive; a file that grows meanwhile is cut at the size it had when we began. */
    public void addFile(String path, Path source, boolean executable) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(source, BasicFileAttributes.class);
        TarArchiveEntry entry = entry(fileName(path), TarConstants.LF_NORMAL,
                executable ? EXECUTABLE_MODE : FILE_MODE, attributes.lastModifiedTime());
        long size = attributes.size();
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(source)) {
            copyExactly(in, size, source);
        }
        tar.closeArchiveEntry();
    }

    /** Streams exactly {@code size} bytes of {@code in} into the archive as one file. */
    public void addFile(String path, InputStream in, long size, boolean executable) throws IOException {
        TarArchiveEntry entry = entry(fileName(path), TarConstants.LF_NORMAL,
                executable ? EXECUTABLE_MODE : FILE_MODE, createdAt);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        copyExactly(in, size, Path.of(path));
        tar.closeArchiveEntry();
    }

    public void addDirectory(String path) throws IOException {
        String name = fileName(path) + "/";
        tar.putArchiveEntry(entry(name, TarConstants.LF_DIR, DIRECTORY_MODE, createdAt));
        tar.closeArchiveEntry();
    }

    /** Stores a symlink as a symlink; {@code linkTarget} is kept verbatim, as the link itself would hold it. */
    public void addSymlink(String path, String linkTarget) throws IOException {
        addSymlink(path, linkTarget, createdAt);
    }

    /**
     * Adds every regular file, folder and symlink below {@code root} under the folder {@code prefix}
     * ("" for the archive root). Symlinks are stored, never followed. Inside a git checkout only what git
     * would track or could track is taken (.gitignore honoured); the .git folder is always left out. Sockets,
     * pipes and devices are left out: they cannot be carried to another machine.
     */
    public void addTree(Path root, String prefix) throws IOException {
        addTree(root, prefix, relative -> false);
    }

    /** As {@link #addTree(Path, String)}, also leaving out the paths (relative to root) that {@code leaveOut} accepts. */
    public void addTree(Path root, String prefix, java.util.function.Predicate<String> leaveOut) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("not a folder: " + root);
        }
        String base = EntryNames.clean(prefix);
        if (!base.isEmpty()) {
            addDirectory(base);
        }
        addChildren(root, "", base, TreeSelection.of(root), leaveOut);
    }

    /** Finishes the archive and closes the wrapped stream. */
    @Override
    public void close() throws IOException {
        tar.close();
    }

    private void addChildren(Path folder, String relativeFolder, String base, TreeSelection selection,
                             java.util.function.Predicate<String> leaveOut) throws IOException {
        for (Path child : sortedChildren(folder)) {
            String name = child.getFileName().toString();
            if (name.equals(".git")) {
                continue;
            }
            String relative = EntryNames.join(relativeFolder, name);
            if (!selection.includes(relative) || leaveOut.test(relative)) {
                continue;
            }
            String entryName = EntryNames.join(base, relative);
            BasicFileAttributes attributes =
                    Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                String linkTarget = Files.readSymbolicLink(child).toString()
                        .replace(child.getFileSystem().getSeparator(), "/");
                addSymlink(entryName, linkTarget, attributes.lastModifiedTime());
            } else if (attributes.isDirectory()) {
                addDirectory(entryName);
                addChildren(child, relative, base, selection, leaveOut);
            } else if (attributes.isRegularFile()) {
                addFile(entryName, child, isExecutable(child));
            }
        }
    }

    /** Sorted so that the same tree always gives the same archive. */
    private static List<Path> sortedChildren(Path folder) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        return children;
    }

    private static boolean isExecutable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException noPosixPermissions) {
            return false;
        }
    }

    private void addSymlink(String path, String linkTarget, FileTime modified) throws IOException {
        TarArchiveEntry entry = entry(fileName(path), TarConstants.LF_SYMLINK, SYMLINK_MODE, modified);
        entry.setLinkName(linkTarget);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, byte type, int mode, FileTime modified) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setIds(uid, gid);
        entry.setNames("", "");
        entry.setModTime(modified);
        return entry;
    }

    /** The size is already in the header, so exactly that many bytes must follow. */
    private void copyExactly(InputStream in, long size, Path source) throws IOException {
        long remaining = size;
        while (remaining > 0) {
            int read = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, remaining));
            if (read < 0) {
                throw new EOFException("file shrank while being archived: " + source);
            }
            tar.write(copyBuffer, 0, read);
            remaining -= read;
        }
    }

    /** Our archives must be safe to extract, so a name may not climb out of the archive root. */
    private static String fileName(String path) {
        List<String> segments = EntryNames.segments(path);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty entry name: '" + path + "'");
        }
        if (segments.contains("..")) {
            throw new IllegalArgumentException("entry name contains '..': " + path);
        }
        return String.join("/", segments);
    }
}
