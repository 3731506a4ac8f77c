package dev.cct.changes.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.changes.ChangeSet;
import dev.cct.changes.FolderContents;
import dev.cct.changes.LocalStates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffStatTest {
    @TempDir
    Path dir;

    @Test
    void countsLinesAsGitDoesAndBytesForBinaryFiles() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("edit.txt"), "one\ntwo\nthree\n");
        Files.writeString(b.resolve("edit.txt"), "one\nTWO\nthree\nfour\n");
        Files.writeString(a.resolve("old.txt"), "moves\n");
        Files.writeString(b.resolve("new.txt"), "moves\n");
        Files.write(b.resolve("blob.bin"), new byte[] {0, 1, 2});
        Files.writeString(a.resolve("gone.txt"), "x\ny\n");
        ChangeSet change = ChangeSet.between(LocalStates.scan(a, p -> false), LocalStates.scan(b, p -> false), p -> false);
        DiffStat stat = DiffStat.of(change, new FolderContents(a), new FolderContents(b));
        assertThat(stat.insertions()).isEqualTo(2);
        assertThat(stat.deletions()).isEqualTo(3);
        assertThat(stat.render(80)).isEqualTo(String.join("\n",
                " blob.bin           | Bin 0 -> 3 bytes",
                " edit.txt           |   3 ++-",
                " gone.txt           |   2 --",
                " old.txt => new.txt |   0",
                " 4 files changed, 2 insertions(+), 3 deletions(-)", ""));
    }

    @Test
    void aLongLineIsScaledToTheWidthAndKeepsBothSigns() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("big.txt"), "old\n");
        Files.writeString(b.resolve("big.txt"), "new\n".repeat(500));
        ChangeSet change = ChangeSet.between(LocalStates.scan(a, p -> false), LocalStates.scan(b, p -> false), p -> false);
        String line = DiffStat.of(change, new FolderContents(a), new FolderContents(b)).render(60).lines().findFirst().orElseThrow();
        assertThat(line.length()).isLessThanOrEqualTo(60);
        assertThat(line).contains("501 +").endsWith("-");
    }
}
