package dev.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeExtractorTest {
    @TempDir
    Path tmp;
    Path target;
    Path canary;
    Map<String, String> outsideBefore;

    @BeforeEach
    void createTargetNextToACanary() throws IOException {
        target = tmp.resolve("target");
        canary = Files.createDirectories(tmp.resolve("canary"));
        Files.writeString(canary.resolve("keep.txt"), "original");
        Files.writeString(canary.resolve("passwd"), "root:x:0:0");
        outsideBefore = snapshotOutsideTarget();
    }

    static Stream<Arguments> hostileArchives() {
        return Stream.of(
                hostile("parent escape", () -> new HandMadeTar().file("../evil", "x"), "../evil: contains '..'"),
                hostile("absolute path", () -> new HandMadeTar().file("/abs-cct-test", "x"), "/abs-cct-test: absolute path"),
                hostile("escape after a folder", () -> new HandMadeTar().file("a/../../evil", "x"), "a/../../evil: contains '..'"),
                hostile("dot-dot only", () -> new HandMadeTar().directory(".."), "../: contains '..'"),
                hostile("absolute symlink", () -> new HandMadeTar().symlink("link", "/etc"), "link: symlink to an absolute path"),
                hostile("symlink climbing out", () -> new HandMadeTar().symlink("up", "../.."), "up: symlink points outside"),
                hostile("deep symlink climbing out", () -> new HandMadeTar().symlink("a/b/up", "../../../canary"),
                        "a/b/up: symlink points outside"),
                hostile("symlink to the canary", () -> new HandMadeTar().symlink("c", "../canary/keep.txt"),
                        "c: symlink points outside"),
                hostile("hard link", () -> new HandMadeTar().hardLink("hard", "/etc/passwd"), "hard: hard links are not extracted"),
                hostile("hard link inside", () -> new HandMadeTar().file("a", "x").hardLink("b", "a"),
                        "b: hard links are not extracted"),
                hostile("character device", () -> new HandMadeTar().special("null", TarConstants.LF_CHR),
                        "null: character devices are not extracted"),
                hostile("block device", () -> new HandMadeTar().special("sda", TarConstants.LF_BLK),
                        "sda: block devices are not extracted"),
                hostile("fifo", () -> new HandMadeTar().special("pipe", TarConstants.LF_FIFO), "pipe: FIFOs are not extracted"));
    }

    private static Arguments hostile(String description, Supplier<HandMadeTar> archive, String expectedRefusal) {
        return Arguments.of(description, archive, expectedRefusal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileArchives")
    void refusesAndReportsHostileEntries(String description, Supplier<HandMadeTar> archive, String expectedRefusal)
            throws IOException {
        ExtractionReport report = extract(archive.get().file("fine.txt", "fine").stream());

        assertThat(report.refused()).hasSize(1);
        assertThat(report.refused().get(0)).startsWith(expectedRefusal);
        assertThat(target.resolve("fine.txt")).hasContent("fine");
        assertNothingChangedOutsideTarget();
        assertThat(Path.of("/abs-cct-test")).doesNotExist();
    }

    @Test
    void everyHostileEntryOfOneArchiveIsReportedAndTheRestExtracted() throws IOException {
        InputStream archive = new HandMadeTar()
                .file("../evil", "x")
                .file("/abs-cct-test", "x")
                .file("a/../../evil", "x")
                .symlink("link", "/etc")
                .file("link/passwd", "pwned")
                .symlink("up", "../..")
                .file("up/canary/keep.txt", "pwned")
                .hardLink("hard", "/etc/passwd")
                .special("null", TarConstants.LF_CHR)
                .special("pipe", TarConstants.LF_FIFO)
                .file("good/file.txt", "good")
                .stream();

        ExtractionReport report = extract(archive);

        assertThat(report.refused()).extracting(line -> line.substring(0, line.indexOf(": ")))
                .containsExactly("../evil", "/abs-cct-test", "a/../../evil", "link", "link/passwd", "up",
                        "up/canary/keep.txt", "hard", "null", "pipe");
        assertThat(report.refused()).contains("link/passwd: inside refused entry 'link'");
        assertThat(report.writtenPaths()).containsExactly("good/file.txt");
        assertThat(listTarget()).containsExactly("good", "good/file.txt");
        assertNothingChangedOutsideTarget();
    }

    @Test
    void neverWritesThroughASymlinkAlreadyInTheTarget() throws IOException {
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("out"), Path.of("../canary"));
        Files.createSymbolicLink(target.resolve("abs"), canary.toAbsolutePath());

        ExtractionReport report = extract(new HandMadeTar()
                .file("out/keep.txt", "pwned")
                .file("out/new.txt", "pwned")
                .directory("out/sub")
                .directory("out")
                .file("abs/passwd", "pwned")
                .file("abs/deeper/file", "pwned")
                .stream());

        assertThat(report.refused()).containsExactly(
                "out/keep.txt: 'out' is a symlink",
                "out/new.txt: 'out' is a symlink",
                "out/sub/: 'out' is a symlink",
                "out/: 'out' is a symlink on disk",
                "abs/passwd: 'abs' is a symlink",
                "abs/deeper/file: 'abs' is a symlink");
        assertThat(report.files()).isZero();
        assertNothingChangedOutsideTarget();
    }

    @Test
    void aFileEntryReplacesAnExistingSymlinkInsteadOfFollowingIt() throws IOException {
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("victim"), Path.of("../canary/keep.txt"));

        ExtractionReport report = extract(new HandMadeTar().file("victim", "new content").stream());

        assertThat(report.refused()).isEmpty();
        assertThat(target.resolve("victim")).isRegularFile().hasContent("new content");
        assertThat(Files.isSymbolicLink(target.resolve("victim"))).isFalse();
        assertNothingChangedOutsideTarget();
    }

    @Test
    void aSymlinkThatOnlyLooksInsideThroughAnotherSymlinkIsRefused() throws IOException {
        // d/e/l is the target folder itself; "l/../.." reads as "d" but climbs two levels above the target.
        ExtractionReport report = extract(new HandMadeTar()
                .directory("d/e")
                .symlink("d/e/l", "../..")
                .symlink("d/e/m", "l/../..")
                .stream());

        assertThat(report.symlinks()).isEqualTo(1);
        assertThat(report.refused()).singleElement().asString()
                .startsWith("d/e/m: symlink target has '..' after a folder name");
        assertThat(Files.readSymbolicLink(target.resolve("d/e/l"))).isEqualTo(Path.of("../.."));
    }

    @Test
    void createsSymlinksThatStayInside() throws IOException {
        ExtractionReport report = extract(new HandMadeTar()
                .file("sub/file.txt", "inside")
                .symlink("to-file", "sub/file.txt")
                .symlink("sub/back", "../sub/./file.txt")
                .symlink("sub/root", "..")
                .symlink("dangling", "not/yet/there")
                .stream());

        assertThat(report.refused()).isEmpty();
        assertThat(report.symlinks()).isEqualTo(4);
        assertThat(Files.readSymbolicLink(target.resolve("to-file"))).isEqualTo(Path.of("sub/file.txt"));
        assertThat(target.resolve("to-file")).hasContent("inside");
        assertThat(target.resolve("sub/back")).hasContent("inside");
        assertThat(Files.readSymbolicLink(target.resolve("sub/root"))).isEqualTo(Path.of(".."));
        assertThat(Files.isSymbolicLink(target.resolve("dangling"))).isTrue();
    }

    @Test
    void stripsLeadingDotSlashAndIgnoresTheRootEntry() throws IOException {
        ExtractionReport report = extract(new HandMadeTar()
                .directory("./")
                .directory("./a")
                .file("./a/b.txt", "b")
                .file(".//c//d.txt", "d")
                .stream());

        assertThat(report.refused()).isEmpty();
        assertThat(report.writtenPaths()).containsExactly("a/b.txt", "c/d.txt");
        assertThat(report.directories()).isEqualTo(1);
        assertThat(target.resolve("a/b.txt")).hasContent("b");
        assertThat(target.resolve("c/d.txt")).hasContent("d");
    }

    @Test
    void skippedEntriesAreCountedAndNotWritten() throws IOException {
        ExtractionReport report = SafeExtractor.extract(new HandMadeTar()
                        .directory("node_modules")
                        .file("node_modules/x/index.js", "x")
                        .file("./keep.js", "keep")
                        .file("../evil-but-skipped", "x")
                        .stream(),
                target, path -> path.startsWith("node_modules"));

        assertThat(report.skipped()).isEqualTo(2);
        assertThat(report.refused()).hasSize(1); // a hostile name is reported even when it would be skipped
        assertThat(listTarget()).containsExactly("keep.js");
    }

    @Test
    void laterEntriesReplaceEarlierFilesAndExistingFiles() throws IOException {
        Files.createDirectories(target);
        Files.writeString(target.resolve("existing.txt"), "old and longer");

        ExtractionReport report = extract(new HandMadeTar()
                .file("existing.txt", "new")
                .file("twice.txt", "first")
                .file("twice.txt", "second")
                .stream());

        assertThat(report.files()).isEqualTo(3);
        assertThat(target.resolve("existing.txt")).hasContent("new");
        assertThat(target.resolve("twice.txt")).hasContent("second");
        assertThat(listTarget()).containsExactly("existing.txt", "twice.txt"); // no temp files left behind
    }

    @Test
    void refusesToTurnAFileIntoAFolderOrTheOtherWayRound() throws IOException {
        ExtractionReport report = extract(new HandMadeTar()
                .file("a", "file")
                .file("a/b", "under a file")
                .directory("d")
                .file("d", "over a folder")
                .symlink("d", "a")
                .stream());

        assertThat(report.refused()).containsExactly(
                "a/b: 'a' is not a folder",
                "d: a folder with that name exists",
                "d: a folder with that name exists");
    }

    @Test
    void executeBitAndSizesComeFromTheEntry() throws IOException {
        byte[] content = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
        ExtractionReport report = extract(new HandMadeTar()
                .file("run.sh", content, 0700)
                .file("group-only-x", new byte[] {1}, 0610)
                .file("plain", new byte[0], 0600)
                .stream());

        assertThat(report.bytes()).isEqualTo(content.length + 1);
        assertThat(mode(target.resolve("run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("group-only-x"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("plain"))).isEqualTo("rw-r--r--");
    }

    @Test
    void controlCharactersInNamesAreMadeVisibleInTheReport() throws IOException {
        ExtractionReport report = extract(new HandMadeTar().file("../\u001b[2Jevil", "x").stream());

        assertThat(report.refused()).containsExactly("../\\u001b[2Jevil: contains '..'");
    }

    private ExtractionReport extract(InputStream archive) throws IOException {
        return SafeExtractor.extract(archive, target, path -> false);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private List<String> listTarget() throws IOException {
        try (Stream<Path> paths = Files.walk(target)) {
            return paths.filter(p -> !p.equals(target)).map(p -> target.relativize(p).toString()).sorted().toList();
        }
    }

    /** Every path under the temp folder except the target, with file contents or link targets. */
    private Map<String, String> snapshotOutsideTarget() throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(tmp)) {
            paths.filter(p -> !p.startsWith(target)).forEach(p -> {
                try {
                    String state;
                    if (Files.isSymbolicLink(p)) {
                        state = "link:" + Files.readSymbolicLink(p);
                    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        state = "dir";
                    } else {
                        state = "file:" + Files.readString(p) + ":" + Files.getLastModifiedTime(p);
                    }
                    snapshot.put(tmp.relativize(p).toString(), state);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return snapshot;
    }

    private void assertNothingChangedOutsideTarget() throws IOException {
        assertThat(snapshotOutsideTarget()).isEqualTo(outsideBefore);
        assertThat(tmp.getParent().resolve("evil")).doesNotExist();
    }
}
