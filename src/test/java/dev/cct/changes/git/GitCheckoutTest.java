package dev.cct.changes.git;

import static dev.cct.changes.git.GitRepo.git;
import static dev.cct.changes.git.GitRepo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCheckoutTest {
    @TempDir
    Path dir;

    @Test
    void aFolderOutsideAnyCheckoutHasNone() {
        assertThat(GitCheckout.find(dir)).isEmpty();
    }

    @Test
    void aSubfolderKnowsItsPlaceInTheRepository() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("a/b"));
        GitCheckout checkout = GitCheckout.find(repo.resolve("a/b")).orElseThrow();
        assertThat(checkout.workTree()).isEqualTo(repo.toRealPath());
        assertThat(checkout.prefix()).isEqualTo("a/b/");
        assertThat(GitCheckout.find(repo).orElseThrow().prefix()).isEmpty();
    }

    @Test
    void branchNamesAreCheckedAsGitChecksThem() {
        assertThat(GitCheckout.invalidBranchName("cct/fix-login")).isEmpty();
        for (String bad : List.of("has space", "a..b", "end.lock", "x~1", "-option", "trailing/", "HEAD", "a:b", "q?")) {
            assertThat(GitCheckout.invalidBranchName(bad)).as(bad).isPresent();
        }
    }

    @Test
    void ignoredPathsAreWhatGitAddWouldLeaveOutButNeverTrackedOnes() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, ".gitignore", "*.log\nbuild/\n!keep.log\n");
        write(repo, "sub/.gitignore", "local-only.txt\n");
        write(repo, "tracked.log", "forced in\n");
        git(repo, "add", "-A");
        git(repo, "add", "-f", "tracked.log");
        git(repo, "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve(".git/info/exclude"), "secret-notes.md\n");
        GitCheckout checkout = GitCheckout.find(repo).orElseThrow();
        List<String> paths = List.of("a.log", "keep.log", "build/out.js", "deep/build/x", "sub/local-only.txt",
                "local-only.txt", "tracked.log", "src/main.c", "secret-notes.md");
        assertThat(checkout.ignored(paths)).containsExactlyInAnyOrder("a.log", "build/out.js", "deep/build/x",
                "sub/local-only.txt", "secret-notes.md");
        // The same answer as git's own.
        for (String path : paths) {
            write(repo, path, "x\n");
        }
        assertThat(git(repo, "ls-files", "--others", "--exclude-standard").lines())
                .containsExactlyInAnyOrder("keep.log", "local-only.txt", "src/main.c");
    }
}
