package dev.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
    @TempDir
    Path tmp;

    @Test
    void entriesAreRelativeSlashSeparatedAndOwnedByTheGivenIds() throws IOException {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive, 1000, 1001)) {
            writer.addDirectory("/work//dir/");
            writer.addFile("./work/a.txt", "a".getBytes(StandardCharsets.UTF_8), false);
            writer.addFile("work/run", new byte[0], true);
            writer.addSymlink("work/link", "a.txt");
        }

        List<TarArchiveEntry> entries = read(archive.toByteArray());

        assertThat(entries).extracting(TarArchiveEntry::getName)
                .containsExactly("work/dir/", "work/a.txt", "work/run", "work/link");
        assertThat(entries).extracting(e -> e.getMode() & 07777).containsExactly(0755, 0644, 0755, 0777);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getLongUserId()).isEqualTo(1000);
            assertThat(e.getLongGroupId()).isEqualTo(1001);
            assertThat(e.getUserName()).isEmpty();
        });
        assertThat(entries.get(3).getLinkName()).isEqualTo("a.txt");
    }

    @Test
    void refusesNamesThatClimbOut() {
        TarWriter writer = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> writer.addFile("a/../../b", new byte[0], false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.addDirectory("/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longAndNonAsciiNamesSurvive() throws IOException {
        String longName = "x/".repeat(80) + "é-file-" + "y".repeat(120) + ".txt";
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive)) {
            writer.addFile(longName, "ok".getBytes(StandardCharsets.UTF_8), false);
        }

        assertThat(read(archive.toByteArray())).extracting(TarArchiveEntry::getName).containsExactly(longName);
    }

    @Test
    void addFileStreamsFromDisk() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path source = Files.write(tmp.resolve("big.bin"), content);
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive)) {
            writer.addFile("big.bin", source, false);
        }

        Path out = tmp.resolve("out");
        SafeExtractor.extract(new ByteArrayInputStream(archive.toByteArray()), out, p -> false);
        assertThat(Files.readAllBytes(out.resolve("big.bin"))).isEqualTo(content);
    }

    @Test
    void symlinksAreStoredNotFollowed() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("escape"), outside);

        List<TarArchiveEntry> entries = read(archiveOf(root));

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.isSymbolicLink()).isTrue();
            assertThat(entry.getLinkName()).isEqualTo(outside.toString());
        });
    }

    @Test
    void theGitFolderIsAlwaysLeftOut() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("not-a-repo"));
        Files.createDirectories(root.resolve(".git/objects"));
        Files.writeString(root.resolve(".git/HEAD"), "garbage");
        Files.writeString(root.resolve("kept.txt"), "kept");

        assertThat(names(archiveOf(root))).containsExactly("kept.txt");
    }

    @Test
    void honoursGitignoreInsideACheckout() throws Exception {
        Assumptions.assumeTrue(gitAvailable(), () -> {
            String reason = "git is not installed; skipping the .gitignore test";
            System.out.println(reason);
            return reason;
        });
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve(".gitignore"), "*.log\nbuild/\n/secret.env\n");
        Files.writeString(repo.resolve("tracked.txt"), "tracked");
        Files.createDirectories(repo.resolve("src/main"));
        Files.writeString(repo.resolve("src/main/App.java"), "class App {}");
        Files.writeString(repo.resolve("src/debug.log"), "noise");
        Files.createDirectories(repo.resolve("build/classes"));
        Files.writeString(repo.resolve("build/classes/App.class"), "bytes");
        Files.writeString(repo.resolve("secret.env"), "KEY=1");
        Files.createDirectories(repo.resolve("only-ignored"));
        Files.writeString(repo.resolve("only-ignored/x.log"), "noise");
        git(repo, "add", "tracked.txt", ".gitignore");
        Files.writeString(repo.resolve("untracked.txt"), "new, not ignored");

        assertThat(names(archiveOf(repo))).containsExactly(
                ".gitignore", "src/", "src/main/", "src/main/App.java", "tracked.txt", "untracked.txt");

        // Archiving a folder inside the checkout lists paths relative to that folder.
        assertThat(names(archiveOf(repo.resolve("src")))).containsExactly("main/", "main/App.java");
    }

    private static byte[] archiveOf(Path root) throws IOException {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive)) {
            writer.addTree(root, "");
        }
        return archive.toByteArray();
    }

    private static List<String> names(byte[] archive) throws IOException {
        return read(archive).stream().map(TarArchiveEntry::getName).toList();
    }

    private static List<TarArchiveEntry> read(byte[] archive) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive), "UTF-8")) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static boolean gitAvailable() {
        try {
            Process process = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("git %s: %s", String.join(" ", args), output).isZero();
    }
}
