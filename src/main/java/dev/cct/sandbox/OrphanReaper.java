package dev.cct.sandbox;

import dev.cct.sandbox.SandboxProvider.SandboxInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place that removes what dead cct runs left behind (killed with SIGKILL, a crashed machine), for every
 * provider: each run reaps beside its own work, and {@code cct sandboxes clean} reaps on demand. A sandbox is an
 * orphan when the cct process named in its labels is gone.
 */
public final class OrphanReaper {
    private static final long SUMMARY_WAIT_SECONDS = 10;
    private final CompletableFuture<Result> result;

    private OrphanReaper(CompletableFuture<Result> result) {
        this.result = result;
    }

    /**
     * What one pass removed, what it kept because its run still goes, and what it could not remove.
     */
    public record Result(List<SandboxInfo> removed, List<SandboxInfo> kept, List<Failure> failed) {
    }

    /** A sandbox that could not be removed, and why. */
    public record Failure(SandboxInfo sandbox, String reason) {
    }

    /** Removes every sandbox of {@code provider} whose owner is gone. */
    public static Result reap(SandboxProvider provider) throws SandboxException {
        return reap(provider, false);
    }

    /**
     * Removes the sandboxes of {@code provider} whose owner is gone, or with {@code everyOne} all of cct's, even
     * those of runs still going.
     */
    public static Result reap(SandboxProvider provider, boolean everyOne) throws SandboxException {
        List<SandboxInfo> removed = new ArrayList<>();
        List<SandboxInfo> kept = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (SandboxInfo info : provider.list()) {
            if (!everyOne && !info.labels().ownerIsGone()) {
                kept.add(info);
                continue;
            }
            try {
                provider.remove(info.id());
                removed.add(info);
            } catch (SandboxException e) {
                failed.add(new Failure(info, e.getMessage()));
            }
        }
        return new Result(removed, kept, failed);
    }

    /** A pass beside the run: reaping is a courtesy and must neither delay nor fail the run. */
    public static OrphanReaper inBackground(SandboxProvider provider) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(reap(provider));
            } catch (SandboxException | RuntimeException e) {
                result.complete(new Result(List.of(), List.of(), List.of()));
            }
        }, "cct-reaper");
        thread.setDaemon(true);
        thread.start();
        return new OrphanReaper(result);
    }

    /** One line for the user when the pass removed something; waits a little for a pass still going. */
    public Optional<String> summary() {
        try {
            Result done = result.get(SUMMARY_WAIT_SECONDS, TimeUnit.SECONDS);
            int n = done.removed().size();
            return n == 0 ? Optional.empty()
                    : Optional.of("removed " + n + (n == 1 ? " sandbox" : " sandboxes") + " left by an earlier run that is gone");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }
}
