package dev.cct.run;

import dev.cct.core.ExitCode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Ctrl-C and SIGTERM during a run: the first asks the run to stop Claude, bring back what exists and destroy the
 * sandbox (exit 130); the second cuts any transfer, destroys every sandbox at once, says so and exits 130; later
 * ones change nothing, since the second is already doing all there is to do. A signal ignored when cct started
 * (nohup, a shell's background job) stays ignored.
 */
public final class Signals {
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    /** The threads of the runs under way: one for a single run, one per running run of a batch. */
    private static final Set<Thread> RUN_THREADS = ConcurrentHashMap.newKeySet();
    private static volatile Runnable onFirst = () -> { };
    private static volatile Consumer<String> say = System.err::println;

    private Signals() {
    }

    /**
     * Routes INT and TERM to the runs under way, saying {@code firstSignal} once; harmless where the JVM does not
     * allow it. A single run installs it itself; a batch installs it once for all of its runs.
     */
    public static void install(Runnable firstSignal, Consumer<String> messages) {
        onFirst = firstSignal;
        say = messages;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> received());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Signal in use by the VM (e.g. -Xrs): the shutdown hook still destroys sandboxes.
            }
        }
    }

    /**
     * Where the run would go on to decide how it ends: after a second signal that is the signal's to say (it is
     * destroying the sandbox and will exit 130), so the run waits for it instead of racing it to an exit code.
     */
    static void yieldToSecondSignal() {
        while (RECEIVED.get() >= 2) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Still the signal's to end.
            }
        }
    }

    /** Whether INT or TERM came: a run asked to stop, and a batch that starts no more runs. */
    public static boolean interrupted() {
        return RECEIVED.get() > 0;
    }

    /** The calling thread runs a run until {@link #leave()}: a first signal interrupts it. */
    static void enter() {
        RUN_THREADS.add(Thread.currentThread());
        if (interrupted()) {
            Thread.currentThread().interrupt();
        }
    }

    static void leave() {
        RUN_THREADS.remove(Thread.currentThread());
    }

    private static void received() {
        int count = RECEIVED.incrementAndGet();
        if (count == 1) {
            onFirst.run();
            RUN_THREADS.forEach(Thread::interrupt);
        } else if (count == 2) {
            say.accept("\ncct: interrupted twice: stopping the transfers and destroying every sandbox now");
            CleanupRegistry registry = CleanupRegistry.get();
            registry.abortTransfers();
            // A transfer still waiting for its first byte is not registered yet; interrupting a run's thread
            // closes the channel it waits on (the Docker engine's socket is an interruptible channel).
            RUN_THREADS.forEach(Thread::interrupt);
            int live = registry.size();
            boolean gone = registry.destroyAll();
            say.accept(gone ? "cct: " + (live <= 1 ? "sandbox" : live + " sandboxes") + " destroyed; files were not brought back"
                    : "cct: files were not brought back");
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        }
    }
}
