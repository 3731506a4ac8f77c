package dev.cct.run;

import dev.cct.archive.Excludes;
import dev.cct.archive.ExtractionReport;
import dev.cct.archive.SafeExtractor;
import dev.cct.archive.TarWriter;
import dev.cct.changes.ArchiveContents;
import dev.cct.changes.Change;
import dev.cct.changes.ChangeSet;
import dev.cct.changes.FileState;
import dev.cct.changes.LocalStates;
import dev.cct.changes.WorkspaceScan;
import dev.cct.core.Format;
import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.ui.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Brings back what Claude changed, and only that: a command in the sandbox lists the workspace with content hashes,
 * the change is computed here against what was uploaded, and the changed files alone travel back in one download.
 * The results folder is then made of the user's own uploaded files plus the change, so it is what a full copy of the
 * workspace would have been. A sandbox without the tools for the listing gets today's full download instead.
 */
final class ChangeBack {
    private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(5);
    private static final String CHANGED_LIST = ".cct/changed.list";
    private static final String STAGING = ".cct/changes";

    private final Sandbox sandbox;
    private final String workspace;
    private final Path results;
    private final Predicate<String> skip;
    private final Predicate<String> ignored;
    private final Predicate<String> installed;
    private final boolean includeAll;
    private final Path uploadArchive;
    private final ArchiveContents base;
    private final Path cwd;
    private final boolean whole;
    private Path scratch;
    private List<String> gitFolders = List.of();
    /** The user's uploaded files, written into the results folder while Claude works; null when not started. */
    private java.util.concurrent.Future<ExtractionReport> prepared;
    private Thread preparing;
    private boolean resultsExisted;
    private boolean fetched;

    /**
     * What one bring-back found and wrote.
     *
     * @param report      what was written to the folder holding the change
     * @param changes     the change in the results' terms (new, changed, unchanged uploads)
     * @param change      the change in git's terms
     * @param folder      where the changed files' new content now lies (the results folder, or a scratch folder)
     * @param transferred bytes that crossed from the sandbox
     */
    record Brought(ExtractionReport report, ResultChanges changes, ChangeSet change, Path folder, long transferred) {
    }

    /**
     * @param results       the results folder, or null when the change lands elsewhere only (a branch, a patch)
     * @param skip          what is never brought back into the results folder
     * @param uploadArchive the archive the sandbox received, read again for the user's own files
     * @param whole         bring back the whole workspace, as for a sandbox that cannot list it (CCT_BRING_BACK=whole)
     */
    ChangeBack(Sandbox sandbox, String workspace, Path results, Predicate<String> skip, Set<String> installed,
               boolean includeAll, Path uploadArchive, ArchiveContents base, Path cwd, boolean whole) {
        this.sandbox = sandbox;
        this.workspace = workspace;
        this.results = results;
        this.skip = skip;
        // What cct installed and the files that hold keys are never part of a change, whatever the results hold.
        this.ignored = skip.or(installed::contains).or(WorkspaceArchive::isEnvFile);
        this.installed = installed::contains;
        this.includeAll = includeAll;
        this.uploadArchive = uploadArchive;
        this.base = base;
        this.cwd = cwd;
        this.whole = whole;
    }

    /** What is not the user's workspace: the components cct installed, and .env files. */
    Predicate<String> notWorkspace() {
        return installed.or(WorkspaceArchive::isEnvFile);
    }

    /** The uploaded state of the user's files: what a change is measured against. */
    List<FileState> uploaded() {
        return base.states().stream().filter(state -> !ignored.test(state.path())).toList();
    }

    /**
     * Starts writing the user's uploaded files into the results folder, in the background while Claude works, so that
     * the bring-back itself only writes the change. Nothing starts when the whole workspace will come back anyway.
     */
    void prepareResults() {
        if (results == null || whole || prepared != null) {
            return;
        }
        resultsExisted = Files.exists(results, LinkOption.NOFOLLOW_LINKS);
        java.util.concurrent.FutureTask<ExtractionReport> task = new java.util.concurrent.FutureTask<>(() -> {
            try (InputStream tar = Files.newInputStream(uploadArchive)) {
                return SafeExtractor.extractFolder(tar, WorkspaceArchive.WORKSPACE, results, skip);
            }
        });
        Thread thread = new Thread(task, "cct-results");
        thread.setDaemon(true);
        thread.start();
        prepared = task;
        preparing = thread;
    }

