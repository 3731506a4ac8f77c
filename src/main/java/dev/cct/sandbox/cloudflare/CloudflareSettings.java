package dev.cct.sandbox.cloudflare;

import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import java.util.Map;
import java.util.Objects;

/**
 * The Worker's address and token; the token stays inside the configuration, whose text never shows it.
 *
 * @param egress where the sandbox may connect to, kept by the Worker's outbound rules from before its container starts
 */
public record CloudflareSettings(WorkerConfig config, EgressPolicy egress) implements ProviderSettings {

    public CloudflareSettings {
        Objects.requireNonNull(egress, "egress");
    }

    /** Checks CLOUDFLARE_SANDBOX_URL and CLOUDFLARE_SANDBOX_TOKEN; a missing or malformed one is bad input. Egress is open. */
    public static CloudflareSettings parse(Secrets secrets) {
        return new CloudflareSettings(WorkerConfig.from(secrets), EgressPolicy.OPEN);
    }

    public CloudflareSettings withEgress(EgressPolicy policy) {
        return new CloudflareSettings(config, policy);
    }

    /** The Worker's address, as the plan shows it. */
    public String url() {
        return config.display();
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.CLOUDFLARE;
    }

    @Override
    public Map<String, String> given() {
        return egress.open() ? Map.of() : Map.of("egress", egress.describe());
    }
}
