package dev.cct.sandbox.e2b;

import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxContract;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.testing.e2b.FakeE2b;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Sandbox contract for E2B, against the fake E2B, which runs every command for real. */
class E2bSandboxContractTest extends SandboxContract {
    private static final String KEY = "e2b_contract_test_key";
    @TempDir
    static Path root;
    private static FakeE2b e2b;

    @BeforeAll
    static void start() throws IOException {
        e2b = FakeE2b.start(root, KEY);
    }

    @AfterAll
    static void stop() {
        e2b.close();
    }

    @Override
    protected SandboxProvider newProvider() {
        return new E2bProvider(E2bSettings.parse("base", Secrets.of(Map.of(Secrets.E2B_API_KEY, KEY,
                "E2B_API_URL", e2b.apiUrl(), "E2B_SANDBOX_URL", e2b.sandboxUrl()))), Duration.ofMinutes(10));
    }

    /** The kill is retried on a 5xx: every try of it is answered 503. */
    @Override
    protected void failNextDestroy(SandboxProvider provider, Sandbox sandbox) {
        e2b.faults().serviceUnavailableNext(E2bRetries.POLICY.maxAttempts());
    }
}
