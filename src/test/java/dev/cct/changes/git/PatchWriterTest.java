package dev.cct.changes.git;

import static dev.cct.changes.git.GitRepo.git;
import static dev.cct.changes.git.GitRepo.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.changes.ChangeSet;
import dev.cct.changes.FolderContents;
import dev.cct.changes.LocalStates;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch is what git itself takes: it applies to the uploaded state and gives exactly the changed tree. */
class PatchWriterTest {
    @TempDir
    Path dir;

    @Test
    void gitAppliesThePatchAndGetsTheChangedTreeBinaryModesLinksAndRenamesIncluded() throws Exception {
        Path before = GitRepo.init(dir.resolve("before"));
        write(before, "edit.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n");
        write(before, "no-newline.txt", "last line");
        write(before, "gone.txt", "deleted\n");
        write(before, "old name.txt", "moves under a new name\n");
        write(before, "mode.sh", "#!/bin/sh\n");
        write(before, "becomes-link", "a file now\n");
        write(before, "tab\there.txt", "odd names are quoted\n");
        Files.write(before.resolve("image.bin"), new byte[] {0, 1, 2, 3, 0, (byte) 255});
        Files.createSymbolicLink(before.resolve("link"), Path.of("edit.txt"));
        git(before, "add", "-A");
        git(before, "commit", "-q", "-m", "before");

        Path after = dir.resolve("after");
        git(dir, "clone", "-q", before.toString(), after.toString());
        write(after, "edit.txt", "one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
        write(after, "no-newline.txt", "last line, changed");
        Files.delete(after.resolve("gone.txt"));
        Files.move(after.resolve("old name.txt"), after.resolve("new name.txt"));
        Files.setPosixFilePermissions(after.resolve("mode.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(after.resolve("becomes-link"));
        Files.createSymbolicLink(after.resolve("becomes-link"), Path.of("edit.txt"));
        Files.delete(after.resolve("link"));
        Files.createSymbolicLink(after.resolve("link"), Path.of("no-newline.txt"));
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + i / 7);
        }
        Files.write(after.resolve("image.bin"), binary);
        Files.createDirectories(after.resolve("sub"));
        Files.write(after.resolve("sub/empty.txt"), new byte[0]);
        write(after, "ünïcode.txt", "new\n");
        write(after, "tab\there.txt", "odd names are quoted, and changed\n");

        ChangeSet change = ChangeSet.between(LocalStates.scan(before, p -> false), LocalStates.scan(after, p -> false), p -> false);
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        PatchWriter.write(change, new FolderContents(before), new FolderContents(after), "", patch);
        Files.write(dir.resolve("change.patch"), patch.toByteArray());

        git(before, "apply", "--index", dir.resolve("change.patch").toString());
        git(after, "add", "-A");
        assertThat(git(before, "write-tree")).isEqualTo(git(after, "write-tree"));
        String text = patch.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("rename from old name.txt", "GIT binary patch", "old mode 100644\nnew mode 100755",
                "deleted file mode 100644", "new file mode 120000", "diff --git \"a/tab\\there.txt\" \"b/tab\\there.txt\"");
    }

    @Test
    void aPrefixPutsThePathsWhereTheUploadedFolderLiesInTheRepository() throws Exception {
        Path repo = GitRepo.init(dir.resolve("repo"));
        write(repo, "app/src/a.txt", "a\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "first");
        Path changed = dir.resolve("changed");
        write(changed, "src/a.txt", "A\n");
        write(changed, "src/b.txt", "b\n");
        ChangeSet change = ChangeSet.between(LocalStates.scan(repo.resolve("app"), p -> false), LocalStates.scan(changed, p -> false), p -> false);
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        PatchWriter.write(change, new FolderContents(repo.resolve("app")), new FolderContents(changed), "app/", patch);
        Files.write(dir.resolve("p.patch"), patch.toByteArray());
        git(repo, "apply", dir.resolve("p.patch").toString());
        assertThat(Files.readString(repo.resolve("app/src/a.txt"))).isEqualTo("A\n");
        assertThat(Files.readString(repo.resolve("app/src/b.txt"))).isEqualTo("b\n");
    }

    @Test
    void namesGitWouldQuoteAreQuotedAsGitQuotesThem() {
        assertThat(PatchWriter.quoted("a/plain name.txt")).isEqualTo("a/plain name.txt");
        assertThat(PatchWriter.quoted("a/tab\there")).isEqualTo("\"a/tab\\there\"");
        assertThat(PatchWriter.quoted("a/\"q\"")).isEqualTo("\"a/\\\"q\\\"\"");
        assertThat(PatchWriter.quoted("a/é")).isEqualTo("\"a/\\303\\251\"");
    }
}
