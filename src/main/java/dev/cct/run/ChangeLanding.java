package dev.cct.run;

import dev.cct.changes.ChangeSet;
import dev.cct.changes.Contents;
import dev.cct.changes.FileState;
import dev.cct.changes.FolderContents;
import dev.cct.changes.WorkingTreeApply;
import dev.cct.changes.git.BranchWriter;
import dev.cct.changes.git.DiffStat;
import dev.cct.changes.git.GitCheckout;
import dev.cct.changes.git.PatchWriter;
import dev.cct.changes.git.UploadedState;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.stream.RunOutcome;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lands a run's change where the user asked: a git patch, a new branch, the working tree. A change lands in the
 * repository only after a run that succeeded; otherwise (and when applying it would overwrite a local edit) the
 * patch is saved and the user told how to apply it, so nothing Claude did is lost and nothing of theirs is touched.
 */
final class ChangeLanding {
    private static final int STAT_WIDTH = 80;

    /**
     * What landed where.
     *
     * @param stat    the change like {@code git diff --stat}; null when nothing changed
     * @param patch   the patch file written, or null
     * @param branch  the branch created, or null
     * @param applied whether the change was applied to the working tree
     * @param advice  lines for the summary: how to apply the patch, what the branch holds
     * @param verdict the run's verdict, made an error when the change could not land as asked
     */
    record Landed(DiffStat stat, Path patch, String branch, boolean applied, List<String> advice, Verdict verdict) {
    }

    private ChangeLanding() {
    }

    /** The uploaded folder's repository as it was at upload time: the paths it tracks that were not on disk. */
    static Set<String> trackedButMissing(Landing landing) {
        if (landing.checkout() == null) {
            return Set.of();
        }
        Optional<GitCheckout> git = GitCheckout.find(landing.checkout());
        return git.map(GitCheckout::trackedButMissing).orElse(Set.of());
    }

    static Landed land(RunRequest request, String runId, ChangeBack.Brought brought, List<FileState> uploaded,
                       Contents base, Set<String> missingAtUpload, Path results, Verdict verdict, RunOutcome outcome,
                       Path cwd, Ui ui) throws IOException {
        Landing landing = request.landing();
        ChangeSet change = brought.change();
        if (change.isEmpty()) {
            if (landing.elsewhere()) {
                ui.info("No change to land: Claude left the uploaded files as they were");
            }
            return new Landed(null, null, null, false, List.of(), verdict);
        }
        Contents after = new FolderContents(brought.folder());
        Optional<GitCheckout> git = landing.checkout() == null ? Optional.empty() : GitCheckout.find(landing.checkout());
        String prefix = git.map(GitCheckout::prefix).orElse("");
        if (git.isPresent()) {
            change = withoutIgnored(change, git.get(), ui);
            if (change.isEmpty()) {
                return new Landed(null, null, null, false, List.of(), verdict);
            }
        }
        DiffStat stat = DiffStat.of(change, base, after);

        boolean succeeded = verdict.exitCode() == ExitCode.OK;
        String branch = null;
        boolean applied = false;
        Verdict finalVerdict = verdict;
        List<String> advice = new java.util.ArrayList<>();
        boolean patchNeeded = landing.patch() != null || (git.isPresent() && !landing.elsewhere());

        if (succeeded && landing.branch() != null && git.isPresent() && landing.append()) {
            String name = landing.branch();
            try {
                BranchWriter.append(git.get(), name, change, after, commitMessage(request, runId, outcome));
                branch = name;
                advice.add("Branch " + name + " has the change as its next commit; your checkout is as it was (see: git log -p " + name + ")");
            } catch (IOException e) {
                finalVerdict = new Verdict(ExitCode.CLAUDE_ERROR, "not-landed", "Branch " + name + ": " + e.getMessage()
                        + "; the change is saved as a patch");
                patchNeeded = true;
            }
        } else if (succeeded && landing.branch() != null && git.isPresent()) {
            String name = landing.branchName(runId);
            if (git.get().branchExists(name)) {
                finalVerdict = new Verdict(ExitCode.CLAUDE_ERROR, "not-landed", "Branch " + name + " already exists; the change is saved as a patch");
                patchNeeded = true;
            } else {
                BranchWriter.create(git.get(), name, new UploadedState(uploaded, base, missingAtUpload), change, after,
                        commitMessage(request, runId, outcome));
                branch = name;
                advice.add("Branch " + name + " holds the change; your checkout is as it was (see: git log -p " + name + ")");
            }
        }
        if (succeeded && landing.apply() && landing.checkout() != null && finalVerdict.exitCode() == ExitCode.OK) {
            WorkingTreeApply.Result result = WorkingTreeApply.apply(landing.checkout(), change, after);
            if (!result.conflicts().isEmpty()) {
                String paths = result.conflicts().stream().map(WorkingTreeApply.Conflict::path).collect(Collectors.joining(", "));
                finalVerdict = new Verdict(ExitCode.CLAUDE_ERROR, "conflict", "Not applied: " + result.conflicts().size()
                        + " file(s) changed locally since the upload: " + paths);
                patchNeeded = true;
            } else {
                applied = true;
                advice.add("Applied " + result.applied().size() + " change(s) to " + ChangeBack.display(landing.checkout(), cwd));
            }
            for (String refused : result.refused()) {
                ui.warn("not applied: " + refused);
            }
        }
        if (!succeeded && (landing.branch() != null || landing.apply())) {
            advice.add("The run did not succeed, so the change was not put on a branch or applied");
            patchNeeded = true;
        }

        Path patch = null;
        if (patchNeeded) {
            patch = landing.patch() != null ? landing.patch() : besideResults(results, cwd, runId);
            try (OutputStream out = Files.newOutputStream(patch)) {
                PatchWriter.write(change, base, after, prefix, out);
            }
            if (git.isPresent()) {
                advice.add("Patch: " + display(patch, cwd) + "; apply it with: " + applyCommand(git.get().workTree(), patch, cwd));
            } else {
                advice.add("Patch: " + display(patch, cwd) + "; apply it in the uploaded folder with: git apply " + patch.toAbsolutePath());
            }
        }
        return new Landed(stat, patch, branch, applied, advice, finalVerdict);
    }

