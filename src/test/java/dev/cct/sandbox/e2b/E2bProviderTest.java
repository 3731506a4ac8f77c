package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.core.Progress;
import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.testing.e2b.FakeE2b;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class E2bProviderTest {
    private static final String KEY = "e2b_provider_test_key";

    /** The provider knows nothing about Claude: a template without it is ready after one probe of $HOME. */
    @Test
    void aTemplateWithoutClaudeIsReadyAfterOneProbeAndNoInstall(@TempDir Path dir) throws Exception {
        try (FakeE2b e2b = FakeE2b.start(dir, KEY)) {
            E2bProvider provider = new E2bProvider(E2bSettings.parse("base", Secrets.of(Map.of(
                    Secrets.E2B_API_KEY, KEY, "E2B_API_URL", e2b.apiUrl(), "E2B_SANDBOX_URL", e2b.sandboxUrl()))), Duration.ofMinutes(5));
            List<String> steps = new ArrayList<>();
            Progress progress = new Progress() {
                @Override
                public void start(String step) {
                    steps.add("start " + step);
                }

                @Override
                public void update(String detail) {
                    steps.add("update " + detail);
                }

                @Override
                public void done(String summary) {
                    steps.add("done " + summary);
                }
            };
            try (Sandbox sandbox = provider.create(SandboxLabels.forThisProcess(), progress)) {
                // The fake's $HOME is a real folder, not the default the sandbox starts with: it was learned.
                Path home = e2b.sandboxDir(sandbox.id()).orElseThrow().resolve("home/" + Envd.USER);
                assertThat(sandbox.home()).isEqualTo(home.toString());
                assertThat(steps).containsExactly("start Creating E2B sandbox (template base)",
                        "done E2B sandbox " + sandbox.id() + " ready");
                assertThat(e2b.requests()).filteredOn(r -> r.endsWith("process.Process/Start")).hasSize(1);
            }
        }
    }
}
