package dev.cct.sandbox;

import dev.cct.core.Secrets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The sandbox providers, with the variables each needs before anything may start. */
public enum ProviderKind {
    DOCKER("docker", List.of()),
    E2B("e2b", List.of(Secrets.E2B_API_KEY)),
    CLOUDFLARE("cloudflare", List.of(Secrets.CLOUDFLARE_SANDBOX_URL, Secrets.CLOUDFLARE_SANDBOX_TOKEN));

    private final String flag;
    private final List<String> requiredVariables;

    ProviderKind(String flag, List<String> requiredVariables) {
        this.flag = flag;
        this.requiredVariables = requiredVariables;
    }

    public String flag() {
        return flag;
    }

    /** Variables this provider needs besides the Anthropic credential every run needs. */
    public List<String> requiredVariables() {
        return requiredVariables;
    }

    public static Optional<ProviderKind> parse(String text) {
        for (ProviderKind kind : values()) {
            if (kind.flag.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return "docker, e2b, cloudflare";
    }
}
