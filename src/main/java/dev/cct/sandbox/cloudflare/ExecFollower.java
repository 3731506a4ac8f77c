package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.Sandbox;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.http.RetryPolicy;
import dev.cct.sandbox.http.Sleeper;
import java.time.Duration;

/**
 * Follows one command from its start to its exit across lost streams. The Worker numbers every output, exit and
 * error event ({@code seq}); the follower remembers the last one it delivered and, when a stream is cut, goes
 * silent (no event, not even a heartbeat, for the idle timeout) or ends without an exit, re-attaches with
 * {@code after=<last seq>}. Replayed events it already delivered are dropped, so the listener sees every byte
 * exactly once, in order. Attempts are bounded; any event that arrives resets the count, so a long run survives
 * any number of separate cuts.
 */
final class ExecFollower {
    /** The routes the follower needs, so that it can be tested without HTTP. */
    interface Connection {
        EventStream start();

        EventStream attach(String execId, long after);

        WorkerApi.Status status(String execId) throws SandboxException, InterruptedException;

        /** True once the sandbox was destroyed: nothing to re-attach to. */
        boolean destroyed();
    }

    private final Connection connection;
    private final Duration idleTimeout;
    private final RetryPolicy retries;
    private final Sandbox.OutputListener listener;
    private final String worker;
    private String execId;
    private long lastSeq;
    private int failures;

    ExecFollower(Connection connection, Duration idleTimeout, RetryPolicy retries, Sandbox.OutputListener listener,
                 String worker) {
        this.connection = connection;
        this.worker = worker;
        this.idleTimeout = idleTimeout;
        this.retries = retries;
        this.listener = listener;
    }

    /** Starts the command and follows it; returns its exit code. */
    int run() throws SandboxException, InterruptedException {
        EventStream stream = connection.start();
        try {
            while (true) {
                EventStream.Item item = stream.next(idleTimeout);
                String problem;
                if (item instanceof EventStream.Event event) {
                    Integer exit = handle(event.event());
                    if (exit != null) {
                        return exit;
                    }
                    continue;
                } else if (item == null) {
                    problem = "no event, not even a heartbeat, for " + idleTimeout.toSeconds() + " s";
                } else if (item instanceof EventStream.Ended) {
                    problem = "the stream ended without an exit status";
                } else if (item instanceof EventStream.Cut cut) {
                    problem = CloudflareErrors.reason(cut.cause());
                    if (execId == null && !cut.requestSent()) {
                        // The Worker never saw the request: starting it again cannot run the command twice.
                        stream.close();
                        failed(problem, "could not reach the Worker to start the command");
                        stream = connection.start();
                        continue;
                    }
                } else {
                    WorkerError error = ((EventStream.Refused) item).error();
                    if (execId == null || error.notFound() || !error.serverFault()) {
                        throw CloudflareErrors.refused(execId == null ? "run a command" : "follow the command",
                                error, worker);
                    }
                    problem = error.describe();
                }
                stream.close();
                if (execId == null) {
                    throw new SandboxException("the stream of a new command broke before the Worker named it (" + problem
                            + "); it may be running without cct: the sandbox is destroyed at the end of the run");
                }
                if (connection.destroyed()) {
                    throw new SandboxException("the sandbox was destroyed while the command ran");
                }
                Integer confirmed = failed(problem, "lost the command's event stream");
                if (confirmed != null) {
                    return confirmed;
                }
                stream = connection.attach(execId, lastSeq);
            }
        } finally {
            stream.close();
        }
    }

    /** Delivers an event; returns the exit code when the command ended. */
    private Integer handle(ExecEvent event) throws SandboxException {
        if (event instanceof ExecEvent.Start start) {
            if (execId == null) {
                execId = start.execId();
            }
            failures = 0;
        } else if (event instanceof ExecEvent.Output output) {
            failures = 0;
            if (output.seq() > lastSeq) {
                lastSeq = output.seq();
                byte[] data = output.data();
                if (output.stderr()) {
                    listener.stderr(data, 0, data.length);
                } else {
                    listener.stdout(data, 0, data.length);
                }
            }
        } else if (event instanceof ExecEvent.Exit exit) {
            return exit.exitCode();
        } else if (event instanceof ExecEvent.Failure failure) {
            throw CloudflareErrors.execFailed(failure);
        }
        // Heartbeats only restart the idle clock; unknown kinds (a newer Worker's) are skipped.
        return null;
    }

    /**
     * Counts one lost stream and waits before the next try. When the tries are used up, asks the Worker how the
     * command ended: an exit code it confirms is returned (output after the last delivered event may be missing);
     * otherwise the command is lost.
     */
    private Integer failed(String problem, String giveUp) throws SandboxException, InterruptedException {
        failures++;
        if (failures < retries.maxAttempts()) {
            Sleeper.REAL.sleep(retries.backoff(failures));
            return null;
        }
        if (execId != null) {
            WorkerApi.Status status = connection.status(execId);
            if (!status.running() && status.exitCode() != null) {
                return status.exitCode();
            }
        }
        throw new SandboxException(giveUp + " (" + failures + " tries; last: " + problem + ")");
    }
}
