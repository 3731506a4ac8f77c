package dev.cct.archive;

import java.util.List;

/**
 * What {@link SafeExtractor} did with one archive.
 *
 * @param files        regular files written
 * @param directories  directory entries accepted (folders created implicitly for a file's parents are not counted)
 * @param symlinks     symlinks created
 * @param bytes        content bytes written to files
 * @param skipped      entries left out on purpose by the caller's skip predicate
 * @param refused      entries not extracted because they were unsafe, each as "name: reason"
 * @param writtenPaths relative ('/' separated) paths of the regular files written, in archive order
 */
public record ExtractionReport(
        int files,
        int directories,
        int symlinks,
        long bytes,
        int skipped,
        List<String> refused,
        List<String> writtenPaths) {

    public ExtractionReport {
        refused = List.copyOf(refused);
        writtenPaths = List.copyOf(writtenPaths);
    }
}
