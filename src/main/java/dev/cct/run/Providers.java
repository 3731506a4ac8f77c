package dev.cct.run;

import dev.cct.core.Environment;
import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.cloudflare.CloudflareProvider;
import dev.cct.sandbox.docker.DockerProvider;
import dev.cct.sandbox.e2b.E2bProvider;
import java.util.Map;

/** Chooses the provider implementation for a --sandbox value. */
public class Providers {
    private final Environment environment;

    public Providers(Environment environment) {
        this.environment = environment;
    }

    /**
     * @param options provider flags by name (image, template, network, memory...), plus "timeout-seconds": the
     *                run's --timeout, so that providers with their own lifetimes can cover it
     */
    public SandboxProvider create(ProviderKind kind, Map<String, String> options, Secrets secrets) {
        return switch (kind) {
            case DOCKER -> new DockerProvider(environment, options);
            case E2B -> new E2bProvider(options, secrets);
            case CLOUDFLARE -> new CloudflareProvider(secrets);
        };
    }
}
