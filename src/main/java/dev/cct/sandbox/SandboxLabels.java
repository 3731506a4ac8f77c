package dev.cct.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What cct writes on everything it creates: a session id, and the owner process (host, pid, start time), so a
 * later run can tell a sandbox whose owner died (an orphan to reap) from one still in use.
 */
public record SandboxLabels(String session, String host, long pid, long processStart, Map<String, String> extra) {
    public static final String PREFIX = "dev.cct.";
    public static final String SESSION = PREFIX + "session";
    public static final String OWNER = PREFIX + "owner";
    /** The batch a sandbox's run belongs to, so that a batch's sandboxes can be listed and cleaned together. */
    public static final String BATCH = PREFIX + "batch";

    public SandboxLabels {
        extra = Map.copyOf(extra);
    }

    public SandboxLabels(String session, String host, long pid, long processStart) {
        this(session, host, pid, processStart, Map.of());
    }

    /** These labels and {@code more} (names in cct's own prefix, such as {@link #BATCH}). */
    public SandboxLabels with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(extra);
        all.putAll(more);
        return new SandboxLabels(session, host, pid, processStart, all);
    }

    public static SandboxLabels forThisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new SandboxLabels(UUID.randomUUID().toString(), hostName(), self.pid(), startOf(self));
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SESSION, session);
        map.put(OWNER, host + ":" + pid + ":" + processStart);
        map.putAll(extra);
        return map;
    }

    public static Optional<SandboxLabels> from(Map<String, String> labels) {
        String session = labels.get(SESSION);
        String owner = labels.get(OWNER);
        if (session == null || owner == null) {
            return Optional.empty();
        }
        String[] parts = owner.split(":");
        try {
            String batch = labels.get(BATCH);
            return Optional.of(new SandboxLabels(session, parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    batch == null ? Map.of() : Map.of(BATCH, batch)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when the owner runs on this host and is no longer alive (or its pid was reused by another process). */
    public boolean ownerIsGone() {
        if (!host.equals(hostName())) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isEmpty() || !process.get().isAlive() || startOf(process.get()) != processStart;
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L) / 1000;
    }

    public static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "localhost";
            }
        }
        return name.replace(':', '_');
    }
}
