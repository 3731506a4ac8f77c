package dev.cct.run;

import java.nio.file.Path;

/**
 * Where Claude's change goes besides (or instead of) the results folder, as the command line asked.
 *
 * @param branch   a new branch of the user's repository: its name, "" for the default {@code cct/<run-id>}, null for none
 * @param apply    apply the change to the user's working tree
 * @param patch    write the change as a git patch to this file; null for none
 * @param checkout the uploaded folder when it lies in a git checkout (the change is then in the repository's terms),
 *                 else null
 * @param append   the branch exists already (a continued run's): the change becomes its next commit
 */
public record Landing(String branch, boolean apply, Path patch, Path checkout, boolean append) {
    public static final Landing RESULTS_ONLY = new Landing(null, false, null, null, false);

    public Landing(String branch, boolean apply, Path patch, Path checkout) {
        this(branch, apply, patch, checkout, false);
    }

    /** Whether the user named a place for the change other than the results folder. */
    public boolean elsewhere() {
        return branch != null || apply || patch != null;
    }

    /** The branch name, once the run has an id. */
    public String branchName(String runId) {
        return branch == null ? null : branch.isEmpty() ? "cct/" + runId : branch;
    }
}
