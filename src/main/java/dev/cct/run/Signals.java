package dev.cct.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C and SIGTERM during a run: the first asks the run to stop Claude, bring back what exists and destroy the
 * sandbox (exit 130); the second destroys every sandbox at once and exits.
 */
final class Signals {
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile Thread runThread;
    private static volatile Runnable onFirst = () -> { };

    private Signals() {
    }

    /** Routes INT and TERM to the current run; harmless where the JVM does not allow it. */
    static void install(Thread thread, Runnable firstSignal) {
        runThread = thread;
        onFirst = firstSignal;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> received());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Signal in use by the VM (e.g. -Xrs): the shutdown hook still destroys sandboxes.
            }
        }
    }

    static boolean interrupted() {
        return RECEIVED.get() > 0;
    }

    private static void received() {
        if (RECEIVED.incrementAndGet() == 1) {
            onFirst.run();
            Thread thread = runThread;
            if (thread != null) {
                thread.interrupt();
            }
        } else {
            CleanupRegistry.get().destroyAll();
            System.err.println("\ncct: interrupted twice: sandbox destroyed without bringing files back");
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        }
    }
}
