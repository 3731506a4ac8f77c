package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built program on every Java runtime installed here, with its class-data archive (an AOT cache on Java 25+):
 * the catalog must resolve from the jar however the classes were loaded, on the first start and on later ones.
 */
class LauncherIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    static List<Path> runtimes() throws Exception {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.map(home -> home.resolve("bin/java")).filter(Files::isExecutable).map(java -> {
                try {
                    return java.toRealPath();
                } catch (java.io.IOException e) {
                    return java;
                }
            }).distinct().forEach(found::add);
        } catch (java.nio.file.NoSuchFileException e) {
            // No runtimes in the usual place: the PATH's java below still counts.
        }
        if (found.isEmpty()) {
            found.add(Path.of("java"));
        }
        return found;
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void componentsResolveWithTheClassDataArchiveOnEveryRuntime(Path java) throws Exception {
        for (int start = 1; start <= 2; start++) {
            CctProcess.Result shown = new CctProcess(dir).env("CCT_JAVA", java.toString()).env("XDG_CACHE_HOME", dir.resolve("cache").toString())
                    .run(LIMIT, "components", "show", "security/security-auditor");
            assertThat(shown.code()).as(java + " start " + start + ": " + shown.err()).isZero();
            CctProcess.Result plan = new CctProcess(dir).env("CCT_JAVA", java.toString()).env("XDG_CACHE_HOME", dir.resolve("cache").toString())
                    .env("ANTHROPIC_API_KEY", "sk-ant-launcher").env("E2B_API_KEY", "e2b_launcher")
                    .run(LIMIT, "--sandbox", "e2b", "--agent", "data-ai/ml-engineer", "--command", "testing/generate-tests",
                            "--prompt", "analyze this dataset and create tests", "--dry-run");
            assertThat(plan.code()).as(java + " start " + start + ": " + plan.err()).isZero();
            assertThat(plan.out()).contains("ml-engineer");
        }
        try (Stream<Path> archives = Files.list(dir.resolve("cache/cct/jvm"))) {
            assertThat(archives.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".aot") || n.endsWith(".jsa"));
        }
    }
}
