package dev.cct.changes;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What Claude changed in the workspace, computed from two listings: the uploaded state and the state found in the
 * sandbox afterwards. Paths the caller ignores (what cct installed, excluded folders, .env files) are not part of the
 * change on either side; paths that could not land safely in a checkout (inside a .git folder) are refused and
 * reported instead.
 */
public final class ChangeSet {
    private final List<Change> changes;
    private final List<String> refused;

    private ChangeSet(List<Change> changes, List<String> refused) {
        this.changes = List.copyOf(changes);
        this.refused = List.copyOf(refused);
    }

    public static ChangeSet empty() {
        return new ChangeSet(List.of(), List.of());
    }

    /**
     * Compares {@code now} with {@code base}; a deleted entry whose exact content reappears as a new path is a rename
     * (the first such path in path order, each used once).
     */
    public static ChangeSet between(Collection<FileState> base, Collection<FileState> now, Predicate<String> ignored) {
        Map<String, FileState> before = new TreeMap<>();
        for (FileState state : base) {
            if (!ignored.test(state.path()) && !insideGit(state.path())) {
                before.put(state.path(), state);
            }
        }
        Map<String, FileState> after = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        for (FileState state : now) {
            if (ignored.test(state.path())) {
                continue;
            }
            if (insideGit(state.path())) {
                if (!before.containsKey(state.path())) {
                    refused.add(state.path() + ": inside a .git folder");
                }
                continue;
            }
            after.put(state.path(), state);
        }

        List<Change> changes = new ArrayList<>();
        List<FileState> added = new ArrayList<>();
        for (FileState state : after.values()) {
            FileState old = before.get(state.path());
            if (old == null) {
                added.add(state);
            } else if (!old.sameAs(state)) {
                changes.add(Change.modified(old, state));
            }
        }
        Map<String, Deque<FileState>> deletedByContent = new LinkedHashMap<>();
        List<FileState> deleted = new ArrayList<>();
        for (FileState state : before.values()) {
            if (!after.containsKey(state.path())) {
                deleted.add(state);
                deletedByContent.computeIfAbsent(contentKey(state), k -> new ArrayDeque<>()).add(state);
            }
        }
        Map<String, FileState> renamedFrom = new HashMap<>();
        for (FileState state : added) {
            Deque<FileState> candidates = deletedByContent.get(contentKey(state));
            // An empty file is the same as every other empty file: pairing them would invent renames.
            if (candidates != null && !candidates.isEmpty() && !(state.type() == FileState.Type.FILE && state.size() == 0)) {
                FileState old = candidates.removeFirst();
                renamedFrom.put(old.path(), old);
                changes.add(Change.renamed(old, state));
            } else {
                changes.add(Change.added(state));
            }
        }
        for (FileState state : deleted) {
            if (!renamedFrom.containsKey(state.path())) {
                changes.add(Change.deleted(state));
            }
        }
        changes.sort(Comparator.comparing(Change::path).thenComparing(Change::kind));
        return new ChangeSet(changes, refused);
    }

    /** The same change, with more entries reported as left out. */
    public ChangeSet withRefused(List<String> more) {
        List<String> all = new ArrayList<>(refused);
        all.addAll(more);
        return new ChangeSet(changes, all);
    }

    /** The changes {@code keep} accepts; the others are dropped (the caller has reported why). */
    public ChangeSet keepOnly(Predicate<Change> keep) {
        return new ChangeSet(changes.stream().filter(keep).toList(), refused);
    }

    /** Every change, in path order. */
    public List<Change> changes() {
        return changes;
    }

    /** Entries the sandbox left that cannot be part of a change, each as "path: reason". */
    public List<String> refused() {
        return refused;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Paths whose new content must travel from the sandbox. */
    public List<String> pathsToFetch() {
        return changes.stream().filter(Change::needsContent).map(Change::path).toList();
    }

    /** Paths that no longer exist (a rename's old path included). */
    public List<String> removedPaths() {
        List<String> removed = new ArrayList<>();
        for (Change change : changes) {
            if (change.kind() == Change.Kind.DELETED || change.kind() == Change.Kind.RENAMED) {
                removed.add(change.oldPath());
            }
        }
        return removed;
    }

    public long count(Change.Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    private static String contentKey(FileState state) {
        return state.isSymlink() ? "l:" + state.linkTarget() : "f:" + state.sha256();
    }

    static boolean insideGit(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals(".git")) {
                return true;
            }
        }
        return false;
    }
}
