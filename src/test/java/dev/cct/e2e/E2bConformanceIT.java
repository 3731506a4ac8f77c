package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.testing.Needs;
import dev.cct.testing.e2b.FakeE2b;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official E2B JS SDK (pinned in src/test/e2b-conformance) against {@link FakeE2b}: proof that
 * the fake speaks the protocol a real client expects. Skips with a printed reason when the SDK is
 * not installed ({@code .ci/e2b-conformance-deps.sh} installs it), and fails instead when
 * {@code cct.requireE2bConformance=true}, as in CI.
 */
class E2bConformanceIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "e2b-conformance").toAbsolutePath();
    private static final String API_KEY = "e2b_conformance_key";

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void officialSdkAcceptsTheFake(@TempDir Path root) throws Exception {
        requireSdk();
        try (FakeE2b fake = FakeE2b.start(root, API_KEY)) {
            // The SDK must ride out a 429 with Retry-After on its very first call (create).
            fake.faults().rateLimitNext(1, 1);
            ProcessBuilder node = new ProcessBuilder("node", "conformance.mjs").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = node.environment();
            env.keySet().removeIf(k -> k.startsWith("E2B_"));
            env.put("E2B_API_URL", fake.apiUrl());
            env.put("E2B_SANDBOX_URL", fake.sandboxUrl());
            env.put("E2B_API_KEY", API_KEY);
            Process p = node.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            System.out.println(output);
            assertThat(output).contains("ok - ").doesNotContain("not ok - ");
            assertThat(exit).as("conformance.mjs exit code; its output:%n%s", output).isZero();
            assertThat(fake.liveSandboxIds()).as("sandboxes the script left running").isEmpty();
            assertThat(fake.requests().subList(0, 2)).as("the rate-limited create and its retry")
                    .containsExactly("POST /v2/sandboxes", "POST /v2/sandboxes");
        }
    }

    private static void requireSdk() {
        Needs.E2B_SDK.check(problem());
    }

    private static String problem() {
        if (!Files.isRegularFile(SCRIPT_DIR.resolve("node_modules/e2b/package.json"))) {
            return "the pinned E2B SDK is not installed in " + SCRIPT_DIR + " (run .ci/e2b-conformance-deps.sh)";
        }
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor() == 0 ? null : "'node --version' failed";
        } catch (IOException e) {
            return "node is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