    /**
     * For a run that ends without bringing anything back: the uploaded files written ahead are taken away again, so
     * no results folder pretends to hold what Claude left.
     */
    void abandon() {
        if (prepared == null || fetched) {
            return;
        }
        prepared.cancel(true);
        ExtractionReport written = null;
        try {
            // A cancelled task answers at once; its thread must have stopped writing before anything is removed.
            preparing.join(Duration.ofSeconds(30).toMillis());
            written = prepared.isCancelled() ? null : prepared.get();
        } catch (java.util.concurrent.CancellationException | java.util.concurrent.ExecutionException e) {
            // Cancelled or failed: if we made the folder, it goes whole below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!resultsExisted) {
            deleteTree(results);
        } else if (written != null) {
            for (String path : written.writtenPaths()) {
                removeSafely(results, path);
            }
        }
    }

    /** What the background writing wrote, once it has ended; null when it did not run or failed. */
    private ExtractionReport preparedReport(Ui ui) throws InterruptedException {
        if (prepared == null) {
            return null;
        }
        try {
            return prepared.get();
        } catch (java.util.concurrent.ExecutionException e) {
            ui.debug("writing the uploads into the results folder ahead failed (" + e.getCause() + "); writing them now");
            return null;
        }
    }

    Brought fetch(Progress progress, Ui ui) throws SandboxException, IOException, InterruptedException {
        progress.start("Bringing back changes");
        List<FileState> found = scan(ui);
        Brought brought = found == null ? fetchWhole(ui) : fetchChanged(found, ui);
        fetched = true;
        String where = results == null ? "" : " to " + display(results, cwd);
        progress.done("Brought back " + describe(brought.changes(), brought.change()) + ", "
                + Format.bytes(brought.transferred()) + " transferred" + where);
        for (String refused : brought.report().refused()) {
            ui.warn("refused unsafe archive entry " + refused);
        }
        for (String refused : brought.change().refused()) {
            ui.warn("left out of the change: " + refused);
        }
        return brought;
    }

    /** A scratch folder this bring-back made, if any; the run deletes it once the change has landed. */
    Path scratch() {
        return scratch;
    }

    /** The listing of the workspace Claude left, or null when the sandbox cannot make one. */
    private List<FileState> scan(Ui ui) throws SandboxException, InterruptedException {
        if (whole) {
            return null;
        }
        WorkspaceScan.Scan scan = scan(ui, sandbox.home() + "/" + ClaudeCommand.STARTED_FILE);
        if (scan == null) {
            return null;
        }
        gitFolders = scan.gitFolders();
        java.util.Optional<List<FileState>> entries = scan.resolve(base.states());
        if (entries.isPresent()) {
            return entries.get();
        }
        // A file the listing did not read is not one the upload had: only a listing that reads everything can tell.
        scan = scan(ui, "");
        return scan == null ? null : scan.resolve(List.of()).orElse(null);
    }

    private WorkspaceScan.Scan scan(Ui ui, String since) throws SandboxException, InterruptedException {
        List<String> pruned = includeAll ? List.of() : List.copyOf(Excludes.DEFAULT_EXCLUDED_FOLDERS);
        Bytes out = new Bytes();
        int code = sandbox.exec(new Sandbox.ExecSpec(WorkspaceScan.command(workspace, pruned, since), Map.of(), "/",
                SCAN_TIMEOUT), out);
        if (code != 0) {
            ui.debug("the workspace could not be listed in the sandbox (exit " + code + ": " + out.errorLine()
                    + "); bringing back the whole workspace");
            return null;
        }
        try {
            return WorkspaceScan.parse(out.stdout.toByteArray());
        } catch (IllegalArgumentException e) {
            ui.debug("the sandbox's workspace listing was unreadable (" + e.getMessage() + "); bringing back the whole workspace");
            return null;
        }
    }

