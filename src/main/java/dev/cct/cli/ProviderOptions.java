package dev.cct.cli;

import dev.cct.core.CctException;
import dev.cct.core.Secrets;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import dev.cct.sandbox.cloudflare.CloudflareSettings;
import dev.cct.sandbox.docker.CredentialRelay;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.sandbox.e2b.E2bSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--egress", paramLabel = "MODE", description = "Internet access: open (default), allowlist (the --allow-host hosts and Claude's API, on 80/443) or none (Claude's API only).")
    String egress;

    @Option(names = "--allow-host", split = ",", paramLabel = "HOST", description = "With --egress allowlist: a host the sandbox may reach (repeatable; *.example.com allowed).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--allow-preset", split = ",", paramLabel = "NAME", description = "With --egress allowlist: the hosts of npm, pypi, github, maven, crates or go.")
    List<String> allowPresets = new ArrayList<>();

    @Option(names = "--keys-outside", description = "docker: keep the Anthropic credential out of the sandbox, also with --egress open (always so with allowlist and none).")
    boolean keysOutside;

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
        EgressPolicy policy = egressPolicy(secrets);
        if (kind != ProviderKind.DOCKER && keysOutside) {
            throw CctException.badInput("--keys-outside applies to --sandbox docker only", "remove it");
        }
        checkKeys(kind, secrets);
        return switch (kind) {
            case DOCKER -> policy.open() && !keysOutside ? docker : docker.withEgress(policy, relay(secrets));
            case E2B -> E2bSettings.parse(template, secrets).withEgress(policy);
            case CLOUDFLARE -> CloudflareSettings.parse(secrets).withEgress(policy);
        };
    }

    /** The policy of --egress, --allow-host and --allow-preset; Claude's own API host is always allowed. */
    private EgressPolicy egressPolicy(Secrets secrets) {
        try {
            return EgressPolicy.of(egress, allowHosts, allowPresets, secrets.get(Secrets.ANTHROPIC_BASE_URL));
        } catch (IllegalArgumentException e) {
            throw CctException.badInput(e.getMessage(), "see 'cct --help' for --egress, --allow-host and --allow-preset");
        }
    }

    /** The credential the gateway adds upstream: the API key, else the OAuth token. */
    private static CredentialRelay relay(Secrets secrets) {
        String baseUrl = secrets.get(Secrets.ANTHROPIC_BASE_URL);
        try {
            return secrets.has(Secrets.ANTHROPIC_API_KEY) ? CredentialRelay.apiKey(baseUrl, secrets.get(Secrets.ANTHROPIC_API_KEY))
                    : CredentialRelay.oauthToken(baseUrl, secrets.get(Secrets.CLAUDE_CODE_OAUTH_TOKEN));
        } catch (IllegalArgumentException e) {
            throw CctException.badInput(e.getMessage(), "check ANTHROPIC_BASE_URL and the credential, or leave out --keys-outside and --egress");
        }
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
