package dev.cct.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Which paths under a root folder belong in an archive of it: those git lists, or everything outside git. */
final class TreeSelection {
    private final Set<String> listed;
    private final Set<String> foldersOfListed;

    private TreeSelection(Set<String> listed) {
        this.listed = listed;
        this.foldersOfListed = new HashSet<>();
        for (String path : listed == null ? Set.<String>of() : listed) {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                foldersOfListed.add(path.substring(0, slash));
            }
        }
    }

    static TreeSelection everything() {
        return new TreeSelection(null);
    }

    static TreeSelection of(Path root) throws IOException {
        Optional<Set<String>> gitListing = GitFileList.of(root);
        return gitListing.map(TreeSelection::new).orElseGet(TreeSelection::everything);
    }

    /** Whether {@code relativePath} (a file, folder or link under the root) should be archived. */
    boolean includes(String relativePath) {
        if (listed == null || foldersOfListed.contains(relativePath)) {
            return true;
        }
        // A listed path that is a folder (a submodule or a nested repository) brings everything below it.
        for (int end = relativePath.length(); end > 0; end = relativePath.lastIndexOf('/', end - 1)) {
            if (listed.contains(relativePath.substring(0, end))) {
                return true;
            }
        }
        return false;
    }
}
