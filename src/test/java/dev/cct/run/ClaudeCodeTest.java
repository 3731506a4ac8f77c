package dev.cct.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClaudeCodeTest {
    @Test
    void theInstalledVersionIsTheDockerImagesPin() throws Exception {
        String dockerfile = Files.readString(Path.of("components/sandbox/docker/Dockerfile"));
        assertThat(dockerfile).contains("ARG CLAUDE_CODE_VERSION=" + ClaudeCode.VERSION + "\n");
    }
}
