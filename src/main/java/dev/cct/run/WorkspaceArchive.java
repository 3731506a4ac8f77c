package dev.cct.run;

import dev.cct.archive.TarWriter;
import dev.cct.catalog.FileTree;
import dev.cct.install.Installer;
import dev.cct.sandbox.Sandbox;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Everything the sandbox receives, as one tar rooted at the user's home: {@code workspace/} with the user's
 * uploads and the rendered components, and {@code .cct/prompt.txt}, which Claude reads on stdin (outside the
 * workspace, so it never comes back as a result).
 */
final class WorkspaceArchive {
    static final String WORKSPACE = "workspace";
    static final String PROMPT = ".cct/prompt.txt";
    private static final Pattern RESULT_FOLDER = Pattern.compile("sandbox-(?=[a-z]*[0-9])[0-9a-z]{8}(?:[0-9a-z]{4})?");

    private WorkspaceArchive() {
    }

    /** Writes the archive to a temporary file (uploads may be large) and returns it; the caller deletes it. */
    static Path build(RunRequest request, Sandbox.Owner owner, String home, Path outputDirectory) throws IOException {
        Path file = Files.createTempFile("cct-upload", ".tar");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             TarWriter tar = owner == null ? new TarWriter(out) : new TarWriter(out, owner.uid(), owner.gid())) {
            tar.addDirectory(WORKSPACE);
            tar.addDirectory(".cct");
            tar.addFile(PROMPT, request.prompt().getBytes(StandardCharsets.UTF_8), false);
            Path project = null;
            Continuation continuation = request.continuation();
            if (continuation != null) {
                // The earlier run's final workspace first, so that new uploads and components lie over it.
                copyWorkspace(continuation.workspace(), tar);
                String sessions = ".claude/projects/" + Continuation.projectFolder(home + "/" + WORKSPACE);
                tar.addDirectory(".claude");
                tar.addDirectory(".claude/projects");
                tar.addDirectory(sessions);
                tar.addFile(sessions + "/" + continuation.sessionId() + ".jsonl", continuation.session(), false);
            }
            for (Path upload : request.uploads()) {
                if (Files.isDirectory(upload)) {
                    // A folder's contents become the workspace, so "audit this codebase" sees the codebase at its root.
                    tar.addTree(upload, WORKSPACE, leaveOut(upload, outputDirectory));
                    project = project == null ? upload : project;
                } else {
                    tar.addFile(WORKSPACE + "/" + upload.getFileName(), upload, Files.isExecutable(upload));
                }
            }
            FileTree components = project == null ? request.components().toFileTree()
                    : Installer.againstProject(request.components(), project);
            for (var entry : components.entries().entrySet()) {
                tar.addFile(WORKSPACE + "/" + entry.getKey(), entry.getValue().content(), entry.getValue().executable());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** The entries of a run record's workspace tar, below the workspace folder. */
    private static void copyWorkspace(Path workspace, TarWriter tar) throws IOException {
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                     new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                             new java.io.BufferedInputStream(Files.newInputStream(workspace), 1 << 16))) {
            for (org.apache.commons.compress.archivers.tar.TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    tar.addDirectory(WORKSPACE + "/" + name);
                } else if (entry.isSymbolicLink()) {
                    tar.addSymlink(WORKSPACE + "/" + name, entry.getLinkName());
                } else if (entry.isFile()) {
                    tar.addFile(WORKSPACE + "/" + name, in, entry.getSize(), (entry.getMode() & 0100) != 0);
                }
            }
        }
    }

    /** A .env file (templates such as .env.example aside): it holds the very keys cct keeps out of sight. */
    static boolean isEnvFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals(".env") || (name.startsWith(".env.") && !name.equals(".env.example"));
    }

    /**
     * Never shipped: .env files (they hold the very keys cct keeps out of sight), and results of earlier runs
     * lying in the project folder.
     */
    static Predicate<String> leaveOut(Path root, Path outputDirectory) {
        Path output = outputDirectory == null ? null : outputDirectory.toAbsolutePath().normalize();
        return relative -> {
            if (isEnvFile(relative)) {
                return true;
            }
            if (!relative.contains("/") && RESULT_FOLDER.matcher(relative).matches()) {
                return true;
            }
            return output != null && root.resolve(relative).toAbsolutePath().normalize().equals(output);
        };
    }
}