    /**
     * New files that the repository's .gitignore rules ignore (build output, logs) stay in the results folder but are
     * not part of what lands in the repository, as {@code git add -A} would leave them out.
     */
    private static ChangeSet withoutIgnored(ChangeSet change, GitCheckout git, Ui ui) throws IOException {
        List<String> added = change.changes().stream().filter(c -> c.before() == null).map(c -> git.prefix() + c.path()).toList();
        if (added.isEmpty()) {
            return change;
        }
        Set<String> ignored = git.ignored(added);
        if (ignored.isEmpty()) {
            return change;
        }
        ui.info("Left out of the change: " + ignored.size() + " new file(s) that .gitignore ignores");
        return change.keepOnly(c -> c.before() != null || !ignored.contains(git.prefix() + c.path()));
    }

    /** "sandbox-1a2b3c4d5e6f.patch" beside the results folder (or in the working folder when there is none). */
    private static Path besideResults(Path results, Path cwd, String runId) {
        if (results != null) {
            Path name = results.toAbsolutePath().normalize();
            return name.resolveSibling(name.getFileName() + ".patch");
        }
        return cwd.resolve("sandbox-" + runId + ".patch");
    }

    static String applyCommand(Path workTree, Path patch, Path cwd) {
        Path absolute = patch.toAbsolutePath().normalize();
        if (workTree.toAbsolutePath().normalize().equals(cwd.toAbsolutePath().normalize())) {
            return "git apply " + display(absolute, cwd);
        }
        return "git -C " + workTree + " apply " + absolute;
    }

    private static String display(Path path, Path cwd) {
        Path absolute = path.toAbsolutePath().normalize();
        Path base = cwd.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }

    /** The prompt's first line, then trailers that say where the change came from. */
    static String commitMessage(RunRequest request, String runId, RunOutcome outcome) {
        String first = request.prompt().strip().lines().findFirst().orElse("cct run").strip();
        String subject = first.length() <= 72 ? first : first.substring(0, 71) + "…";
        StringBuilder message = new StringBuilder(subject).append("\n\n");
        message.append("Cct-Run: ").append(runId).append('\n');
        message.append("Cct-Provider: ").append(request.provider().flag()).append('\n');
        if (outcome != null) {
            message.append("Cct-Turns: ").append(outcome.turns()).append('\n');
            message.append("Cct-Cost-Usd: ").append(Format.money(outcome.costUsd())).append('\n');
        }
        return message.toString();
    }
}
