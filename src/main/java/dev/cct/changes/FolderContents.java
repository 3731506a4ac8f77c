package dev.cct.changes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contents of a folder on this machine: where the changed files' new content was brought back to. */
public final class FolderContents implements Contents {
    private final Path root;

    public FolderContents(Path root) {
        this.root = root;
    }

    @Override
    public byte[] read(FileState state) throws IOException {
        Path path = root.resolve(state.path());
        if (state.isSymlink()) {
            return state.linkTarget().getBytes(StandardCharsets.UTF_8);
        }
        if (Files.isSymbolicLink(path)) {
            throw new IOException(state.path() + " is a symlink where a file was expected");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (!Digests.sha256(bytes).equals(state.sha256())) {
            // The change is only exact if the bytes are the ones the sandbox listed.
            throw new IOException(state.path() + " is not the file the sandbox listed");
        }
        return bytes;
    }

    /** Whether {@code state}'s content is here, as listed. */
    public boolean holds(FileState state) throws IOException {
        return LocalStates.of(root, state.path()).map(found -> found.sameContent(state)).orElse(false);
    }
}
