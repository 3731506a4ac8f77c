package dev.cct.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks git which files of a folder it would track or could track: committed and staged ones plus untracked
 * ones that no .gitignore excludes. Git itself is the only faithful interpreter of .gitignore, so we ask it
 * rather than re-implementing its rules.
 */
final class GitFileList {
    /** Variables a git hook or wrapper may have set that would point git at another repository than the folder's. */
    private static final List<String> REPOSITORY_OVERRIDES =
            List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX");

    private GitFileList() {
    }

    /**
     * Relative '/'-separated paths git lists under {@code root}, or empty when git is not installed or
     * {@code root} is not inside a checkout (the caller then takes everything). Nested repositories are
     * listed as their folder name.
     */
    static Optional<Set<String>> of(Path root) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                "git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> environment = builder.environment();
        REPOSITORY_OVERRIDES.forEach(environment::remove);

        Process process;
        try {
            process = builder.start();
        } catch (IOException gitNotInstalled) {
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            byte[] listing;
            try (InputStream stdout = process.getInputStream()) {
                listing = stdout.readAllBytes();
            }
            if (process.waitFor() != 0) {
                return Optional.empty();
            }
            return Optional.of(parse(listing));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing files with git");
        } finally {
            process.destroy();
        }
    }

    private static Set<String> parse(byte[] listing) {
        Set<String> paths = new HashSet<>();
        for (String path : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            String cleaned = EntryNames.clean(path);
            if (!cleaned.isEmpty()) {
                paths.add(cleaned);
            }
        }
        return paths;
    }
}
