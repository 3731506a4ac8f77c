package dev.cct.run;

import dev.cct.core.ExitCode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Ctrl-C and SIGTERM during a run: the first asks the run to stop Claude, bring back what exists and destroy the
 * sandbox (exit 130); the second cuts any transfer, destroys every sandbox at once, says so and exits 130; later
 * ones change nothing, since the second is already doing all there is to do. A signal ignored when cct started
 * (nohup, a shell's background job) stays ignored.
 */
final class Signals {
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static volatile Thread runThread;
    private static volatile Runnable onFirst = () -> { };
    private static volatile Consumer<String> say = System.err::println;

    private Signals() {
    }

    /** Routes INT and TERM to the current run; harmless where the JVM does not allow it. */
    static void install(Thread thread, Runnable firstSignal, Consumer<String> messages) {
        runThread = thread;
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

    static boolean interrupted() {
        return RECEIVED.get() > 0;
    }

    private static void received() {
        int count = RECEIVED.incrementAndGet();
        if (count == 1) {
            onFirst.run();
            Thread thread = runThread;
            if (thread != null) {
                thread.interrupt();
            }
        } else if (count == 2) {
            say.accept("\ncct: interrupted twice: stopping the transfer and destroying the sandbox now");
            CleanupRegistry registry = CleanupRegistry.get();
            registry.abortTransfers();
            // A transfer still waiting for its first byte is not registered yet; interrupting the run's thread
            // closes the channel it waits on (the Docker engine's socket is an interruptible channel).
            Thread thread = runThread;
            if (thread != null) {
                thread.interrupt();
            }
            boolean gone = registry.destroyAll();
            say.accept(gone ? "cct: sandbox destroyed; files were not brought back" : "cct: files were not brought back");
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        }
    }
}
