package dev.cct.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.catalog.FileTree;
import dev.cct.catalog.JsonMerge;
import dev.cct.catalog.Renderer;
import dev.cct.core.CctException;
import dev.cct.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs rendered components into a project folder, all or nothing: every file is planned and checked first,
 * .mcp.json and .claude/settings.local.json are merged with what the project already has, and if any write fails the
 * files written so far are put back as they were.
 */
public final class Installer {

    public enum Change { CREATED, UPDATED, UNCHANGED }

    public record InstalledFile(String path, Change change, String owner) {
    }

    private record Planned(String path, Path target, byte[] content, boolean executable, byte[] previous,
                           Change change, String owner) {
    }

    private Installer() {
    }

    /**
     * The files a workspace gets when the components join an existing project folder (an --upload): the project's
     * own .mcp.json and .claude/settings.local.json are merged with the components', everything else as rendered.
     */
    public static FileTree againstProject(Renderer.Rendered rendered, Path project) {
        FileTree tree = new FileTree();
        rendered.plainFiles().entries().forEach(tree::put);
        if (rendered.mcp() != null) {
            tree.put(Renderer.MCP_FILE, merged(project, Renderer.MCP_FILE, rendered.mcp(), true));
        }
        if (rendered.settings() != null) {
            tree.put(Renderer.SETTINGS_FILE, merged(project, Renderer.SETTINGS_FILE, rendered.settings(), false));
        }
        return tree;
    }

    /** Checks everything and returns what install would do, writing nothing. */
    public static List<InstalledFile> plan(Renderer.Rendered rendered, Path directory, boolean overwrite) {
        return plans(rendered, directory, overwrite).stream()
                .map(p -> new InstalledFile(p.path(), p.change(), p.owner())).toList();
    }

    public static List<InstalledFile> install(Renderer.Rendered rendered, Path directory, boolean overwrite) {
        List<Planned> plans = plans(rendered, directory, overwrite);
        List<Planned> written = new ArrayList<>();
        List<Path> createdDirectories = new ArrayList<>();
        try {
            for (Planned p : plans) {
                if (p.change() == Change.UNCHANGED) {
                    continue;
                }
                createDirectories(p.target().getParent(), createdDirectories);
                write(p.target(), p.content(), p.executable());
                written.add(p);
            }
        } catch (IOException e) {
            rollBack(written, createdDirectories);
            throw CctException.badInput("cannot write " + directory + ": " + e.getMessage() + " (nothing was installed)",
                    "check the folder's permissions and free space");
        }
        return plans.stream().map(p -> new InstalledFile(p.path(), p.change(), p.owner())).toList();
    }

    private static List<Planned> plans(Renderer.Rendered rendered, Path directory, boolean overwrite) {
        checkWritable(directory);
        Map<String, FileTree.Entry> files = new LinkedHashMap<>(rendered.plainFiles().entries());
        if (rendered.mcp() != null) {
            files.put(Renderer.MCP_FILE, merged(directory, Renderer.MCP_FILE, rendered.mcp(), true));
        }
        if (rendered.settings() != null) {
            files.put(Renderer.SETTINGS_FILE, merged(directory, Renderer.SETTINGS_FILE, rendered.settings(), false));
        }
        List<Planned> plans = new ArrayList<>();
        List<String> wouldOverwrite = new ArrayList<>();
        for (Map.Entry<String, FileTree.Entry> file : files.entrySet()) {
            Path target = directory.resolve(file.getKey());
            byte[] previous = readExisting(target, file.getKey());
            FileTree.Entry entry = file.getValue();
            Change change;
            if (previous == null) {
                change = Change.CREATED;
            } else if (Arrays.equals(previous, entry.content()) && (!entry.executable() || Files.isExecutable(target))) {
                change = Change.UNCHANGED;
            } else {
                change = Change.UPDATED;
                boolean mergedFile = file.getKey().equals(Renderer.MCP_FILE) || file.getKey().equals(Renderer.SETTINGS_FILE);
                if (!mergedFile && !overwrite) {
                    wouldOverwrite.add(file.getKey());
                }
            }
            plans.add(new Planned(file.getKey(), target, entry.content(), entry.executable(), previous, change, entry.owner()));
        }
        if (!wouldOverwrite.isEmpty()) {
            throw CctException.badInput("would overwrite " + wouldOverwrite.size() + " changed file(s) in " + directory
                    + ": " + String.join(", ", wouldOverwrite), "pass --yes to replace them");
        }
        return plans;
    }

    /** The project's existing document with the components' merged in; the components win where both set a value. */
    private static FileTree.Entry merged(Path directory, String path, ObjectNode rendered, boolean mcp) {
        Path target = directory.resolve(path);
        byte[] existing = readExisting(target, path);
        ObjectNode base;
        if (existing == null || new String(existing, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            base = Json.mapper().createObjectNode();
        } else {
            try {
                JsonNode node = Json.mapper().readTree(existing);
                if (!(node instanceof ObjectNode object)) {
                    throw new IOException("not a JSON object");
                }
                base = object;
            } catch (IOException e) {
                throw CctException.badInput("the project's " + path + " is not valid JSON (" + firstLine(e.getMessage()) + ")",
                        "fix it or move it away, then install again");
            }
        }
        if (mcp) {
            JsonMerge.mergeMcp(base, rendered, JsonMerge.ConflictPolicy.INCOMING_WINS);
        } else {
            JsonMerge.mergeSettings(base, rendered, JsonMerge.ConflictPolicy.INCOMING_WINS);
        }
        return new FileTree.Entry(Json.pretty(base), false, "merged");
    }

    private static byte[] readExisting(Path target, String path) {
        if (Files.isSymbolicLink(target)) {
            throw CctException.badInput(path + " is a symbolic link", "replace it with a regular file or remove it");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw CctException.badInput(path + " exists and is not a regular file", "move it away");
        }
        try {
            return Files.readAllBytes(target);
        } catch (IOException e) {
            throw CctException.badInput("cannot read " + target + ": " + e.getMessage(), "check its permissions");
        }
    }

    /** The folder must be writable, or creatable under a writable ancestor. */
    public static void checkWritable(Path directory) {
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw CctException.badInput("cannot write to " + directory + (existing != null && !Files.isDirectory(existing)
                    ? " (" + existing + " is not a folder)" : ""), "choose a folder you can write to");
        }
    }

    private static void createDirectories(Path dir, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            created.add(p);
        }
    }

    private static void write(Path target, byte[] content, boolean executable) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".cct-tmp");
        try {
            Files.write(temporary, content);
            if (executable) {
                makeExecutable(temporary);
            } else if (Files.exists(target)) {
                copyPermissions(target, temporary);
            } else {
                setPermissions(temporary, "rw-r--r--");
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            permissions.add(PosixFilePermission.GROUP_READ);
            permissions.add(PosixFilePermission.OTHERS_READ);
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(true, false);
        }
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions will do.
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions will do.
        }
    }

    private static void rollBack(List<Planned> written, List<Path> createdDirectories) {
        for (Planned p : written) {
            try {
                if (p.previous() == null) {
                    Files.deleteIfExists(p.target());
                } else {
                    Files.write(p.target(), p.previous());
                }
            } catch (IOException ignored) {
                // Best effort: the original error is the one worth reporting.
            }
        }
        for (int i = createdDirectories.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(createdDirectories.get(i));
            } catch (IOException ignored) {
                // Not empty or already gone.
            }
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
