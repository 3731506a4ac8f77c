package dev.cct.changes.git;

import dev.cct.changes.FileState;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;

/** A workspace entry in git's terms: its mode and the id of its blob. */
final class Blobs {
    private static final ObjectInserter.Formatter FORMATTER = new ObjectInserter.Formatter();

    private Blobs() {
    }

    static FileMode mode(FileState state) {
        if (state.isSymlink()) {
            return FileMode.SYMLINK;
        }
        return state.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
    }

    static ObjectId id(byte[] content) {
        return FORMATTER.idFor(Constants.OBJ_BLOB, content);
    }
}
