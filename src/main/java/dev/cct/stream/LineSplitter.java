package dev.cct.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns output chunks into whole lines. Splitting on the byte '\n' is safe in UTF-8 (no multi-byte character
 * contains it), so a character split across chunks is decoded only once its line is complete.
 */
public final class LineSplitter {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> sink;

    public LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    public synchronized void accept(byte[] data, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (data[i] == '\n') {
                pending.write(data, start, i - start);
                emit();
                start = i + 1;
            }
        }
        pending.write(data, start, end - start);
    }

    /** Emits a last line that had no newline. */
    public synchronized void finish() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        sink.accept(line);
    }
}
