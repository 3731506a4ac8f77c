package dev.cct.run;

import dev.cct.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every sandbox is registered here the moment it exists, and destroyed by whichever comes first: the run's own
 * cleanup, a second Ctrl-C, or the JVM's shutdown hook (SIGTERM, SIGHUP, System.exit).
 */
public final class CleanupRegistry {
    private static final CleanupRegistry INSTANCE = new CleanupRegistry();
    private final Set<Sandbox> live = ConcurrentHashMap.newKeySet();
    private volatile boolean hookInstalled;

    private CleanupRegistry() {
    }

    public static CleanupRegistry get() {
        return INSTANCE;
    }

    public void register(Sandbox sandbox) {
        installHook();
        live.add(sandbox);
    }

    /** Destroys and forgets one sandbox. */
    public void destroy(Sandbox sandbox) {
        try {
            sandbox.close();
        } finally {
            live.remove(sandbox);
        }
    }

    /** Destroys every registered sandbox; failures of one do not stop the others. Returns what failed. */
    public List<String> destroyAll() {
        List<String> failures = new ArrayList<>();
        for (Sandbox sandbox : List.copyOf(live)) {
            try {
                destroy(sandbox);
            } catch (RuntimeException e) {
                failures.add(sandbox.id() + ": " + e.getMessage());
            }
        }
        return failures;
    }

    public int size() {
        return live.size();
    }

    private synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::destroyAll, "cct-cleanup"));
            hookInstalled = true;
        }
    }
}
