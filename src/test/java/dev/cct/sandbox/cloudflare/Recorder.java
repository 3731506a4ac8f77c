package dev.cct.sandbox.cloudflare;

import dev.cct.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects what a command printed, and when the first byte came. */
final class Recorder implements Sandbox.OutputListener {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private volatile long firstOutputNanos;

    @Override
    public synchronized void stdout(byte[] data, int offset, int length) {
        mark();
        out.write(data, offset, length);
    }

    @Override
    public synchronized void stderr(byte[] data, int offset, int length) {
        mark();
        err.write(data, offset, length);
    }

    private void mark() {
        if (firstOutputNanos == 0) {
            firstOutputNanos = System.nanoTime();
        }
    }

    long firstOutputNanos() {
        return firstOutputNanos;
    }

    synchronized String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
