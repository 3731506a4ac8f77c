package dev.cct.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All or nothing: the change lands where the folder is as uploaded, and a single local edit stops it whole. */
class WorkingTreeApplyTest {
    @TempDir
    Path dir;
    Path checkout;
    Path after;
    List<FileState> uploaded;

    @BeforeEach
    void folders() throws Exception {
        checkout = dir.resolve("checkout");
        write(checkout, "edit.txt", "one\n");
        write(checkout, "gone.txt", "bye\n");
        write(checkout, "old.txt", "moving\n");
        write(checkout, "tool.sh", "#!/bin/sh\n");
        uploaded = LocalStates.scan(checkout, p -> false);
        after = dir.resolve("after");
        write(after, "edit.txt", "ONE\n");
        write(after, "new.txt", "moving\n");
        write(after, "tool.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(after.resolve("tool.sh"), java.util.Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        write(after, "data/added.txt", "added\n");
    }

    private ChangeSet change() throws Exception {
        return ChangeSet.between(uploaded, LocalStates.scan(after, p -> false), p -> false);
    }

    @Test
    void anUntouchedFolderGetsTheWholeChange() throws Exception {
        WorkingTreeApply.Result result = WorkingTreeApply.apply(checkout, change(), new FolderContents(after));
        assertThat(result.conflicts()).isEmpty();
        assertThat(result.applied()).containsExactly("data/added.txt", "edit.txt", "gone.txt", "new.txt", "tool.sh");
        assertThat(LocalStates.scan(checkout, p -> false)).containsExactlyInAnyOrderElementsOf(LocalStates.scan(after, p -> false));
        assertThat(Files.getPosixFilePermissions(checkout.resolve("edit.txt"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void oneLocalEditMeansNothingIsWritten() throws Exception {
        ChangeSet change = change();
        write(checkout, "gone.txt", "edited meanwhile\n");
        write(checkout, "new.txt", "created meanwhile\n");
        List<FileState> before = LocalStates.scan(checkout, p -> false);
        WorkingTreeApply.Result result = WorkingTreeApply.apply(checkout, change, new FolderContents(after));
        assertThat(result.applied()).isEmpty();
        assertThat(result.conflicts()).extracting(WorkingTreeApply.Conflict::path).containsExactly("gone.txt", "new.txt");
        assertThat(LocalStates.scan(checkout, p -> false)).isEqualTo(before);
    }

    @Test
    void aLocalEditThatIsAlreadyTheChangeIsNoConflict() throws Exception {
        ChangeSet change = change();
        write(checkout, "data/added.txt", "added\n");
        assertThat(WorkingTreeApply.apply(checkout, change, new FolderContents(after)).conflicts()).isEmpty();
    }

    @Test
    void pathsThroughASymlinkedFolderOrIntoGitAreRefusedAndTheRestLands() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(checkout.resolve("data"), outside);
        ChangeSet change = change();
        WorkingTreeApply.Result result = WorkingTreeApply.apply(checkout, change, new FolderContents(after));
        assertThat(result.refused()).singleElement().asString().startsWith("data/added.txt: its folder data is a symlink");
        assertThat(result.conflicts()).isEmpty();
        assertThat(outside.resolve("added.txt")).doesNotExist();
        assertThat(Files.readString(checkout.resolve("edit.txt"))).isEqualTo("ONE\n");
        assertThat(WorkingTreeApply.unsafe(checkout, ".git/hooks/pre-commit")).isPresent();
        assertThat(WorkingTreeApply.unsafe(checkout, "a/../../b")).isPresent();
        assertThat(WorkingTreeApply.unsafe(checkout, "/etc/passwd")).isPresent();
    }

    private static void write(Path root, String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
