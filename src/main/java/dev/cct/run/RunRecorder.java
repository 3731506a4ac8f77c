package dev.cct.run;

import dev.cct.archive.TarWriter;
import dev.cct.catalog.Component;
import dev.cct.changes.ArchiveContents;
import dev.cct.changes.Change;
import dev.cct.changes.ChangeSet;
import dev.cct.changes.FileState;
import dev.cct.core.Version;
import dev.cct.runs.RunRecord;
import dev.cct.runs.RunRecords;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.ui.Ui;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Leaves a record of each sandbox run, so that it can be listed and continued: the request, Claude's transcript
 * (fetched from the sandbox before it is destroyed, every known key masked) and the final workspace, made here from
 * the upload and the change rather than downloaded again. A record that cannot be written costs a warning, never
 * the run.
 */
final class RunRecorder {
    private static final long MAX_TRANSCRIPT = 256L << 20;

    private RunRecorder() {
    }

    /** Claude's transcript of {@code sessionId} in the sandbox, masked; null when there is none. */
    static byte[] transcript(Sandbox sandbox, String workspace, String sessionId, RunRequest request, Ui ui)
            throws InterruptedException {
        if (sessionId == null) {
            return null;
        }
        String folder = sandbox.home() + "/.claude/projects/" + Continuation.projectFolder(workspace);
        try (InputStream tar = sandbox.download(folder, List.of());
             TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isFile() && name.equals(sessionId + ".jsonl") && entry.getSize() <= MAX_TRANSCRIPT) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    // The transcript holds what Claude's tools printed: a key it echoed must not be kept.
                    return request.secrets().mask(text).getBytes(StandardCharsets.UTF_8);
                }
            }
            ui.debug("no transcript of session " + sessionId + " in the sandbox");
        } catch (IOException | SandboxException e) {
            ui.debug("Claude's transcript could not be fetched: " + e.getMessage());
        }
        return null;
    }

    /**
     * Writes the record of a finished run.
     *
     * @param ignored what is not the user's workspace (the components cct installed, .env files)
     */
    static void record(RunRecords records, RunRequest request, String runId, Instant started, ClaudeSession.Result claude,
                       Verdict verdict, ChangeBack.Brought brought, ArchiveContents base, Predicate<String> ignored,
                       byte[] transcript, Path results, ChangeLanding.Landed landed, Ui ui) {
        try {
            Path folder = records.create(runId);
            writeWorkspace(folder.resolve(RunRecords.WORKSPACE), base, brought, ignored);
            if (transcript != null) {
                try (OutputStream out = RunRecords.ownerOnlyFile(folder.resolve(RunRecords.SESSION))) {
                    out.write(transcript);
                }
            }
            Map<String, List<String>> components = new LinkedHashMap<>();
            for (Component component : request.components().components()) {
                components.computeIfAbsent(component.type().name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(component.id());
            }
            var outcome = claude.outcome();
            RunRecord record = new RunRecord(RunRecord.FORMAT, runId, started.toString(), Instant.now().toString(),
                    request.provider().flag(), request.secrets().mask(request.prompt()),
                    request.continuation() == null ? null : request.continuation().runId(), components,
                    request.uploads().stream().map(p -> p.toAbsolutePath().toString()).toList(), request.model(),
                    request.maxTurns(), results == null ? null : results.toAbsolutePath().toString(),
                    landed.patch() == null ? null : landed.patch().toAbsolutePath().toString(), landed.branch(),
                    request.landing().checkout() == null ? null : request.landing().checkout().toAbsolutePath().toString(),
                    transcript == null ? null : claude.sessionId(), landed.verdict().exitCode(), landed.verdict().status(),
                    outcome == null ? 0 : outcome.turns(), outcome == null ? 0 : outcome.costUsd(), Version.version());
            records.save(folder, record);
            ui.debug("run record: " + folder);
        } catch (IOException | RuntimeException e) {
            ui.warn("could not keep a record of this run for --continue: " + e.getMessage());
        }
    }

    /** The workspace as Claude left it: the uploaded files the change did not touch, then the change's files. */
    private static void writeWorkspace(Path file, ArchiveContents base, ChangeBack.Brought brought, Predicate<String> ignored)
            throws IOException {
        ChangeSet change = brought.change();
        Set<String> replaced = new HashSet<>(change.removedPaths());
        replaced.addAll(change.pathsToFetch());
        Set<String> folders = new HashSet<>();
        try (OutputStream out = new BufferedOutputStream(RunRecords.ownerOnlyFile(file), 1 << 16);
             TarWriter tar = new TarWriter(out)) {
            for (FileState state : base.states()) {
                if (ignored.test(state.path()) || replaced.contains(state.path())) {
                    continue;
                }
                add(tar, folders, state, () -> base.stream(state));
            }
            for (Change c : change.changes()) {
                FileState after = c.after();
                if (after != null) {
                    Path source = brought.folder().resolve(after.path());
                    add(tar, folders, after, () -> Files.newInputStream(source));
                }
            }
        }
    }

    private interface Source {
        InputStream open() throws IOException;
    }

    private static void add(TarWriter tar, Set<String> folders, FileState state, Source source) throws IOException {
        // Folders first, as tar writes them: every extractor then finds the file's folder made.
        int slash = -1;
        while ((slash = state.path().indexOf('/', slash + 1)) > 0) {
            String folder = state.path().substring(0, slash);
            if (folders.add(folder)) {
                tar.addDirectory(folder);
            }
        }
        if (state.isSymlink()) {
            tar.addSymlink(state.path(), state.linkTarget());
            return;
        }
        try (InputStream in = source.open()) {
            tar.addFile(state.path(), in, state.size(), state.executable());
        }
    }
}
