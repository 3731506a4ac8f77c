package dev.cct.sandbox;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a sandbox may connect to, the same on every provider: {@code open} (anywhere, as before), {@code allowlist}
 * (the listed hosts on ports 80 and 443, nothing else by any route) or {@code none} (only what Claude Code itself
 * needs). Each provider compiles it to its own means, or refuses a mode it cannot keep before anything exists.
 *
 * @param mode  the mode
 * @param hosts for allowlist and none: the hosts that may be reached, exact names or {@code *.example.com}
 *              patterns, Claude's API host always among them; empty for open
 */
public record EgressPolicy(Mode mode, List<String> hosts) {
    public enum Mode {
        OPEN, ALLOWLIST, NONE;

        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Claude Code's API, when no ANTHROPIC_BASE_URL names another. */
    public static final String CLAUDE_API_HOST = "api.anthropic.com";

    /** The bundled presets for package registries and code hosts, by name. */
    public static final Map<String, List<String>> PRESETS = Map.of(
            "npm", List.of("registry.npmjs.org", "registry.yarnpkg.com"),
            "pypi", List.of("pypi.org", "files.pythonhosted.org"),
            "github", List.of("github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com",
                    "raw.githubusercontent.com"),
            "maven", List.of("repo.maven.apache.org", "repo1.maven.org"),
            "crates", List.of("crates.io", "index.crates.io", "static.crates.io"),
            "go", List.of("proxy.golang.org", "sum.golang.org"));

    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public EgressPolicy {
        hosts = List.copyOf(hosts);
    }

    public static final EgressPolicy OPEN = new EgressPolicy(Mode.OPEN, List.of());

    /**
     * The policy of the flags. {@code baseUrl} is ANTHROPIC_BASE_URL or null: its host replaces Claude's API host.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static EgressPolicy of(String mode, List<String> allowHosts, List<String> presets, String baseUrl) {
        Mode parsed = parseMode(mode);
        if (parsed == Mode.OPEN) {
            if (!allowHosts.isEmpty() || !presets.isEmpty()) {
                throw new IllegalArgumentException("--allow-host and --allow-preset need --egress allowlist");
            }
            return OPEN;
        }
        if (parsed == Mode.NONE && (!allowHosts.isEmpty() || !presets.isEmpty())) {
            throw new IllegalArgumentException("--egress none allows no host but Claude's API; use --egress allowlist");
        }
        Set<String> hosts = new LinkedHashSet<>();
        hosts.add(claudeHost(baseUrl));
        for (String preset : presets) {
            for (String name : preset.split(",")) {
                String key = name.trim().toLowerCase(Locale.ROOT);
                if (key.isEmpty()) {
                    continue;
                }
                List<String> preset1 = PRESETS.get(key);
                if (preset1 == null) {
                    throw new IllegalArgumentException("unknown --allow-preset '" + name.trim() + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet())) + ")");
                }
                hosts.addAll(preset1);
            }
        }
        for (String given : allowHosts) {
            for (String name : given.split(",")) {
                String host = name.trim().toLowerCase(Locale.ROOT);
                if (host.isEmpty()) {
                    continue;
                }
                if (!HOST.matcher(host).matches() || host.length() > 253) {
                    throw new IllegalArgumentException("invalid --allow-host '" + name.trim()
                            + "' (a host name such as api.example.com or *.example.com, without scheme or port)");
                }
                hosts.add(host);
            }
        }
        return new EgressPolicy(parsed, new ArrayList<>(hosts));
    }

    public static Mode parseMode(String mode) {
        if (mode == null) {
            return Mode.OPEN;
        }
        for (Mode m : Mode.values()) {
            if (m.flag().equals(mode.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("invalid --egress '" + mode + "' (use open, allowlist or none)");
    }

    /** The host Claude Code talks to: ANTHROPIC_BASE_URL's, or Anthropic's API. */
    public static String claudeHost(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return CLAUDE_API_HOST;
        }
        try {
            String host = URI.create(baseUrl.trim()).getHost();
            return host == null ? CLAUDE_API_HOST : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return CLAUDE_API_HOST;
        }
    }

    public boolean open() {
        return mode == Mode.OPEN;
    }

    /** Whether {@code host} is allowed: open allows all; a pattern {@code *.x.com} allows its subdomains. */
    public boolean allows(String host) {
        if (open()) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (String allowed : hosts) {
            if (allowed.startsWith("*.") ? name.endsWith(allowed.substring(1)) : name.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** One line for a plan: "open", or the mode and its hosts. */
    public String describe() {
        return open() ? "open (any host)" : mode.flag() + ": " + String.join(", ", hosts) + " on ports 80 and 443";
    }
}
