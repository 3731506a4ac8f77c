package dev.cct.testing.cloudflare;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Faults the {@link FakeWorker} injects, each used once, in the order they were added. Stream faults apply to the
 * next exec event streams opened (the starting POST or a re-attach); the command itself keeps running, which is
 * exactly the situation a client must survive.
 */
public final class Faults {
    /** What happens to a stream once it has carried {@code afterEvents} events (heartbeats not counted). */
    public enum StreamFault {
        /** Half an event, then the connection is dropped without ending the chunked body. */
        CUT,
        /** The stream ends cleanly, without an exit or error event. */
        END,
        /** Nothing more is sent, not even heartbeats, until the client gives up. */
        STALL
    }

    record Planned(StreamFault fault, int afterEvents) {
    }

    record Refusal(String method, int status) {
    }

    private final Deque<Planned> streams = new ArrayDeque<>();
    private final Deque<Refusal> refusals = new ArrayDeque<>();

    /** The next stream drops its connection after {@code events} events, mid-event. */
    public synchronized Faults cutNextStreamAfter(int events) {
        streams.add(new Planned(StreamFault.CUT, events));
        return this;
    }

    /** The next stream ends cleanly after {@code events} events, without saying how the command ended. */
    public synchronized Faults endNextStreamAfter(int events) {
        streams.add(new Planned(StreamFault.END, events));
        return this;
    }

    /** The next stream goes silent (no heartbeats either) after {@code events} events. */
    public synchronized Faults stallNextStreamAfter(int events) {
        streams.add(new Planned(StreamFault.STALL, events));
        return this;
    }

    /** The next {@code times} calls with {@code method} (event streams excepted) are answered with {@code status}. */
    public synchronized Faults refuseNext(String method, int times, int status) {
        for (int i = 0; i < times; i++) {
            refusals.add(new Refusal(method, status));
        }
        return this;
    }

    synchronized Planned nextStreamFault() {
        return streams.poll();
    }

    synchronized Integer nextRefusal(String method) {
        Refusal next = refusals.peek();
        if (next != null && next.method().equalsIgnoreCase(method)) {
            refusals.poll();
            return next.status();
        }
        return null;
    }

    public synchronized boolean allUsed() {
        return streams.isEmpty() && refusals.isEmpty();
    }
}
