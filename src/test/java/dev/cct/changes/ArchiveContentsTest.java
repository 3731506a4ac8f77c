package dev.cct.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.archive.TarWriter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveContentsTest {
    @TempDir
    Path dir;

    @Test
    void theUploadsStatesAreWhatTheSandboxReceivedTheLastCopyOfAPathWinning() throws Exception {
        Path tar = dir.resolve("upload.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarWriter writer = new TarWriter(out)) {
            writer.addDirectory("workspace");
            writer.addFile("workspace/a.txt", "first".getBytes(StandardCharsets.UTF_8), false);
            writer.addFile("workspace/run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), true);
            writer.addSymlink("workspace/link", "a.txt");
            writer.addFile("workspace/a.txt", "second".getBytes(StandardCharsets.UTF_8), false);
            writer.addFile(".cct/prompt.txt", "not in the workspace".getBytes(StandardCharsets.UTF_8), false);
        }
        try (ArchiveContents contents = ArchiveContents.open(tar, "workspace")) {
            assertThat(contents.states()).extracting(FileState::path).containsExactly("run.sh", "link", "a.txt");
            FileState a = contents.states().get(2);
            assertThat(new String(contents.read(a), StandardCharsets.UTF_8)).isEqualTo("second");
            assertThat(a.sha256()).isEqualTo(Digests.sha256("second".getBytes(StandardCharsets.UTF_8)));
            assertThat(contents.states().get(0).executable()).isTrue();
            assertThat(contents.states().get(1)).isEqualTo(FileState.symlink("link", "a.txt"));
            assertThatThrownBy(() -> contents.read(FileState.file("missing", false, 0, "0".repeat(64))))
                    .hasMessageContaining("no file missing");
        }
    }
}
