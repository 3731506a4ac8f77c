package dev.cct.archive;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides which paths of a sandbox's workspace are not brought back. The result is the {@code skip}
 * predicate of {@link SafeExtractor#extract}, tested on clean relative paths such as "src/app.js".
 */
public final class Excludes {
    /**
     * Folders left out by default wherever they appear: rebuilt by a package manager, large, and never what
     * a user asked Claude to produce. A provider may prune them on the sandbox side to spare the transfer.
     */
    public static final Set<String> DEFAULT_EXCLUDED_FOLDERS = Set.of("node_modules", ".venv", "__pycache__");

    private Excludes() {
    }

    /**
     * @param userGlobs               patterns that always apply, with gitignore-like meaning (see {@link GlobPattern}):
     *                                "*.log", "dist", "build/**", "src/*.tmp"
     * @param includeAll              drop the defaults (the folders above and the installed component files);
     *                                user patterns still apply
     * @param installedComponentFiles exact relative paths of the files cct installed into the sandbox, such as
     *                                ".claude/agents/x.md", which are not results
     * @throws IllegalArgumentException for a pattern that cannot be understood, with a message for the user
     */
    public static Predicate<String> of(List<String> userGlobs, boolean includeAll, Set<String> installedComponentFiles) {
        List<GlobPattern> patterns = userGlobs.stream().map(GlobPattern::parse).collect(Collectors.toList());
        Set<String> installed = includeAll
                ? Set.of()
                : installedComponentFiles.stream().map(EntryNames::clean).collect(Collectors.toSet());
        Set<String> excludedFolders = includeAll ? Set.of() : DEFAULT_EXCLUDED_FOLDERS;
        return path -> {
            Objects.requireNonNull(path, "path");
            List<String> segments = EntryNames.segments(path);
            if (installed.contains(String.join("/", segments))) {
                return true;
            }
            if (segments.stream().anyMatch(excludedFolders::contains)) {
                return true;
            }
            return patterns.stream().anyMatch(pattern -> pattern.matches(segments));
        };
    }
}