    private Brought fetchChanged(List<FileState> found, Ui ui) throws SandboxException, IOException, InterruptedException {
        ChangeSet change = ChangeSet.between(uploaded(), found, ignored);
        List<String> gitFolders = this.gitFolders.stream().filter(p -> !ignored.test(p)).toList();
        if (!gitFolders.isEmpty()) {
            change = change.withRefused(gitFolders.stream().map(p -> p + ": a git folder is never part of the change").toList());
        }
        Path folder = results != null ? results : scratchFolder();
        boolean existed = prepared != null ? resultsExisted : Files.exists(folder);
        // The uploads written ahead, less what Claude removed; the change is then written over them.
        ExtractionReport uploads = preparedReport(ui);
        if (uploads != null) {
            Set<String> removed = new HashSet<>(change.removedPaths());
            for (String path : removed) {
                removeSafely(folder, path);
            }
            uploads = without(uploads, removed);
        }
        ExtractionReport fetched = emptyReport();
        long transferred = 0;
        List<String> wanted = change.pathsToFetch();
        if (!wanted.isEmpty()) {
            stage(wanted);
            try (InputStream tar = sandbox.download(sandbox.home() + "/" + STAGING, List.of());
                 CountingStream counted = new CountingStream(tar);
                 CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(counted)) {
                fetched = SafeExtractor.extract(counted, folder, path -> false);
                transferred = counted.count();
            }
            change = keepWritten(change, fetched, folder);
        }
        ExtractionReport report = fetched;
        if (results != null) {
            report = uploads != null ? merge(without(uploads, new HashSet<>(fetched.writtenPaths())), fetched)
                    : merge(materialiseUploads(change), fetched);
        }
        if (!existed && report.files() == 0 && report.symlinks() == 0 && Files.isDirectory(folder)) {
            // No results folder for a run that produced nothing and uploaded nothing, as before.
            deleteEmptyFolders(folder);
        }
        return new Brought(report, inResultsTerms(change), change, folder, transferred);
    }

