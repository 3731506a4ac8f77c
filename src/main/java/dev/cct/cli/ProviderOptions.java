package dev.cct.cli;

import dev.cct.core.CctException;
import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import dev.cct.sandbox.cloudflare.CloudflareSettings;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.sandbox.e2b.E2bSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags of one provider or another, turned into that provider's typed settings while the command line is
 * parsed: a run and its --dry-run refuse exactly the same values.
 */
public final class ProviderOptions {
    @Option(names = "--image", paramLabel = "NAME", description = "docker: use this image instead of building cct's.")
    String image;

    @Option(names = "--rebuild", description = "docker: rebuild cct's image even if it is up to date.")
    boolean rebuild;

    @Option(names = "--template", paramLabel = "NAME", description = "e2b: sandbox template (default: claude).")
    String template;

    @Option(names = "--network", paramLabel = "MODE", description = "docker: bridge (default), host or none.")
    String network;

    @Option(names = "--memory", paramLabel = "SIZE", description = "docker: memory limit (default: 4g).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "docker: CPU limit (default: 2).")
    String cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "docker: process limit (default: 512).")
    String pidsLimit;

    /**
     * Checks, in this order, that no flag belongs to another provider, that each value is valid, and that the keys
     * this provider needs are set; then reads its configuration from them.
     */
    ProviderSettings settings(ProviderKind kind, Secrets secrets) {
        Map<String, Boolean> dockerOnly = new LinkedHashMap<>();
        dockerOnly.put("image", image != null);
        dockerOnly.put("network", network != null);
        dockerOnly.put("memory", memory != null);
        dockerOnly.put("cpus", cpus != null);
        dockerOnly.put("pids-limit", pidsLimit != null);
        dockerOnly.put("rebuild", rebuild);
        if (kind != ProviderKind.DOCKER) {
            dockerOnly.forEach((flag, given) -> {
                if (given) {
                    throw CctException.badInput("--" + flag + " applies to --sandbox docker only", "remove it");
                }
            });
        }
        if (kind != ProviderKind.E2B && template != null) {
            throw CctException.badInput("--template applies to --sandbox e2b only", "remove it, or use --image with docker");
        }
        DockerSettings docker = kind == ProviderKind.DOCKER
                ? DockerSettings.parse(memory, cpus, pidsLimit, network, image, rebuild) : null;
        if (kind == ProviderKind.E2B) {
            E2bSettings.checkTemplate(template);
        }
        checkKeys(kind, secrets);
        return switch (kind) {
            case DOCKER -> docker;
            case E2B -> E2bSettings.parse(template, secrets);
            case CLOUDFLARE -> CloudflareSettings.parse(secrets);
        };
    }

    /** Every run needs an Anthropic credential, and some providers their own keys. */
    static void checkKeys(ProviderKind provider, Secrets secrets) {
        if (!secrets.has(Secrets.ANTHROPIC_API_KEY) && !secrets.has(Secrets.CLAUDE_CODE_OAUTH_TOKEN)) {
            throw CctException.badInput("ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN) is not set",
                    "export it or add it to ./.env");
        }
        for (String name : provider.requiredVariables()) {
            if (!secrets.has(name)) {
                throw CctException.badInput(name + " is not set (needed by --sandbox " + provider.flag() + ")",
                        "export it or add it to ./.env");
            }
        }
    }
}
