package dev.cct.changes;

/**
 * One difference between the uploaded workspace and the workspace Claude left, in git's terms.
 *
 * @param path    where the entry is now (for a deletion: where it was)
 * @param oldPath for a rename, where it was; otherwise the same as {@code path}
 * @param before  the uploaded state; null for an addition
 * @param after   the state Claude left; null for a deletion
 */
public record Change(Kind kind, String path, String oldPath, FileState before, FileState after) {
    public enum Kind {
        ADDED("A"), MODIFIED("M"), DELETED("D"), RENAMED("R"), MODE_CHANGED("M");

        private final String letter;

        Kind(String letter) {
            this.letter = letter;
        }

        /** The letter {@code git diff --name-status} prints. */
        public String letter() {
            return letter;
        }

        /** The word the JSON output uses: "added", "modified", "deleted", "renamed", "mode". */
        public String word() {
            return this == MODE_CHANGED ? "mode" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Change added(FileState after) {
        return new Change(Kind.ADDED, after.path(), after.path(), null, after);
    }

    public static Change deleted(FileState before) {
        return new Change(Kind.DELETED, before.path(), before.path(), before, null);
    }

    public static Change modified(FileState before, FileState after) {
        Kind kind = before.sameContent(after) ? Kind.MODE_CHANGED : Kind.MODIFIED;
        return new Change(kind, after.path(), before.path(), before, after);
    }

    public static Change renamed(FileState before, FileState after) {
        return new Change(Kind.RENAMED, after.path(), before.path(), before, after);
    }

    /** Whether the sandbox must send this entry's new content (a deletion sends nothing). */
    public boolean needsContent() {
        return after != null;
    }
}
