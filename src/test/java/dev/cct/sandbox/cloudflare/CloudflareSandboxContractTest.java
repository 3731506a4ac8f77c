package dev.cct.sandbox.cloudflare;

import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxContract;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.testing.cloudflare.FakeWorker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Sandbox contract for Cloudflare, against the Java fake of cct's Worker, which runs every command for real. */
class CloudflareSandboxContractTest extends SandboxContract {
    private static final String TOKEN = "cf-contract-token-0123456789abcdef";
    @TempDir
    static Path root;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws IOException {
        worker = FakeWorker.start(root.resolve("worker"), TOKEN).withHeartbeat(Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Override
    protected SandboxProvider newProvider() {
        return new CloudflareProvider(WorkerConfig.from(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, worker.url(),
                Secrets.CLOUDFLARE_SANDBOX_TOKEN, TOKEN))), CloudflareSandboxTest.QUICK, CloudflareSandboxTest.QUICK_CALLS);
    }

    /** The token was rotated while the run went on: a refusal no retry can change. */
    @Override
    protected void failNextDestroy(SandboxProvider provider, Sandbox sandbox) {
        worker.faults().refuseNext("DELETE", 1, 401);
    }
}
