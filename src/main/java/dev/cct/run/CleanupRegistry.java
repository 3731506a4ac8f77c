package dev.cct.run;

import dev.cct.sandbox.Sandbox;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every sandbox is registered here the moment it exists, and destroyed by whichever comes first: the run's own
 * cleanup, a second Ctrl-C, or the JVM's shutdown hook (SIGTERM, SIGHUP, System.exit). Whoever asks second waits
 * for the first to finish, so "destroyed" is never said, and cct never exits, while a sandbox still stands.
 * Transfers in flight are registered too, so that a second Ctrl-C can cut them: an engine may hold a removal until
 * the archive stream it is sending has ended.
 */
public final class CleanupRegistry {
    private static final CleanupRegistry INSTANCE = new CleanupRegistry();
    private final Set<Sandbox> live = ConcurrentHashMap.newKeySet();
    private final Map<Sandbox, CompletableFuture<Void>> destroying = new ConcurrentHashMap<>();
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

    /** Destroys and forgets one sandbox; returns once it is gone, even when another thread is destroying it. */
    public void destroy(Sandbox sandbox) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> first = destroying.putIfAbsent(sandbox, mine);
        if (first != null) {
            try {
                first.join();
                return;
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            sandbox.close();
            live.remove(sandbox);
            mine.complete(null);
        } catch (RuntimeException e) {
            // A later call may try again (e.g. the shutdown hook after a failed run cleanup).
            destroying.remove(sandbox, mine);
            mine.completeExceptionally(e);
            throw e;
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
