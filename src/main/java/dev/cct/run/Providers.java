package dev.cct.run;

import dev.cct.core.Environment;
import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import dev.cct.sandbox.SandboxProvider;
import dev.cct.sandbox.cloudflare.CloudflareProvider;
import dev.cct.sandbox.cloudflare.CloudflareSettings;
import dev.cct.sandbox.docker.DockerProvider;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.sandbox.e2b.E2bProvider;
import dev.cct.sandbox.e2b.E2bSettings;
import java.time.Duration;

/** Makes the provider that a run's settings are for. */
public class Providers {
    /** How long a sandbox made outside a run (listing, cleaning) would live: no such command creates one. */
    private static final Duration NO_RUN = Duration.ofMinutes(30);

    private final Environment environment;

    public Providers(Environment environment) {
        this.environment = environment;
    }

    /**
     * @param runTimeout the run's deadline, so that providers with their own lifetimes can cover it
     */
    public SandboxProvider create(ProviderSettings settings, Duration runTimeout) {
        if (settings instanceof DockerSettings docker) {
            return new DockerProvider(environment, docker);
        }
        if (settings instanceof E2bSettings e2b) {
            return new E2bProvider(e2b, runTimeout);
        }
        if (settings instanceof CloudflareSettings cloudflare) {
            return new CloudflareProvider(cloudflare);
        }
        throw new IllegalArgumentException("no provider for " + settings);
    }

    /** A provider with default settings, for commands that only list or remove sandboxes. */
    public SandboxProvider forHousekeeping(ProviderKind kind, Secrets secrets) {
        return create(defaults(kind, secrets), NO_RUN);
    }

    /** A kind's settings when no flag is given; reads the keys it needs from {@code secrets}. */
    public static ProviderSettings defaults(ProviderKind kind, Secrets secrets) {
        return switch (kind) {
            case DOCKER -> DockerSettings.defaults();
            case E2B -> E2bSettings.parse(null, secrets);
            case CLOUDFLARE -> CloudflareSettings.parse(secrets);
        };
    }
}
