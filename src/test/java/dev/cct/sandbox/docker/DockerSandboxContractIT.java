package dev.cct.sandbox.docker;

import dev.cct.core.Environment;
import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxContract;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.testing.DockerEngineCheck;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Sandbox contract for Docker, against the real engine, with cct's own image (built on first use from
 * CCT_DOCKER_BASE_IMAGE, as the run builds it).
 */
class DockerSandboxContractIT extends SandboxContract {
    @BeforeAll
    static void engine() {
        DockerEngineCheck.requireEngine();
    }

    @Override
    protected SandboxProvider newProvider() {
        return new DockerProvider(Environment.system(), DockerSettings.defaults());
    }

    /** The engine connection the provider's sandboxes share goes away: the remove cannot be sent. */
    @Override
    protected void failNextDestroy(SandboxProvider provider, Sandbox sandbox) throws Exception {
        ((DockerProvider) provider).docker().close();
    }
}
