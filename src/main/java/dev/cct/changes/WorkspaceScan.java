package dev.cct.changes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands that run in the sandbox to list its workspace (every file with mode, size and SHA-256, every symlink
 * with its target) and to gather the changed files into one folder for a single download. They use only GNU find,
 * xargs, sha256sum and cp, which every sandbox image cct runs in has; a sandbox without them fails the listing with
 * exit 3, and the caller then brings the whole workspace back instead.
 *
 * <p>Every name travels NUL-terminated, so a file name may hold any character but NUL, as on the file system.
 */
public final class WorkspaceScan {
    /** Exit code of the listing when the sandbox lacks a tool it needs. */
    public static final int MISSING_TOOLS = 3;

    private static final String SCAN_SCRIPT = String.join("\n",
            "ws=$1; since=$2; shift 2",
            "for tool in find xargs sha256sum; do command -v $tool >/dev/null 2>&1 || { echo \"$tool is missing\" >&2; exit 3; }; done",
            "find --version 2>/dev/null | grep -q GNU || { echo 'find is not GNU find' >&2; exit 3; }",
            "cd \"$ws\" || exit 3",
            "find . -mindepth 1 \\( -name .git -prune -printf 'G\\0%P\\0' \\) -o \\( \"$@\" \\) -prune"
                    + " -o \\( -type f -printf 'F\\0%m\\0%s\\0%P\\0' \\) -o \\( -type l -printf 'L\\0%P\\0%l\\0' \\) || exit 3",
            // A file whose status has not changed since the mark (written just before Claude started) is as it was
            // uploaded: every write, chmod, link or rename changes a file's ctime, and nothing can set it back.
            // Only the others are read and hashed.
            "if [ -n \"$since\" ] && [ -e \"$since\" ]; then",
            "  printf 'S\\0'",
            "  find . -mindepth 1 \\( -name .git -o \\( \"$@\" \\) \\) -prune -o -type f -cnewer \"$since\" -printf '%P\\0'"
                    + " | xargs -0 -r sha256sum -z -- || exit 3",
            "else",
            "  printf 'H\\0'",
            "  find . -mindepth 1 \\( -name .git -o \\( \"$@\" \\) \\) -prune -o -type f -printf '%P\\0'"
                    + " | xargs -0 -r sha256sum -z -- || exit 3",
            "fi");

    private static final String STAGE_SCRIPT = String.join("\n",
            "ws=$1; dest=$2; list=$3; shift 3",
            "rm -rf \"$dest\" && mkdir -p \"$dest\" || exit 3",
            "cd \"$ws\" || exit 3",
            // The paths come as arguments, or (many of them) NUL-separated in a list file.
            // Hard links cost nothing and keep the mode; where the file system refuses them, a copy does the same job.
            "if [ -n \"$list\" ]; then",
            "  xargs -0 -r -a \"$list\" cp -P --parents -l -t \"$dest\" -- 2>/dev/null && exit 0",
            "  rm -rf \"$dest\" && mkdir -p \"$dest\" || exit 3",
            "  xargs -0 -r -a \"$list\" cp -P --parents --preserve=mode -t \"$dest\" -- || exit 3",
            "else",
            "  cp -P --parents -l -t \"$dest\" -- \"$@\" 2>/dev/null && exit 0",
            "  rm -rf \"$dest\" && mkdir -p \"$dest\" || exit 3",
            "  cp -P --parents --preserve=mode -t \"$dest\" -- \"$@\" || exit 3",
            "fi");

    /** Up to this many bytes of paths travel as the staging command's arguments rather than as an uploaded list. */
    public static final int MAX_ARGUMENT_BYTES = 64 * 1024;

    private WorkspaceScan() {
    }

    /**
     * What the listing found: the workspace's entries, and the .git folders it did not enter.
     *
     * @param unhashed files the listing did not read because their status had not changed since the mark: as uploaded
     */
    public record Scan(List<FileState> entries, List<Unchanged> unhashed, List<String> gitFolders) {
        public Scan {
            entries = List.copyOf(entries);
            unhashed = List.copyOf(unhashed);
            gitFolders = List.copyOf(gitFolders);
        }

        /**
         * The entries, each unread file taking the hash of the upload's file at its path; empty when one has no
         * uploaded file of its size there (then only a listing that reads every file can say what it holds).
         */
        public java.util.Optional<List<FileState>> resolve(java.util.Collection<FileState> uploaded) {
            Map<String, FileState> byPath = new HashMap<>();
            uploaded.forEach(state -> byPath.put(state.path(), state));
            List<FileState> all = new ArrayList<>(entries);
            for (Unchanged file : unhashed) {
                FileState was = byPath.get(file.path());
                if (was == null || was.isSymlink() || was.size() != file.size()) {
                    return java.util.Optional.empty();
                }
                all.add(FileState.file(file.path(), file.executable(), file.size(), was.sha256()));
            }
            return java.util.Optional.of(all);
        }
    }

