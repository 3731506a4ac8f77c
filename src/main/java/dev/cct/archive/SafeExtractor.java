package dev.cct.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a tar stream that came from a machine we do not trust (a sandbox where an agent ran with every
 * permission) so that nothing lands outside the target folder.
 *
 * <p>Unsafe entries are refused and listed in the report rather than thrown: one hostile name must not cost
 * the user every other result. Refused: absolute names, names with "..", symlinks that are absolute or lead
 * outside the target, hard links, devices, FIFOs, and anything whose folder inside the target is a symlink.
 * Symlinks already on disk are never followed: a new file is created exclusively (O_EXCL, which never follows a
 * link), and one that replaces an existing entry is written to a fresh temp file and renamed into place, which
 * replaces a symlink instead of writing through it.
 *
 * <p>Not a defence against another process changing the target folder while we extract.
 */
public final class SafeExtractor {
    private static final int EXECUTE_BITS = 0111;

    private final Path root;
    private final Predicate<String> skip;
    private final boolean posix;
    private final Set<String> refusedPaths = new HashSet<>();
    /** Folders this extraction created or checked (real folders, not links): not checked again per entry. */
    private final Set<Path> knownFolders = new HashSet<>();
    private final List<String> refused = new ArrayList<>();
    private final List<String> writtenPaths = new ArrayList<>();
    private int files;
    private int directories;
    private int symlinks;
    private long bytes;
    private int skipped;

    private SafeExtractor(Path root, Predicate<String> skip) {
        this.root = root;
        this.skip = skip;
        this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        knownFolders.add(root);
    }

    /**
     * Writes every acceptable entry of {@code tar} under {@code target}, creating it if missing.
     * {@code skip} gets each entry's clean relative path ("a/b.txt", no leading "./") and leaves out those it
     * accepts. The stream is read to the end of the archive but not closed.
     *
     * @throws IOException when reading the archive or writing to disk fails; never for a refused entry
     */
    public static ExtractionReport extract(InputStream tar, Path target, Predicate<String> skip) throws IOException {
        return extractFolder(tar, "", target, skip);
    }

