package dev.cct.changes.git;

import static dev.cct.changes.git.GitRepo.git;
import static dev.cct.changes.git.GitRepo.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.changes.ChangeSet;
import dev.cct.changes.FileState;
import dev.cct.changes.FolderContents;
import dev.cct.changes.LocalStates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The branch holds the uploaded state and the change, and nothing of the user's checkout moves. */
class BranchWriterTest {
    @TempDir
    Path dir;

    @Test
    void theBranchIsTheUploadedStateThenTheChangeAndTheCheckoutStaysAsItWas() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, "app/edit.txt", "one\n");
        write(repo, "app/deleted-locally.txt", "x\n");
        write(repo, "other/outside.txt", "not uploaded\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "first");
        write(repo, "app/edit.txt", "one (uncommitted)\n");
        write(repo, "app/untracked.txt", "new\n");
        Files.delete(repo.resolve("app/deleted-locally.txt"));
        String statusBefore = git(repo, "status", "--porcelain");
        String headBefore = git(repo, "rev-parse", "HEAD");

        GitCheckout checkout = GitCheckout.find(repo.resolve("app")).orElseThrow();
        assertThat(checkout.prefix()).isEqualTo("app/");
        assertThat(checkout.trackedButMissing()).containsExactly("app/deleted-locally.txt");
        Path app = repo.resolve("app");
        List<FileState> uploaded = LocalStates.scan(app, p -> false);

        Path after = dir.resolve("after");
        write(after, "edit.txt", "one (uncommitted)\nand Claude's line\n");
        write(after, "untracked.txt", "new\n");
        write(after, "claude.txt", "added\n");
        ChangeSet change = ChangeSet.between(uploaded, LocalStates.scan(after, p -> false), p -> false);

        BranchWriter.create(checkout, "cct/test", new UploadedState(uploaded, new FolderContents(app), checkout.trackedButMissing()),
                change, new FolderContents(after), "Add a line\n\nCct-Run: abc123\n");

        assertThat(git(repo, "status", "--porcelain")).isEqualTo(statusBefore);
        assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(headBefore);
        assertThat(git(repo, "rev-parse", "cct/test~2")).isEqualTo(headBefore);
        assertThat(git(repo, "show", "cct/test~1:app/edit.txt")).isEqualTo("one (uncommitted)\n");
        assertThat(git(repo, "ls-tree", "-r", "--name-only", "cct/test~1").lines())
                .containsExactly("app/edit.txt", "app/untracked.txt", "other/outside.txt");
        assertThat(git(repo, "diff", "--name-status", "cct/test~1", "cct/test").lines())
                .containsExactly("A\tapp/claude.txt", "M\tapp/edit.txt");
        assertThat(git(repo, "log", "-1", "--format=%s%n%b", "cct/test")).startsWith("Add a line\n").contains("Cct-Run: abc123");
        assertThat(git(repo, "log", "-1", "--format=%b", "cct/test~1")).contains("Cct-Run: abc123");
        git(repo, "fsck", "--strict", "--no-dangling");

        assertThat(checkout.branchExists("cct/test")).isTrue();
        assertThatThrownBy(() -> BranchWriter.create(checkout, "cct/test", new UploadedState(uploaded, new FolderContents(app), Set.of()),
                change, new FolderContents(after), "again\n")).hasMessageContaining("could not create branch cct/test");
    }

    @Test
    void aContinuedRunsChangeIsTheBranchsNextCommit() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, "a.txt", "a\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "first");
        git(repo, "branch", "cct/run1");
        GitCheckout checkout = GitCheckout.find(repo).orElseThrow();
        Path before = dir.resolve("before");
        write(before, "a.txt", "a\n");
        Path after = dir.resolve("after");
        write(after, "a.txt", "a\nmore\n");
        ChangeSet change = ChangeSet.between(LocalStates.scan(before, p -> false), LocalStates.scan(after, p -> false), p -> false);
        String tip = git(repo, "rev-parse", "cct/run1");
        BranchWriter.append(checkout, "cct/run1", change, new FolderContents(after), "Now more\n");
        assertThat(git(repo, "rev-parse", "cct/run1~1")).isEqualTo(tip);
        assertThat(git(repo, "show", "cct/run1:a.txt")).isEqualTo("a\nmore\n");
        assertThat(git(repo, "status", "--porcelain")).isEmpty();
        assertThatThrownBy(() -> BranchWriter.append(checkout, "gone", change, new FolderContents(after), "x\n"))
                .hasMessageContaining("branch gone is gone");
    }

    @Test
    void anUploadThatIsHeadGetsOneCommitOnTopOfHead() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, "a.txt", "a\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "first");
        GitCheckout checkout = GitCheckout.find(repo).orElseThrow();
        List<FileState> uploaded = LocalStates.scan(repo, p -> false);
        Path after = dir.resolve("after");
        write(after, "a.txt", "A\n");
        ChangeSet change = ChangeSet.between(uploaded, LocalStates.scan(after, p -> false), p -> false);
        BranchWriter.create(checkout, "fix", new UploadedState(uploaded, new FolderContents(repo), Set.of()), change,
                new FolderContents(after), "Fix\n");
        assertThat(git(repo, "rev-parse", "fix~1")).isEqualTo(git(repo, "rev-parse", "HEAD"));
        assertThat(git(repo, "show", "fix:a.txt")).isEqualTo("A\n");
    }

    @Test
    void aRepositoryWithoutCommitsGetsARootCommit() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, "a.txt", "a\n");
        GitCheckout checkout = GitCheckout.find(repo).orElseThrow();
        List<FileState> uploaded = LocalStates.scan(repo, p -> false);
        Path after = dir.resolve("after");
        write(after, "a.txt", "A\n");
        ChangeSet change = ChangeSet.between(uploaded, LocalStates.scan(after, p -> false), p -> false);
        BranchWriter.create(checkout, "first", new UploadedState(uploaded, new FolderContents(repo), Set.of()), change,
                new FolderContents(after), "First\n");
        assertThat(git(repo, "rev-list", "--count", "first").strip()).isEqualTo("2");
        assertThat(git(repo, "status", "--porcelain")).isEqualTo("?? a.txt\n");
    }
}
