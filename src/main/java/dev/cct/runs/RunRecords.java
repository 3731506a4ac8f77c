package dev.cct.runs;

import dev.cct.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The run records under one folder ({@code ~/.local/share/cct/runs}), one folder per run id. Only the owner may read
 * them (folders 0700, files 0600): a transcript holds the user's code and what Claude said about it.
 */
public final class RunRecords {
    public static final String RECORD = "run.json";
    public static final String WORKSPACE = "workspace.tar";
    public static final String SESSION = "session.jsonl";
    private static final Pattern ID = Pattern.compile("[0-9a-z][0-9a-z-]{3,63}");

    private final Path root;

    public RunRecords(Path root) {
        this.root = root;
    }

    /** Where the records live. */
    public Path root() {
        return root;
    }

    /** A run's record folder with what it holds. */
    public record Entry(RunRecord record, Path folder) {
        public Path workspace() {
            return folder.resolve(WORKSPACE);
        }

        public Path session() {
            return folder.resolve(SESSION);
        }

        /** Bytes the record takes on disk. */
        public long size() {
            long total = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path file : files) {
                    total += Files.size(file);
                }
            } catch (IOException e) {
                return total;
            }
            return total;
        }
    }

    /** Why a reference to a run could not be followed: one line for the user. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String message) {
            super(message);
        }
    }

    /** A new, empty, owner-only record folder for {@code id}; where the run writes its files before {@link #save}. */
    public Path create(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a run id: " + id);
        }
        if (root.getParent() != null) {
            Files.createDirectories(root.getParent());
        }
        ownerOnlyFolder(root);
        Path folder = root.resolve(id);
        ownerOnlyFolder(folder);
        return folder;
    }

    /** Writes {@code record} into its folder, last, so that a folder without run.json is a run that did not finish. */
    public void save(Path folder, RunRecord record) throws IOException {
        Path temp = folder.resolve(RECORD + ".tmp");
        try (OutputStream out = ownerOnlyFile(temp)) {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(out, record);
        }
        Files.move(temp, folder.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Opens {@code name} in {@code folder} for writing, readable by the owner only. */
    public static OutputStream ownerOnlyFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(file);
        }
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Every finished record, newest first; unreadable ones are left out. */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                read(folder).ifPresent(entries::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing((Entry e) -> e.record().started()).reversed());
        return entries;
    }

    /** The run {@code reference} names: a run id, a unique prefix of one, or "last". */
    public Entry find(String reference) {
        List<Entry> all = list();
        if (reference.equals("last")) {
            if (all.isEmpty()) {
                throw new Unknown("there is no run to continue yet (records are in " + root + ")");
            }
            return all.get(0);
        }
        List<Entry> matches = all.stream().filter(e -> e.record().id().startsWith(reference)).toList();
        Optional<Entry> exact = matches.stream().filter(e -> e.record().id().equals(reference)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        if (matches.isEmpty()) {
            if (Files.isDirectory(root.resolve(reference)) && Files.exists(root.resolve(reference).resolve(RECORD))) {
                throw new Unknown("run " + reference + " has a record this cct cannot read (another version?)");
            }
            throw new Unknown("no run '" + reference + "'");
        }
        if (matches.size() > 1) {
            throw new Unknown("'" + reference + "' names " + matches.size() + " runs: "
                    + String.join(", ", matches.stream().map(e -> e.record().id()).sorted().toList()) + "; give more of the id");
        }
        return matches.get(0);
    }

    /** Deletes one run's record. */
    public void remove(Entry entry) throws IOException {
        deleteTree(entry.folder());
    }

    /** Deletes the records of runs that started before {@code now - age}; returns them. */
    public List<Entry> prune(Duration age, Instant now) throws IOException {
        Instant cutoff = now.minus(age);
        List<Entry> removed = new ArrayList<>();
        for (Entry entry : list()) {
            if (entry.record().started().isBefore(cutoff)) {
                remove(entry);
                removed.add(entry);
            }
        }
        return removed;
    }

    private static Optional<Entry> read(Path folder) {
        Path file = folder.resolve(RECORD);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            RunRecord record = Json.mapper().readValue(in, RunRecord.class);
            if (record.format() != RunRecord.FORMAT || record.id() == null || !record.id().equals(folder.getFileName().toString())) {
                return Optional.empty();
            }
            return Optional.of(new Entry(record, folder));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void ownerOnlyFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createDirectory(folder);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // Another cct made it meanwhile.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