    /** A file listed without its hash. */
    public record Unchanged(String path, boolean executable, long size) {
    }

    /**
     * The listing of {@code workspace}; folders named as in {@code prunedNames} (node_modules and the like) are not
     * entered, nor is any .git folder (each one is reported).
     */
    public static List<String> command(String workspace, List<String> prunedNames) {
        return command(workspace, prunedNames, "");
    }

    /**
     * As {@link #command(String, List)}, reading only the files whose status changed after {@code sinceFile}'s
     * modification ("" or a missing file: every file).
     */
    public static List<String> command(String workspace, List<String> prunedNames, String sinceFile) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCAN_SCRIPT, "cct-scan", workspace, sinceFile));
        if (prunedNames.isEmpty()) {
            command.add("-false");
        } else {
            command.addAll(List.of("-type", "d", "("));
            for (int i = 0; i < prunedNames.size(); i++) {
                if (i > 0) {
                    command.add("-o");
                }
                command.addAll(List.of("-name", prunedNames.get(i)));
            }
            command.add(")");
        }
        return command;
    }

    /**
     * Copies the NUL-separated relative paths of {@code listFile} from {@code workspace} into {@code staging}
     * (emptied first), keeping their folders, modes and symlinks.
     */
    public static List<String> stageCommand(String workspace, String listFile, String staging) {
        return List.of("sh", "-c", STAGE_SCRIPT, "cct-stage", workspace, staging, listFile);
    }

    /** The same for a few paths, given as the command's arguments: no list needs to be uploaded first. */
    public static List<String> stageCommand(String workspace, List<String> paths, String staging) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", STAGE_SCRIPT, "cct-stage", workspace, staging, ""));
        command.addAll(paths);
        return command;
    }

    /** Whether {@code paths} are few enough to be the staging command's arguments. */
    public static boolean fitInArguments(List<String> paths) {
        long bytes = 0;
        for (String path : paths) {
            bytes += path.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return bytes <= MAX_ARGUMENT_BYTES;
    }

    /** Reads the listing's output. */
    public static Scan parse(byte[] output) {
        List<String> tokens = tokens(output);
        List<String[]> files = new ArrayList<>();
        List<FileState> entries = new ArrayList<>();
        List<String> gitFolders = new ArrayList<>();
        int i = 0;
        boolean hashes = false;
        boolean partial = false;
        Map<String, String> digests = new HashMap<>();
        while (i < tokens.size()) {
            String tag = tokens.get(i);
            if (hashes) {
                // "<64 hex><space><space or *><path>"
                if (tag.length() < 67 || tag.charAt(64) != ' ' || !isHex(tag.substring(0, 64))) {
                    throw new IllegalArgumentException("unexpected hash line '" + abbreviate(tag) + "'");
                }
                digests.put(tag.substring(66), tag.substring(0, 64));
                i++;
                continue;
            }
            switch (tag) {
                case "G" -> {
                    gitFolders.add(need(tokens, i + 1));
                    i += 2;
                }
                case "F" -> {
                    files.add(new String[] {need(tokens, i + 1), need(tokens, i + 2), need(tokens, i + 3)});
                    i += 4;
                }
                case "L" -> {
                    entries.add(FileState.symlink(need(tokens, i + 1), need(tokens, i + 2)));
                    i += 3;
                }
                case "H", "S" -> {
                    hashes = true;
                    partial = tag.equals("S");
                    i++;
                }
                default -> throw new IllegalArgumentException("unexpected entry tag '" + abbreviate(tag) + "'");
            }
        }
        if (!hashes) {
            throw new IllegalArgumentException("the listing ended before the hashes");
        }
        List<Unchanged> unhashed = new ArrayList<>();
        for (String[] file : files) {
            String path = file[2];
            String digest = digests.get(path);
            if (digest == null && !partial) {
                throw new IllegalArgumentException("no hash for " + path);
            }
            int mode;
            long size;
            try {
                mode = Integer.parseInt(file[0], 8);
                size = Long.parseLong(file[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unreadable mode or size for " + path);
            }
            if (digest == null) {
                unhashed.add(new Unchanged(path, (mode & 0100) != 0, size));
            } else {
                entries.add(FileState.file(path, (mode & 0100) != 0, size, digest));
            }
        }
        return new Scan(entries, unhashed, gitFolders);
    }

    private static List<String> tokens(byte[] output) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < output.length; i++) {
            if (output[i] == 0) {
                tokens.add(new String(output, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != output.length) {
            throw new IllegalArgumentException("the listing was cut off");
        }
        return tokens;
    }

    private static String need(List<String> tokens, int index) {
        if (index >= tokens.size()) {
            throw new IllegalArgumentException("the listing was cut off");
        }
        String token = tokens.get(index);
        if (token.isEmpty()) {
            throw new IllegalArgumentException("an empty field in the listing");
        }
        return token;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
