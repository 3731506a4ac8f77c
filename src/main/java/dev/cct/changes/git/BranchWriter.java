package dev.cct.changes.git;

import dev.cct.changes.Change;
import dev.cct.changes.ChangeSet;
import dev.cct.changes.Contents;
import dev.cct.changes.FileState;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Puts a run's change on a new branch without touching the user's working tree, index, HEAD or stash: trees are built
 * in memory from HEAD's, and only new objects and the new branch's ref are written. The first commit is the uploaded
 * state (the user's uncommitted edits and untracked files) when it differs from HEAD; the second is Claude's change.
 */
public final class BranchWriter {
    private BranchWriter() {
    }

    private record Entry(FileMode mode, ObjectId id) {
    }

    /** Creates {@code branch}; fails, writing no ref, when it exists meanwhile. Returns the change's commit. */
    public static ObjectId create(GitCheckout checkout, String branch, UploadedState uploaded, ChangeSet change,
                                  Contents after, String message) throws IOException {
        String prefix = checkout.prefix();
        try (Repository repository = checkout.open(); ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId head = repository.resolve(Constants.HEAD + "^{commit}");
            ObjectId headTree = head == null ? null : repository.resolve(Constants.HEAD + "^{tree}");
            Map<String, Entry> tree = headTree == null ? new TreeMap<>() : read(repository, headTree);

            for (String missing : uploaded.trackedButMissing()) {
                tree.remove(missing);
            }
            // Without a git program the upload took ignored files too; the uploaded state is what git would track.
            java.util.Set<String> ignored = checkout.ignored(uploaded.files().stream()
                    .map(file -> prefix + file.path()).filter(path -> !tree.containsKey(path)).toList());
            for (FileState file : uploaded.files()) {
                String path = prefix + file.path();
                if (ignored.contains(path)) {
                    continue;
                }
                Entry known = tree.get(path);
                byte[] content = uploaded.contents().read(file);
                ObjectId id = Blobs.id(content);
                // Most uploaded files are HEAD's own blobs: only what the repository lacks is written.
                if ((known == null || !known.id().equals(id)) && !repository.getObjectDatabase().has(id)) {
                    inserter.insert(Constants.OBJ_BLOB, content);
                }
                tree.put(path, new Entry(Blobs.mode(file), id));
            }
            ObjectId uploadedTree = write(tree, inserter);

            PersonIdent person = new PersonIdent(repository);
            ObjectId parent = head;
            if (headTree == null || !uploadedTree.equals(headTree)) {
                parent = commit(inserter, uploadedTree, parent, person,
                        "The uploaded state: uncommitted edits and untracked files\n\n" + trailers(message));
            }

            apply(change, after, prefix, tree, inserter);
            ObjectId changed = commit(inserter, write(tree, inserter), parent, person, message);
            inserter.flush();
            moveBranch(repository, branch, ObjectId.zeroId(), changed, message, RefUpdate.Result.NEW, "create");
            return changed;
        }
    }

    /** Adds the change as the next commit of {@code branch}, which must still be where it was when it was read. */
    public static ObjectId append(GitCheckout checkout, String branch, ChangeSet change, Contents after, String message)
            throws IOException {
        String prefix = checkout.prefix();
        try (Repository repository = checkout.open(); ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId tip = repository.resolve(Constants.R_HEADS + branch + "^{commit}");
            if (tip == null) {
                throw new IOException("branch " + branch + " is gone");
            }
            Map<String, Entry> tree = read(repository, repository.resolve(Constants.R_HEADS + branch + "^{tree}"));
            apply(change, after, prefix, tree, inserter);
            ObjectId changed = commit(inserter, write(tree, inserter), tip, new PersonIdent(repository), message);
            inserter.flush();
            moveBranch(repository, branch, tip, changed, message, RefUpdate.Result.FAST_FORWARD, "add to");
            return changed;
        }
    }

    /** Claude's change over {@code tree}: removed paths go, new content is written as blobs. */
    private static void apply(ChangeSet change, Contents after, String prefix, Map<String, Entry> tree, ObjectInserter inserter)
            throws IOException {
        for (Change c : change.changes()) {
            if (c.before() != null) {
                tree.remove(prefix + c.oldPath());
            }
            if (c.after() != null) {
                byte[] content = after.read(c.after());
                tree.put(prefix + c.path(), new Entry(Blobs.mode(c.after()), inserter.insert(Constants.OBJ_BLOB, content)));
            }
        }
    }

    /** Points the branch at {@code to} only if it is still at {@code from}: a concurrent change of it is never lost. */
    private static void moveBranch(Repository repository, String branch, ObjectId from, ObjectId to, String message,
                                   RefUpdate.Result expected, String verb) throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setNewObjectId(to);
        update.setExpectedOldObjectId(from);
        update.setRefLogMessage("cct: " + message.lines().findFirst().orElse("run"), false);
        RefUpdate.Result result = update.update();
        if (result != expected) {
            throw new IOException("could not " + verb + " branch " + branch + " (" + result + ")");
        }
    }

    private static Map<String, Entry> read(Repository repository, ObjectId tree) throws IOException {
        Map<String, Entry> entries = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                entries.put(walk.getPathString(), new Entry(walk.getFileMode(0), walk.getObjectId(0)));
            }
        }
        return entries;
    }

    private static ObjectId write(Map<String, Entry> tree, ObjectInserter inserter) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, Entry> e : tree.entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(e.getKey());
            entry.setFileMode(e.getValue().mode());
            entry.setObjectId(e.getValue().id());
            builder.add(entry);
        }
        builder.finish();
        return index.writeTree(inserter);
    }

    private static ObjectId commit(ObjectInserter inserter, ObjectId tree, ObjectId parent, PersonIdent person,
                                   String message) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (parent != null) {
            commit.setParentId(parent);
        }
        commit.setAuthor(person);
        commit.setCommitter(person);
        commit.setMessage(message);
        return inserter.insert(commit);
    }

    /** The trailers of the change's message ("Cct-Run: ..."), so the first commit says which run made it too. */
    private static String trailers(String message) {
        StringBuilder trailers = new StringBuilder();
        message.lines().filter(line -> line.startsWith("Cct-Run: ")).forEach(line -> trailers.append(line).append('\n'));
        return trailers.toString();
    }
}
