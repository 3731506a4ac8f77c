package dev.cct.run;

import dev.cct.archive.Excludes;
import dev.cct.archive.ExtractionReport;
import dev.cct.archive.SafeExtractor;
import dev.cct.archive.UploadManifest;
import dev.cct.core.Format;
import dev.cct.core.Progress;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The workspace, brought back as one download and extracted safely into the results folder. */
final class BringBack {
    private final Sandbox sandbox;
    private final String workspace;
    private final Path output;
    private final Predicate<String> skip;
    private final boolean includeAll;
    private final UploadManifest uploaded;
    private final Path cwd;

    /** What one bring-back wrote, and what of it Claude produced. */
    record Brought(ExtractionReport report, UploadManifest.Changes changes) {
    }

    BringBack(Sandbox sandbox, String workspace, Path output, Predicate<String> skip, boolean includeAll,
              UploadManifest uploaded, Path cwd) {
        this.sandbox = sandbox;
        this.workspace = workspace;
        this.output = output;
        this.skip = skip;
        this.includeAll = includeAll;
        this.uploaded = uploaded;
        this.cwd = cwd;
    }

    /** One download, extracted safely; an output folder that would stay empty is not left behind. */
    Brought fetch(Progress progress, Ui ui) throws SandboxException, IOException {
        progress.start("Bringing back files");
        boolean existed = Files.exists(output);
        ExtractionReport report;
        try (InputStream tar = sandbox.download(workspace, List.copyOf(includeAll ? Set.of() : Excludes.DEFAULT_EXCLUDED_FOLDERS));
             CleanupRegistry.Transfer transfer = CleanupRegistry.get().transfer(tar)) {
            report = SafeExtractor.extract(tar, output, skip);
        }
        if (!existed && report.files() == 0 && report.symlinks() == 0) {
            deleteEmptyFolders(output);
        }
        UploadManifest.Changes changes = uploaded.compare(output, report.writtenPaths());
        progress.done("Brought back " + describe(changes) + ", " + Format.bytes(report.bytes()) + " in all, to "
                + display(output, cwd));
        for (String refused : report.refused()) {
            ui.warn("refused unsafe archive entry " + refused);
        }
        return new Brought(report, changes);
    }

    /** "2 new, 1 changed file(s) (40 unchanged uploads)": what Claude produced, apart from what the user sent. */
    static String describe(UploadManifest.Changes changes) {
        String produced = changes.created().size() + " new, " + changes.modified().size() + " changed file(s)";
        return changes.unchanged() == 0 ? produced : produced + " (" + changes.unchanged() + " unchanged upload(s))";
    }

    /** "./sandbox-1a2b/" below the working folder, else the absolute path. */
    static String display(Path output, Path cwd) {
        return output.startsWith(cwd) ? "./" + cwd.relativize(output) + "/" : output + "/";
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
}
