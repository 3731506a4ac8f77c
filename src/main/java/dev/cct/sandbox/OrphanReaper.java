package dev.cct.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place that removes what dead cct runs left behind (killed with SIGKILL, a crashed machine), for every
 * provider: each run reaps beside its own work. A sandbox is an orphan when the cct process named in its labels is
 * gone. ({@code cct sandboxes clean} still walks its own list, since it also reports the sandboxes it keeps.)
 */
public final class OrphanReaper {
    private static final long SUMMARY_WAIT_SECONDS = 10;
    private final CompletableFuture<Result> result;

    private OrphanReaper(CompletableFuture<Result> result) {
        this.result = result;
    }

    /** What one pass removed, and what it could not remove (each as "id: reason"). */
    public record Result(List<String> removed, List<String> failed) {
    }

    /** Removes every sandbox of {@code provider} whose owner is gone. */
    public static Result reap(SandboxProvider provider) throws SandboxException {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (SandboxProvider.SandboxInfo info : provider.list()) {
            if (!info.labels().ownerIsGone()) {
                continue;
            }
            try {
                provider.remove(info.id());
                removed.add(info.id());
            } catch (SandboxException e) {
                failed.add(info.id() + ": " + e.getMessage());
            }
        }
        return new Result(removed, failed);
    }

    /** A pass beside the run: reaping is a courtesy and must neither delay nor fail the run. */
    public static OrphanReaper inBackground(SandboxProvider provider) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(reap(provider));
            } catch (SandboxException | RuntimeException e) {
                result.complete(new Result(List.of(), List.of()));
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
