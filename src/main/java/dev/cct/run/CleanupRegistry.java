package dev.cct.run;

import dev.cct.sandbox.Sandbox;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every sandbox is registered here the moment it exists, and destroyed by whichever comes first: the run's own
 * cleanup, a second Ctrl-C, or the JVM's shutdown hook (SIGTERM, SIGHUP, System.exit). Whoever asks second waits
 * for the first to finish ({@link Sandbox#close()} promises it), so cct never exits while a destroy is under way.
 * Transfers in flight are registered too, so that a second Ctrl-C can cut them: an engine may hold a removal until
 * the archive stream it is sending has ended.
 */
public final class CleanupRegistry {
    private static final CleanupRegistry INSTANCE = new CleanupRegistry();
    private final Set<Sandbox> live = ConcurrentHashMap.newKeySet();
    private final Set<Closeable> transfers = ConcurrentHashMap.newKeySet();
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

    /** A transfer in flight, until the returned handle is closed. */
    public Transfer transfer(Closeable stream) {
        transfers.add(stream);
        return () -> transfers.remove(stream);
    }

    /** Handle of a registered transfer; closing it only forgets the transfer. */
    public interface Transfer extends AutoCloseable {
        @Override
        void close();
    }

    /** Cuts every transfer in flight; whoever was reading or writing it sees a broken stream. */
    public void abortTransfers() {
        for (Closeable stream : List.copyOf(transfers)) {
            try {
                stream.close();
            } catch (IOException | RuntimeException ignored) {
                // Broken already: that is the point.
            } finally {
                transfers.remove(stream);
            }
        }
    }

    /**
     * Destroys and forgets one sandbox; returns once it is gone, even when another thread is destroying it. A failed
     * destroy has been reported by the sandbox itself, through the run's progress.
     *
     * @return whether the sandbox is gone
     */
    public boolean destroy(Sandbox sandbox) {
        sandbox.close();
        live.remove(sandbox);
        return sandbox.destroyed();
    }

    /**
     * Destroys every registered sandbox; a failure of one (reported by it) does not stop the others.
     *
     * @return whether every one is gone
     */
    public boolean destroyAll() {
        boolean all = true;
        for (Sandbox sandbox : List.copyOf(live)) {
            all &= destroy(sandbox);
        }
        return all;
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
