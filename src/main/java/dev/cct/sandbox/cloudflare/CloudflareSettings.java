package dev.cct.sandbox.cloudflare;

import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import java.util.Map;

/** The Worker's address and token; the token stays inside the configuration, whose text never shows it. */
public record CloudflareSettings(WorkerConfig config) implements ProviderSettings {

    /** Checks CLOUDFLARE_SANDBOX_URL and CLOUDFLARE_SANDBOX_TOKEN; a missing or malformed one is bad input. */
    public static CloudflareSettings parse(Secrets secrets) {
        return new CloudflareSettings(WorkerConfig.from(secrets));
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
        return Map.of();
    }
}
