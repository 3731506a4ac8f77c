package dev.cct.sandbox.docker;

import dev.cct.core.CctException;
import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The container's limits and image. Limits the user did not give are defaults, which the provider may lower to
 * what the engine has; a limit the user gave is a demand, refused when the engine cannot meet it.
 *
 * @param image   an image of the user's instead of cct's own, or null
 * @param rebuild rebuild cct's image even when it is up to date
 * @param egress  where the sandbox may connect to; anything but open puts a gateway between it and the outside
 * @param relay   the credential the gateway adds to Claude's API calls, or null when the key goes into the sandbox
 */
public record DockerSettings(Limit memory, Limit cpus, Limit pids, String network, String image, boolean rebuild,
                             EgressPolicy egress, CredentialRelay relay) implements ProviderSettings {
    static final String DEFAULT_MEMORY = "4g";
    static final String DEFAULT_CPUS = "2";
    static final String DEFAULT_PIDS = "512";
    static final List<String> NETWORKS = List.of("bridge", "host", "none");
    static final long MIN_MEMORY = 64L * 1024 * 1024;
    static final long MIN_PIDS = 16;

    /**
     * @param text  as the user typed it, or the default
     * @param value in the engine's unit: bytes, nano-CPUs, processes
     * @param given whether the user asked for it
     */
    public record Limit(String text, long value, boolean given) {
    }

    /** Parses the flags; a null flag takes its default. Every bad value is bad input naming the flag. */
    public static DockerSettings parse(String memory, String cpus, String pidsLimit, String network, String image,
                                       boolean rebuild) {
        Limit memoryLimit = new Limit(memory == null ? DEFAULT_MEMORY : memory.strip(),
                memoryBytes(memory == null ? DEFAULT_MEMORY : memory), memory != null);
        Limit cpuLimit = new Limit(cpus == null ? DEFAULT_CPUS : cpus.strip(), nanoCpus(cpus == null ? DEFAULT_CPUS : cpus),
                cpus != null);
        Limit pidLimit = new Limit(pidsLimit == null ? DEFAULT_PIDS : pidsLimit.strip(),
                pids(pidsLimit == null ? DEFAULT_PIDS : pidsLimit), pidsLimit != null);
        if (network != null && !NETWORKS.contains(network)) {
            throw CctException.badInput("invalid --network '" + network + "'", "use bridge, host or none");
        }
        if (image != null && !image.matches("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}")) {
            throw CctException.badInput("invalid --image '" + image + "'", "give an image name such as my-sandbox:1.0");
        }
        return new DockerSettings(memoryLimit, cpuLimit, pidLimit, network, image, rebuild, EgressPolicy.OPEN, null);
    }

    /**
     * These settings with an egress policy and, for the credential kept outside, its relay. A policy other than
     * open decides the network itself, so --network is refused with it.
     */
    public DockerSettings withEgress(EgressPolicy policy, CredentialRelay credential) {
        if (!policy.open() && network != null) {
            throw CctException.badInput("--network " + network + " and --egress " + policy.mode().flag() + " both decide the network",
                    "give only --egress");
        }
        return new DockerSettings(memory, cpus, pids, network, image, rebuild, policy, credential);
    }

    /** Whether a gateway stands between the sandbox and the outside: a policy to keep, or a key to keep out. */
    public boolean gateway() {
        return !egress.open() || relay != null;
    }

    /** No flags given: cct's image and the default limits. */
    public static DockerSettings defaults() {
        return parse(null, null, null, null, null, false);
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.DOCKER;
    }

    /** The network mode the container gets. */
    public String networkMode() {
        return network == null ? "bridge" : network;
    }

    @Override
    public Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        if (image != null) {
            given.put("image", image);
        }
        if (network != null) {
            given.put("network", network);
        }
        if (memory.given()) {
            given.put("memory", memory.text());
        }
        if (cpus.given()) {
            given.put("cpus", cpus.text());
        }
        if (pids.given()) {
            given.put("pids-limit", pids.text());
        }
        if (rebuild) {
            given.put("rebuild", "true");
        }
        if (!egress.open()) {
            given.put("egress", egress.mode().flag());
        }
        if (relay != null) {
            given.put("keys", "outside the sandbox");
        }
        return given;
    }

    DockerSettings withMemory(Limit limit) {
        return new DockerSettings(limit, cpus, pids, network, image, rebuild, egress, relay);
    }

    DockerSettings withCpus(Limit limit) {
        return new DockerSettings(memory, limit, pids, network, image, rebuild, egress, relay);
    }

    static long memoryBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (unit) {
            case 'k' -> multiplier = 1024L;
            case 'm' -> multiplier = 1024L * 1024;
            case 'g' -> multiplier = 1024L * 1024 * 1024;
            default -> { }
        }
        String digits = multiplier == 1 ? t : t.substring(0, t.length() - 1);
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw CctException.badInput("invalid --memory '" + text + "'", "use a size such as 512m or 4g");
        }
        if (bytes < MIN_MEMORY) {
            throw CctException.badInput("--memory " + text + " is too small", "give at least 64m (e.g. 2g)");
        }
        return bytes;
    }

    static long nanoCpus(String text) {
        try {
            double cpus = Double.parseDouble(text.strip());
            if (!(cpus > 0 && cpus <= 1024)) {
                throw new NumberFormatException();
            }
            return (long) (cpus * 1_000_000_000L);
        } catch (NumberFormatException e) {
            throw CctException.badInput("invalid --cpus '" + text + "'", "use a positive number such as 1.5");
        }
    }

    static long pids(String text) {
        try {
            long pids = Long.parseLong(text.strip());
            if (pids < MIN_PIDS) {
                throw new NumberFormatException();
            }
            return pids;
        } catch (NumberFormatException e) {
            throw CctException.badInput("invalid --pids-limit '" + text + "'", "use a whole number of at least 16");
        }
    }
}
