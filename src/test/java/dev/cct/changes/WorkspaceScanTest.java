package dev.cct.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing and staging commands, run here by the same shell and tools a sandbox has, against the local states. */
class WorkspaceScanTest {
    @TempDir
    Path dir;
    Path ws;

    @BeforeEach
    void workspace() throws IOException {
        ws = dir.resolve("work space");
        Files.createDirectories(ws.resolve("sub/deeper"));
        Files.writeString(ws.resolve("plain.txt"), "plain\n");
        Files.writeString(ws.resolve("with space.txt"), "spaced\n");
        Files.writeString(ws.resolve("new\nline.txt"), "newline in the name\n");
        Files.writeString(ws.resolve("-dash.txt"), "looks like an option\n");
        Files.write(ws.resolve("empty"), new byte[0]);
        Files.writeString(ws.resolve("sub/deeper/tool.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ws.resolve("sub/deeper/tool.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(ws.resolve("link"), Path.of("sub/deeper/tool.sh"));
        Files.createSymbolicLink(ws.resolve("dangling"), Path.of("../nowhere"));
        Files.createDirectories(ws.resolve("node_modules/dep"));
        Files.writeString(ws.resolve("node_modules/dep/index.js"), "dep\n");
        Files.createDirectories(ws.resolve("sub/.git"));
        Files.writeString(ws.resolve("sub/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(ws.resolve("ünïcode.txt"), "names are UTF-8\n");
    }

    @Test
    void theSandboxListingAgreesWithTheLocalStatesAndPrunesWhatItIsTold() throws Exception {
        WorkspaceScan.Scan scan = WorkspaceScan.parse(run(WorkspaceScan.command(ws.toString(), List.of("node_modules", ".venv"))));
        List<FileState> local = LocalStates.scan(ws, path -> path.equals("node_modules"));
        assertThat(sorted(scan.entries())).containsExactlyElementsOf(sorted(local));
        assertThat(scan.gitFolders()).containsExactly("sub/.git");
        assertThat(scan.entries()).extracting(FileState::path).contains("new\nline.txt", "-dash.txt", "ünïcode.txt")
                .doesNotContain("node_modules/dep/index.js");
        FileState tool = scan.entries().stream().filter(s -> s.path().equals("sub/deeper/tool.sh")).findFirst().orElseThrow();
        assertThat(tool.executable()).isTrue();
        assertThat(scan.entries()).contains(FileState.symlink("dangling", "../nowhere"));
    }

    @Test
    void onlyFilesWhoseStatusChangedSinceTheMarkAreReadAndTheRestTakeTheUploadsHashes() throws Exception {
        List<FileState> uploaded = LocalStates.scan(ws, path -> path.equals("node_modules"));
        Path mark = dir.resolve("started");
        Files.writeString(mark, "1");
        // The mark must be later than every upload's status change and earlier than Claude's first write, as it is
        // in a run; file times are coarse, so wait until the clock has passed it instead of assuming it has.
        FileTime latest = FileTime.fromMillis(0);
        for (Path p : Files.walk(ws).toList()) {
            FileTime ctime = (FileTime) Files.getAttribute(p, "unix:ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            latest = ctime.compareTo(latest) > 0 ? ctime : latest;
        }
        Files.setLastModifiedTime(mark, FileTime.from(latest.toInstant().plusNanos(1)));
        Path probe = dir.resolve("probe");
        FileTime markTime = Files.getLastModifiedTime(mark);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(1)).until(() -> {
            Files.writeString(probe, "tick");
            return ((FileTime) Files.getAttribute(probe, "unix:ctime")).compareTo(markTime) > 0;
        });
        Files.writeString(ws.resolve("plain.txt"), "changed by Claude\n");
        Files.setPosixFilePermissions(ws.resolve("empty"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(ws.resolve("with space.txt"), ws.resolve("renamed.txt"));

        WorkspaceScan.Scan scan = WorkspaceScan.parse(run(WorkspaceScan.command(ws.toString(), List.of("node_modules"), mark.toString())));
        assertThat(scan.entries()).extracting(FileState::path).contains("plain.txt", "empty", "renamed.txt")
                .doesNotContain("sub/deeper/tool.sh", "-dash.txt");
        assertThat(scan.unhashed()).extracting(WorkspaceScan.Unchanged::path).contains("sub/deeper/tool.sh", "-dash.txt");
        List<FileState> resolved = scan.resolve(uploaded).orElseThrow();
        assertThat(sorted(resolved)).containsExactlyElementsOf(sorted(LocalStates.scan(ws, path -> path.equals("node_modules"))));

        // An unread file the upload did not have (or had with another size) cannot be resolved from it.
        assertThat(scan.resolve(List.of())).isEmpty();
        // Without the mark every file is read.
        assertThat(WorkspaceScan.parse(run(WorkspaceScan.command(ws.toString(), List.of("node_modules"), dir.resolve("no-such").toString())))
                .unhashed()).isEmpty();
    }

    @Test
    void withNothingPrunedDependencyFoldersAreListedToo() throws Exception {
        WorkspaceScan.Scan scan = WorkspaceScan.parse(run(WorkspaceScan.command(ws.toString(), List.of())));
        assertThat(scan.entries()).extracting(FileState::path).contains("node_modules/dep/index.js");
    }

    @Test
    void stagingCopiesTheListedPathsWithTheirFoldersModesAndLinks() throws Exception {
        Path list = dir.resolve("changed.list");
        Files.write(list, String.join("\0", "sub/deeper/tool.sh", "link", "with space.txt", "new\nline.txt", "-dash.txt", "")
                .getBytes(StandardCharsets.UTF_8));
        Path staging = dir.resolve("staging");
        Files.createDirectories(staging.resolve("stale"));
        run(WorkspaceScan.stageCommand(ws.toString(), list.toString(), staging.toString()));
        List<FileState> staged = LocalStates.scan(staging, path -> false);
        List<FileState> expected = LocalStates.scan(ws, path -> !List.of("sub", "sub/deeper", "sub/deeper/tool.sh", "link",
                "with space.txt", "new\nline.txt", "-dash.txt").contains(path));
        assertThat(sorted(staged)).containsExactlyElementsOf(sorted(expected));
        assertThat(staging.resolve("stale")).doesNotExist();

        // The same paths as the command's arguments.
        Path again = dir.resolve("again");
        run(WorkspaceScan.stageCommand(ws.toString(), List.of("sub/deeper/tool.sh", "link", "with space.txt", "new\nline.txt", "-dash.txt"),
                again.toString()));
        assertThat(sorted(LocalStates.scan(again, path -> false))).containsExactlyElementsOf(sorted(expected));
        assertThat(WorkspaceScan.fitInArguments(List.of("a".repeat(70_000)))).isFalse();
        assertThat(WorkspaceScan.fitInArguments(List.of("a", "b"))).isTrue();
    }

    @Test
    void aCutOrForeignListingIsRefused() {
        assertThatThrownBy(() -> WorkspaceScan.parse(fields("F", "644")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut off");
        assertThatThrownBy(() -> WorkspaceScan.parse(fields("F", "644", "3", "a")))
                .hasMessageContaining("before the hashes");
        assertThatThrownBy(() -> WorkspaceScan.parse(fields("F", "644", "3", "a", "H")))
                .hasMessageContaining("no hash for a");
        assertThatThrownBy(() -> WorkspaceScan.parse(fields("X")))
                .hasMessageContaining("unexpected entry tag");
        assertThatThrownBy(() -> WorkspaceScan.parse("F".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("cut off");
        String hash = "a".repeat(64);
        assertThat(WorkspaceScan.parse(fields("F", "755", "3", "a", "H", hash + "  a")).entries())
                .containsExactly(FileState.file("a", true, 3, hash));
    }

    /** NUL-terminated fields, as the listing prints them. */
    private static byte[] fields(String... fields) {
        return (String.join("\u0000", fields) + "\u0000").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSandboxWithoutTheToolsSaysSoWithItsOwnExitCode() throws Exception {
        List<String> command = new ArrayList<>(WorkspaceScan.command(ws.toString(), List.of()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", dir.resolve("no-tools").toString());
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(WorkspaceScan.MISSING_TOOLS);
        assertThat(err).contains("missing");
    }

    private static List<FileState> sorted(List<FileState> states) {
        return states.stream().sorted(Comparator.comparing(FileState::path)).toList();
    }

    /** Runs a command as a sandbox would (sh on the PATH), returning its stdout; a failure fails the test. */
    private static byte[] run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        return out;
    }
}
