package dev.cct.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree written by TarWriter comes back identical through SafeExtractor. */
class RoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void treeComesBackByteIdenticalWithModesAndLinks() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        write(source, "notes.txt", "héllo\nwörld\r\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        write(source, "binary.bin", everyByte, "rw-r--r--");
        write(source, ".env.local", "KEY=value\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        write(source, ".config/x", "hidden folder".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        write(source, "a/b/c/d/e/deep.txt", "five levels".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        write(source, "bin/run.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        write(source, "empty", new byte[0], "rw-r--r--");
        Files.createDirectories(source.resolve("empty-folder"));
        Files.createSymbolicLink(source.resolve("link-to-notes"), Path.of("notes.txt"));
        Files.createSymbolicLink(source.resolve("a/b/up-to-bin"), Path.of("../../bin"));

        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive)) {
            writer.addTree(source, "");
        }
        Path out = tmp.resolve("out");
        ExtractionReport report = SafeExtractor.extract(new ByteArrayInputStream(archive.toByteArray()), out, p -> false);

        assertThat(report.refused()).isEmpty();
        assertThat(report.files()).isEqualTo(7);
        assertThat(report.symlinks()).isEqualTo(2);
        assertThat(report.bytes()).isEqualTo(Files.size(source.resolve("notes.txt")) + 256 + 10 + 13 + 11 + 18);
        assertThat(report.writtenPaths()).contains(".env.local", ".config/x", "a/b/c/d/e/deep.txt", "binary.bin");
        assertThat(describe(out)).isEqualTo(describe(source));
        assertThat(Files.readAllBytes(out.resolve("binary.bin"))).isEqualTo(everyByte);
        assertThat(Files.getPosixFilePermissions(out.resolve("bin/run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void prefixPutsTheTreeUnderAFolder() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        write(source, "f.txt", "f".getBytes(StandardCharsets.UTF_8), "rw-r--r--");

        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(archive)) {
            writer.addTree(source, "/home/user/workspace/");
            writer.addFile(".claude/agents/a.md", "agent".getBytes(StandardCharsets.UTF_8), false);
        }
        Path out = tmp.resolve("out");
        ExtractionReport report = SafeExtractor.extract(new ByteArrayInputStream(archive.toByteArray()), out, p -> false);

        assertThat(report.writtenPaths()).containsExactly("home/user/workspace/f.txt", ".claude/agents/a.md");
        assertThat(out.resolve("home/user/workspace/f.txt")).hasContent("f");
    }

    private static void write(Path root, String relative, byte[] content, String permissions) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }

    /** Each path with its kind, permissions (files), content or link target. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> description = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String relative = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    description.put(relative, "link -> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    description.put(relative, "folder");
                } else {
                    description.put(relative, "file "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) + " "
                            + HexFormat.of().formatHex(Files.readAllBytes(path)));
                }
            }
        }
        return description;
    }
}
