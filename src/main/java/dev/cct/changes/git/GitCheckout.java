package dev.cct.changes.git;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The git checkout an uploaded folder lies in, read and written with JGit (no git binary needed). The repository is
 * opened for each question and closed again, so holding a checkout keeps no file open. Git's environment variables
 * (GIT_DIR and the like) are deliberately not read: the checkout is the one the folder lies in.
 */
public final class GitCheckout {
    private final File gitDir;
    private final Path workTree;
    private final String prefix;

    private GitCheckout(File gitDir, Path workTree, String prefix) {
        this.gitDir = gitDir;
        this.workTree = workTree;
        this.prefix = prefix;
    }

    /** The non-bare checkout {@code folder} lies in, if any. */
    public static Optional<GitCheckout> find(Path folder) {
        try {
            Path real = folder.toRealPath();
            FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(real.toFile());
            if (builder.getGitDir() == null) {
                return Optional.empty();
            }
            try (Repository repository = builder.setMustExist(true).build()) {
                if (repository.isBare()) {
                    return Optional.empty();
                }
                Path workTree = repository.getWorkTree().toPath().toRealPath();
                if (!real.startsWith(workTree)) {
                    return Optional.empty();
                }
                String prefix = workTree.relativize(real).toString().replace(File.separatorChar, '/');
                return Optional.of(new GitCheckout(repository.getDirectory(), workTree, prefix.isEmpty() ? "" : prefix + "/"));
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The checkout's top folder. */
    public Path workTree() {
        return workTree;
    }

    /** Where the uploaded folder lies in the repository: "" for its top, else "sub/dir/". */
    public String prefix() {
        return prefix;
    }

    public boolean branchExists(String name) {
        try (Repository repository = open()) {
            return repository.exactRef(Constants.R_HEADS + name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why git would not take {@code name} as a branch name, if it would not. */
    public static Optional<String> invalidBranchName(String name) {
        if (name.startsWith("-")) {
            return Optional.of("a branch name cannot start with '-'");
        }
        if (name.equals("HEAD")) {
            return Optional.of("HEAD is not a branch name");
        }
        if (!Repository.isValidRefName(Constants.R_HEADS + name)) {
            return Optional.of("git refuses it (no spaces, '..', '~', '^', ':', '?', '*', '[', '\\', or a trailing '/' or '.lock')");
        }
        return Optional.empty();
    }

    /**
     * Paths below the uploaded folder that the repository tracks (in HEAD or the index) but that are not on disk:
     * files the user deleted and has not committed, so the uploaded state lacks them. Repository paths.
     */
    public Set<String> trackedButMissing() {
        Set<String> missing = new HashSet<>();
        try (Repository repository = open()) {
            for (String path : tracked(repository)) {
                if (path.startsWith(prefix) && !Files.exists(workTree.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                    missing.add(path);
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        return missing;
    }

    /**
     * Which of {@code paths} (repository paths) the checkout's .gitignore rules (and .git/info/exclude) ignore, for
     * paths the repository does not track: what {@code git add -A} would leave out.
     */
    public Set<String> ignored(List<String> paths) throws IOException {
        Set<String> ignored = new HashSet<>();
        try (Repository repository = open()) {
            Set<String> tracked = tracked(repository);
            Rules rules = new Rules(repository);
            for (String path : paths) {
                if (!tracked.contains(path) && rules.ignores(path)) {
                    ignored.add(path);
                }
            }
        }
        return ignored;
    }

    Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir).setWorkTree(workTree.toFile()).setMustExist(true).build();
    }

    private static Set<String> tracked(Repository repository) throws IOException {
        Set<String> tracked = new HashSet<>();
        DirCache index = repository.readDirCache();
        for (int i = 0; i < index.getEntryCount(); i++) {
            tracked.add(index.getEntry(i).getPathString());
        }
        ObjectId head = repository.resolve(Constants.HEAD + "^{tree}");
        if (head != null) {
            try (TreeWalk walk = new TreeWalk(repository)) {
                walk.addTree(head);
                walk.setRecursive(true);
                while (walk.next()) {
                    tracked.add(walk.getPathString());
                }
            }
        }
        return tracked;
    }

    /** The ignore files of the checkout, read once each, applied as git applies them: the deepest match decides. */
    private final class Rules {
        private final Map<String, IgnoreNode> byFolder = new HashMap<>();
        private final IgnoreNode exclude = new IgnoreNode();

        Rules(Repository repository) throws IOException {
            Path info = repository.getDirectory().toPath().resolve("info/exclude");
            if (Files.isRegularFile(info)) {
                try (var in = Files.newInputStream(info)) {
                    exclude.parse(in);
                }
            }
        }

        boolean ignores(String path) throws IOException {
            String[] segments = path.split("/");
            StringBuilder sofar = new StringBuilder();
            for (int i = 0; i < segments.length; i++) {
                if (i > 0) {
                    sofar.append('/');
                }
                sofar.append(segments[i]);
                // A path is ignored when it, or any folder above it, is.
                if (matches(sofar.toString(), i < segments.length - 1)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(String path, boolean folder) throws IOException {
            Boolean decided = null;
            String[] segments = path.split("/");
            StringBuilder base = new StringBuilder();
            for (int depth = 0; depth < segments.length; depth++) {
                IgnoreNode node = node(base.toString());
                String relative = path.substring(base.length());
                Boolean result = node.checkIgnored(relative, folder);
                if (result != null) {
                    decided = result;
                }
                base.append(segments[depth]).append('/');
            }
            if (decided == null) {
                decided = exclude.checkIgnored(path, folder);
            }
            return Boolean.TRUE.equals(decided);
        }

        private IgnoreNode node(String folder) throws IOException {
            IgnoreNode node = byFolder.get(folder);
            if (node == null) {
                node = new IgnoreNode();
                Path file = workTree.resolve(folder).resolve(Constants.GITIGNORE_FILENAME);
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    try (var in = Files.newInputStream(file)) {
                        node.parse(in);
                    }
                }
                byFolder.put(folder, node);
            }
            return node;
        }
    }
}
