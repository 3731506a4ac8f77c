package dev.cct.changes.git;

import dev.cct.changes.Contents;
import dev.cct.changes.FileState;
import java.util.List;
import java.util.Set;

/**
 * The user's files as the sandbox received them: what the branch's first commit records when it differs from HEAD.
 *
 * @param files             the uploaded files, relative to the uploaded folder
 * @param contents          their bytes
 * @param trackedButMissing repository paths the repository tracked that were not on disk at upload time
 */
public record UploadedState(List<FileState> files, Contents contents, Set<String> trackedButMissing) {
    public UploadedState {
        files = List.copyOf(files);
        trackedButMissing = Set.copyOf(trackedButMissing);
    }
}
