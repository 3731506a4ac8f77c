package dev.cct.core;

import java.io.IOException;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * Everything cct writes passes through here on its way to stdout or stderr, whatever the output format, so no
 * secret value reaches a terminal, a pipe or a log. Text is masked a whole line at a time (a secret never holds a
 * newline), so a value written in pieces is still found; a flush masks and passes on what is pending.
 */
public final class MaskingWriter extends Writer {
    private final Writer target;
    private final UnaryOperator<String> mask;
    private final StringBuilder pending = new StringBuilder();

    public MaskingWriter(Writer target, UnaryOperator<String> mask) {
        this.target = target;
        this.mask = mask;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) throws IOException {
        pending.append(chars, offset, length);
        int lastNewline = pending.lastIndexOf("\n");
        if (lastNewline >= 0) {
            target.write(mask.apply(pending.substring(0, lastNewline + 1)));
            pending.delete(0, lastNewline + 1);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!pending.isEmpty()) {
            target.write(mask.apply(pending.toString()));
            pending.setLength(0);
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        target.close();
    }
}