    /**
     * Like {@link #extract}, for the entries below {@code folder} of the archive only ("workspace" takes
     * "workspace/a.txt" as "a.txt"); entries outside it are passed over without being counted.
     */
    public static ExtractionReport extractFolder(InputStream tar, String folder, Path target, Predicate<String> skip)
            throws IOException {
        Objects.requireNonNull(skip, "skip");
        String prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        Files.createDirectories(target);
        SafeExtractor extractor = new SafeExtractor(target.toRealPath(), skip);
        // Not closed: closing it would close the caller's stream.
        // Tar is read in 512-byte records: straight off a network stream each would be a call through every layer.
        TarArchiveInputStream entries = new TarArchiveInputStream(new BufferedInputStream(tar, 1 << 20), StandardCharsets.UTF_8.name());
        for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
            if (!prefix.isEmpty()) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                    continue;
                }
                entry.setName(name.substring(prefix.length()));
            }
            extractor.extractEntry(entry, entries);
        }
        return extractor.report();
    }

    private ExtractionReport report() {
        return new ExtractionReport(files, directories, symlinks, bytes, skipped, refused, writtenPaths);
    }

    private void extractEntry(TarArchiveEntry entry, InputStream data) throws IOException {
        String name = entry.getName();
        String relative;
        try {
            relative = relativeName(name);
        } catch (Refused refusal) {
            refused.add(EntryNames.printable(name) + ": " + refusal.getMessage());
            return;
        }
        if (relative.isEmpty()) {
            return; // "./": the target folder itself
        }
        if (skip.test(relative)) {
            skipped++;
            return;
        }
        try {
            refuseInsideRefused(relative);
            Path path = root.resolve(relative);
            switch (kind(entry)) {
                case FILE -> writeFile(path, relative, entry, data);
                case DIRECTORY -> makeDirectory(path, relative);
                case SYMLINK -> makeSymlink(path, relative, entry.getLinkName());
                case HARD_LINK -> throw new Refused("hard links are not extracted");
                case CHARACTER_DEVICE -> throw new Refused("character devices are not extracted");
                case BLOCK_DEVICE -> throw new Refused("block devices are not extracted");
                case FIFO -> throw new Refused("FIFOs are not extracted");
                default -> throw new Refused("unsupported entry type '" + (char) entry.getLinkFlag() + "'");
            }
        } catch (Refused refusal) {
            refusedPaths.add(relative);
            refused.add(EntryNames.printable(name) + ": " + refusal.getMessage());
        }
    }

    /** The entry's name relative to the target, "" for the target itself. */
    private String relativeName(String name) throws Refused {
        if (name.isEmpty()) {
            throw new Refused("empty name");
        }
        if (name.startsWith("/")) {
            throw new Refused("absolute path");
        }
        List<String> segments = EntryNames.segments(name);
        if (segments.contains("..")) {
            throw new Refused("contains '..'");
        }
        String relative = String.join("/", segments);
        if (relative.isEmpty()) {
            return relative;
        }
        // On a file system with other separators or drive letters the name may still mean something else.
        Path resolved;
        try {
            Path asPath = root.getFileSystem().getPath(relative);
            if (asPath.isAbsolute() || asPath.getRoot() != null) {
                throw new Refused("absolute path");
            }
            resolved = root.resolve(asPath).normalize();
        } catch (InvalidPathException e) {
            throw new Refused("invalid name (" + e.getReason() + ")");
        }
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new Refused("resolves outside the target folder");
        }
        return relative;
    }

    /** A refused symlink must not come back as a real folder through the entries that were meant to go through it. */
    private void refuseInsideRefused(String relative) throws Refused {
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            String ancestor = relative.substring(0, slash);
            if (refusedPaths.contains(ancestor)) {
                throw new Refused("inside refused entry '" + EntryNames.printable(ancestor) + "'");
            }
        }
    }

    private void writeFile(Path path, String relative, TarArchiveEntry entry, InputStream data)
            throws IOException, Refused {
        prepareParents(path);
        BasicFileAttributes existing = attributesOrNull(path);
        if (existing != null && existing.isDirectory()) {
            throw new Refused("a folder with that name exists");
        }
        boolean executable = (entry.getMode() & EXECUTE_BITS) != 0;
        if (existing == null) {
            // Nothing there (the usual case, a fresh results folder): create it exclusively. O_EXCL never follows
            // a link, so a symlink that appeared meanwhile makes this fail instead of being written through.
            OutputStream fresh = null;
            try {
                fresh = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException raced) {
                // Fall through to the temp-file route below.
            }
            if (fresh != null) {
                long written;
                try (OutputStream out = fresh) {
                    written = data.transferTo(out);
                }
                finishFile(path, entry, executable);
                bytes += written;
                files++;
                writtenPaths.add(relative);
                return;
            }
        }
        Path temp = Files.createTempFile(path.getParent(), ".cct-extract-", ".tmp");
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                written = data.transferTo(out);
            }
            finishFile(temp, entry, executable);
            // rename() replaces whatever is at path, a symlink included, without following it.
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            bytes += written;
        } finally {
            Files.deleteIfExists(temp);
        }
        files++;
        writtenPaths.add(relative);
    }

    private void finishFile(Path file, TarArchiveEntry entry, boolean executable) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
        Files.setLastModifiedTime(file, entry.getLastModifiedTime());
    }

    private void makeDirectory(Path path, String relative) throws IOException, Refused {
        prepareParents(path);
        BasicFileAttributes existing = attributesOrNull(path);
        if (existing == null) {
            Files.createDirectory(path);
        } else if (existing.isSymbolicLink()) {
            throw new Refused("'" + EntryNames.printable(relative) + "' is a symlink on disk");
        } else if (!existing.isDirectory()) {
            throw new Refused("a file with that name exists");
        }
        knownFolders.add(path);
        directories++;
    }

    private void makeSymlink(Path path, String relative, String linkTarget) throws IOException, Refused {
        Path target = checkedLinkTarget(relative, linkTarget);
        prepareParents(path);
        BasicFileAttributes existing = attributesOrNull(path);
        if (existing != null && existing.isDirectory()) {
            throw new Refused("a folder with that name exists");
        }
        if (existing != null) {
            Files.delete(path); // later entries win, as with tar; delete() removes a link, not what it points to
        }
        Files.createSymbolicLink(path, target);
        symlinks++;
    }

    /**
     * Accepts a link target only as some "../" followed by plain names that stay inside the target. The check is
     * on text, and text can lie once a path goes through another link: with "l -> ../.." in d/e, "d/e/l/../.."
     * reads as "d" but really climbs two levels above the target. Every folder a link sits in is a real one
     * (checked when created), so the leading "../" steps are honest, and descending only through links that
     * passed this same check stays inside.
     */
    private Path checkedLinkTarget(String relative, String linkTarget) throws Refused {
        if (linkTarget == null || linkTarget.isEmpty()) {
            throw new Refused("symlink with an empty target");
        }
        FileSystem fileSystem = root.getFileSystem();
        Path target;
        try {
            target = fileSystem.getPath(linkTarget);
        } catch (InvalidPathException e) {
            throw new Refused("symlink target is invalid (" + e.getReason() + ")");
        }
        if (linkTarget.startsWith("/") || target.isAbsolute() || target.getRoot() != null) {
            throw new Refused("symlink to an absolute path (" + EntryNames.printable(linkTarget) + ")");
        }
        List<String> segments = EntryNames.segments(linkTarget);
        int ups = 0;
        while (ups < segments.size() && segments.get(ups).equals("..")) {
            ups++;
        }
        if (segments.subList(ups, segments.size()).contains("..")) {
            throw new Refused("symlink target has '..' after a folder name (" + EntryNames.printable(linkTarget) + ")");
        }
        int depthOfLinkFolder = EntryNames.segments(relative).size() - 1;
        Path resolved = root.resolve(relative).getParent().resolve(target).normalize();
        if (ups > depthOfLinkFolder || !resolved.startsWith(root)) {
            throw new Refused("symlink points outside the target folder (" + EntryNames.printable(linkTarget) + ")");
        }
        return target;
    }

    /** Creates the missing folders above {@code path}, refusing to pass through a symlink or a file. */
    private void prepareParents(Path path) throws IOException, Refused {
        Path parent = path.getParent();
        if (knownFolders.contains(parent)) {
            return;
        }
        Path current = root;
        for (Path segment : root.relativize(parent)) {
            current = current.resolve(segment);
            if (knownFolders.contains(current)) {
                continue;
            }
            BasicFileAttributes existing = attributesOrNull(current);
            if (existing == null) {
                Files.createDirectory(current);
            } else if (existing.isSymbolicLink()) {
                throw new Refused("'" + EntryNames.printable(root.relativize(current).toString()) + "' is a symlink");
            } else if (!existing.isDirectory()) {
                throw new Refused("'" + EntryNames.printable(root.relativize(current).toString()) + "' is not a folder");
            }
            knownFolders.add(current);
        }
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private enum Kind { FILE, DIRECTORY, SYMLINK, HARD_LINK, CHARACTER_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

    /** Decided on the type flag alone: TarArchiveEntry.isFile() is true for any unknown type. */
    private static Kind kind(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (entry.isLink()) {
            return Kind.HARD_LINK;
        }
        if (entry.isCharacterDevice()) {
            return Kind.CHARACTER_DEVICE;
        }
        if (entry.isBlockDevice()) {
            return Kind.BLOCK_DEVICE;
        }
        if (entry.isFIFO()) {
            return Kind.FIFO;
        }
        if (entry.isDirectory()) {
            return Kind.DIRECTORY;
        }
        byte type = entry.getLinkFlag();
        if (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_CONTIG || entry.isOldGNUSparse()) {
            return Kind.FILE;
        }
        return Kind.OTHER;
    }

    /** An entry we will not extract; the message becomes the reason in the report. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
