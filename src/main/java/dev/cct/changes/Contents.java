package dev.cct.changes;

import java.io.IOException;

/** The bytes of a workspace's files, wherever they are kept (the upload archive, the fetched change). */
public interface Contents {
    /**
     * The bytes of the file at {@code path} as {@code state} describes it (for a symlink: its target's bytes as
     * git stores them).
     */
    byte[] read(FileState state) throws IOException;
}