    /** Removes a file or link the results folder holds, never through a symlinked folder. */
    private static void removeSafely(Path root, String path) {
        Path folder = root;
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            folder = folder.resolve(segments[i]);
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
        }
        try {
            Path target = folder.resolve(segments[segments.length - 1]);
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(target);
            }
        } catch (IOException ignored) {
            // It was ours to remove; one left behind is reported by nothing worse than an extra file.
        }
    }

    private static ExtractionReport without(ExtractionReport report, Set<String> paths) {
        List<String> written = report.writtenPaths().stream().filter(p -> !paths.contains(p)).toList();
        return new ExtractionReport(written.size(), report.directories(), report.symlinks(), report.bytes(), report.skipped(),
                report.refused(), written);
    }

    /**
     * Has the sandbox copy the changed paths into one folder: that folder is the download. A few paths travel as the
     * command's arguments; many are uploaded as a list first.
     */
    private void stage(List<String> paths) throws SandboxException, InterruptedException, IOException {
        String home = sandbox.home();
        List<String> command;
        if (WorkspaceScan.fitInArguments(paths)) {
            command = WorkspaceScan.stageCommand(workspace, paths, home + "/" + STAGING);
        } else {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String path : paths) {
                list.write(path.getBytes(StandardCharsets.UTF_8));
                list.write(0);
            }
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            Sandbox.Owner owner = sandbox.owner();
            try (TarWriter writer = owner == null ? new TarWriter(tar) : new TarWriter(tar, owner.uid(), owner.gid())) {
                writer.addDirectory(".cct");
                writer.addFile(CHANGED_LIST, list.toByteArray(), false);
            }
            sandbox.upload(new ByteArrayInputStream(tar.toByteArray()), home);
            command = WorkspaceScan.stageCommand(workspace, home + "/" + CHANGED_LIST, home + "/" + STAGING);
        }
        Bytes out = new Bytes();
        int code = sandbox.exec(new Sandbox.ExecSpec(command, Map.of(), "/", SCAN_TIMEOUT), out);
        if (code != 0) {
            throw new SandboxException("could not gather the changed files in the sandbox (exit " + code + ": "
                    + out.errorLine() + ")");
        }
    }

    /** The user's uploaded files into the results folder, except what the change replaces or removes. */
    private ExtractionReport materialiseUploads(ChangeSet change) throws IOException {
        Set<String> replaced = new HashSet<>(change.removedPaths());
        replaced.addAll(change.pathsToFetch());
        try (InputStream tar = Files.newInputStream(uploadArchive)) {
            return SafeExtractor.extractFolder(tar, WorkspaceArchive.WORKSPACE, results,
                    skip.or(replaced::contains));
        }
    }

    /** Today's way, for a sandbox that cannot list its workspace: everything back, the change computed here. */
    private Brought fetchWhole(Ui ui) throws SandboxException, IOException, InterruptedException {
        Path folder = results != null ? results : scratchFolder();
        boolean existed = prepared != null ? resultsExisted : Files.exists(folder);
        ExtractionReport ahead = preparedReport(ui);
        if (ahead != null) {
            // The whole workspace replaces the uploads written ahead: a file Claude deleted must not stay.
            for (String path : ahead.writtenPaths()) {
                removeSafely(folder, path);
            }
        }
        ExtractionReport report;
        long transferred;
        try (InputStream tar = sandbox.download(workspace, List.copyOf(includeAll ? Set.of() : Excludes.DEFAULT_EXCLUDED_FOLDERS));
             CountingStream counted = new CountingStream(tar);
             CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(counted)) {
            report = SafeExtractor.extract(counted, folder, skip);
            transferred = counted.count();
        }
        if (!existed && report.files() == 0 && report.symlinks() == 0) {
            deleteEmptyFolders(folder);
        }
        List<FileState> found = Files.isDirectory(folder) ? LocalStates.scan(folder, ignored) : List.of();
        ChangeSet change = ChangeSet.between(uploaded(), found, ignored);
        return new Brought(report, inResultsTerms(change), change, folder, transferred);
    }

    /** An entry the extraction refused has no new content here: it is reported, and not part of the change. */
    private static ChangeSet keepWritten(ChangeSet change, ExtractionReport fetched, Path folder) {
        if (fetched.refused().isEmpty()) {
            return change;
        }
        return change.keepOnly(c -> !c.needsContent() || Files.exists(folder.resolve(c.path()), LinkOption.NOFOLLOW_LINKS));
    }

    private ResultChanges inResultsTerms(ChangeSet change) {
        List<String> created = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (Change c : change.changes()) {
            switch (c.kind()) {
                case ADDED, RENAMED -> created.add(c.path());
                case MODIFIED, MODE_CHANGED -> modified.add(c.path());
                case DELETED -> {
                }
            }
        }
        long touched = change.changes().stream().filter(c -> c.before() != null).count();
        int unchanged = (int) Math.max(0, uploaded().size() - touched);
        return new ResultChanges(created, modified, unchanged);
    }

    /** "2 new, 1 changed, 1 deleted file(s) (40 unchanged uploads)". */
    static String describe(ResultChanges changes, ChangeSet change) {
        long deleted = change.count(Change.Kind.DELETED);
        String produced = changes.created().size() + " new, " + changes.modified().size() + " changed"
                + (deleted == 0 ? "" : ", " + deleted + " deleted") + " file(s)";
        return changes.unchanged() == 0 ? produced : produced + " (" + changes.unchanged() + " unchanged upload(s))";
    }

    /** "./sandbox-1a2b/" below the working folder, else the absolute path. */
    static String display(Path output, Path cwd) {
        return output.startsWith(cwd) ? "./" + cwd.relativize(output) + "/" : output + "/";
    }


    private Path scratchFolder() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("cct-change");
        }
        return scratch;
    }

    private static ExtractionReport emptyReport() {
        return new ExtractionReport(0, 0, 0, 0, 0, List.of(), List.of());
    }

    private static ExtractionReport merge(ExtractionReport a, ExtractionReport b) {
        List<String> refused = new ArrayList<>(a.refused());
        refused.addAll(b.refused());
        List<String> written = new ArrayList<>(a.writtenPaths());
        written.addAll(b.writtenPaths());
        return new ExtractionReport(a.files() + b.files(), a.directories() + b.directories(), a.symlinks() + b.symlinks(),
                a.bytes() + b.bytes(), a.skipped() + b.skipped(), refused, written);
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // A scratch folder under the temp folder; the OS cleans it eventually.
        }
    }

    private static void deleteEmptyFolders(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (var children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }

    /** A command's stdout as bytes (file names need not be valid UTF-8), and the last line of its stderr. */
    private static final class Bytes implements Sandbox.OutputListener {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        @Override
        public void stdout(byte[] data, int offset, int length) {
            stdout.write(data, offset, length);
        }

        @Override
        public void stderr(byte[] data, int offset, int length) {
            if (stderr.size() < 1 << 16) {
                stderr.write(data, offset, length);
            }
        }

        String errorLine() {
            List<String> lines = stderr.toString(StandardCharsets.UTF_8).strip().lines().toList();
            return lines.isEmpty() ? "no message" : lines.get(lines.size() - 1);
        }
    }

    /** Counts the bytes read through it: what crossed from the sandbox. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        long count() {
            return count;
        }
    }
}
