package dev.cct.cli;

import dev.cct.changes.git.GitCheckout;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.run.Landing;
import dev.cct.runs.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where Claude's change lands besides the results folder, checked before anything runs: a branch that already
 * exists, a folder that is no git checkout or a patch file that would be overwritten is bad input, not a late failure.
 */
public final class ChangeOptions {
    @Option(names = "--branch", arity = "0..1", fallbackValue = "", paramLabel = "NAME",
            description = "Put Claude's change on a new branch of your repository (default: cct/<run-id>); your working tree, index and HEAD stay as they are.")
    String branch;

    @Option(names = "--apply", description = "Apply Claude's change to your working tree; refused as a whole when a file it changes was edited meanwhile.")
    boolean apply;

    @Option(names = "--patch", paramLabel = "FILE", description = "Write Claude's change as a git patch that 'git apply' takes.")
    String patch;

    /** The landing the flags ask for; {@code uploads} are the checked --upload paths. */
    Landing landing(List<Path> uploads, Environment environment, boolean overwrite) {
        return landing(uploads, environment, overwrite, null);
    }

    /**
     * The same for a run that continues {@code continued} (or null): without --upload, its change is in the terms of
     * the earlier run's checkout, and --branch (unnamed, or named as before) adds to the earlier run's branch.
     */
    Landing landing(List<Path> uploads, Environment environment, boolean overwrite, RunRecord continued) {
        Path patchFile = patch == null ? null : patchFile(environment, overwrite);
        Path folder = uploads.size() == 1 && Files.isDirectory(uploads.get(0)) ? uploads.get(0) : null;
        if (folder == null && uploads.isEmpty() && continued != null && continued.checkout() != null
                && Files.isDirectory(Path.of(continued.checkout()))) {
            folder = Path.of(continued.checkout());
        }
        if (continued != null && continued.branch() != null && branch != null
                && (branch.isEmpty() || branch.equals(continued.branch())) && folder != null) {
            Optional<GitCheckout> git = GitCheckout.find(folder);
            if (git.isEmpty() || !git.get().branchExists(continued.branch())) {
                throw CctException.badInput("branch '" + continued.branch() + "' of run " + continued.id() + " is gone",
                        "name a new branch with --branch NAME");
            }
            return new Landing(continued.branch(), apply, patchFile, folder, true);
        }
        boolean inRepository = branch != null || apply;
        Optional<GitCheckout> git = folder == null ? Optional.empty() : GitCheckout.find(folder);
        if (inRepository && git.isEmpty()) {
            String flag = branch != null ? "--branch" : "--apply";
            throw CctException.badInput(flag + " needs your project: exactly one --upload folder inside a git checkout",
                    "run it in your repository with --upload ., or write the change with --patch FILE");
        }
        if (branch != null && !branch.isEmpty()) {
            Optional<String> invalid = GitCheckout.invalidBranchName(branch);
            if (invalid.isPresent()) {
                throw CctException.badInput("invalid --branch '" + branch + "': " + invalid.get(),
                        "choose a name git accepts, such as cct/fix-login");
            }
            if (git.get().branchExists(branch)) {
                throw CctException.badInput("branch '" + branch + "' already exists in " + git.get().workTree(),
                        "choose another name, or leave the name out for cct/<run-id>");
            }
        }
        return new Landing(branch, apply, patchFile, git.isPresent() ? folder : null);
    }

    private Path patchFile(Environment environment, boolean overwrite) {
        Path file = environment.resolve(patch);
        if (Files.isDirectory(file)) {
            throw CctException.badInput("--patch " + patch + " is a folder", "give a file name, such as fix.patch");
        }
        if (Files.exists(file) && !overwrite) {
            throw CctException.badInput("--patch " + patch + " exists", "choose a new file, or add --yes to replace it");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw CctException.badInput("cannot write --patch " + patch, "choose a file in a folder you can write to");
        }
        return file;
    }
}
