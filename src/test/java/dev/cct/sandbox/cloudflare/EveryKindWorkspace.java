package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.archive.ExtractionReport;
import dev.cct.archive.TarWriter;
import dev.cct.testing.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A workspace with a file of every kind (text, binary, hidden, nested, executable, a dependency cache) as one tar. */
final class EveryKindWorkspace {
    static final String HELLO = "héllo ✓\n";

    private EveryKindWorkspace() {
    }

    /** The tar as the orchestrator uploads it: everything under {@code workspace/}. */
    static byte[] tar() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(tar)) {
            writer.addDirectory("workspace");
            writer.addFile("workspace/hello.txt", HELLO.getBytes(StandardCharsets.UTF_8), false);
            writer.addFile("workspace/data/blob.bin", Scenario.allByteValues(), false);
            writer.addFile("workspace/.hidden/config.env", "A=1\n".getBytes(StandardCharsets.UTF_8), false);
            writer.addFile("workspace/a/b/c/d/deep.txt", "deep\n".getBytes(StandardCharsets.UTF_8), false);
            writer.addFile("workspace/run.sh", "#!/bin/sh\necho ran\n".getBytes(StandardCharsets.UTF_8), true);
            writer.addFile("workspace/node_modules/pkg/index.js", "x".getBytes(StandardCharsets.UTF_8), false);
        }
        return tar.toByteArray();
    }

    /** Every file came back byte-identical, executable where it was, and the excluded cache did not. */
    static void assertCameBack(ExtractionReport report, Path back) throws IOException {
        assertThat(report.refused()).isEmpty();
        assertThat(Files.readString(back.resolve("hello.txt"))).isEqualTo(HELLO);
        assertThat(Files.readAllBytes(back.resolve("data/blob.bin"))).isEqualTo(Scenario.allByteValues());
        assertThat(Files.readString(back.resolve(".hidden/config.env"))).isEqualTo("A=1\n");
        assertThat(Files.readString(back.resolve("a/b/c/d/deep.txt"))).isEqualTo("deep\n");
        assertThat(Files.isExecutable(back.resolve("run.sh"))).isTrue();
        assertThat(back.resolve("node_modules")).doesNotExist();
    }
}
