package dev.cct.ui;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The last line on a terminal while Claude or one of its tools works: redrawn in place with a spinner and the
 * time it has taken, so a long command never looks like a frozen screen. A tool's line stays once the next thing
 * happens (with how long it took); the "thinking" line is wiped. Without a terminal, or in CI, tool lines are
 * printed once and nothing moves.
 */
public final class ActivityLine {
    private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private final Ui ui;
    private final LongSupplier clock;
    private String line;
    private boolean keep;
    private long since;
    private Thread ticker;

    /** With the system clock and a ticker thread that redraws four times a second, on a terminal only. */
    public static ActivityLine live(Ui ui) {
        ActivityLine activity = new ActivityLine(ui, System::nanoTime);
        if (ui.interactive() && !ui.quiet()) {
            activity.startTicker();
        }
        return activity;
    }

    /** For tests: time comes from {@code clock} and redraws happen only when {@link #tick()} is called. */
    public ActivityLine(Ui ui, LongSupplier clock) {
        this.ui = ui;
        this.clock = clock;
    }

    /** A tool started: its line is shown now and kept. */
    public synchronized void tool(String text) {
        settle();
        if (!ui.interactive()) {
            ui.info(text);
            return;
        }
        show(text, true);
    }

    /** Claude is thinking: a transient line, on a terminal only. */
    public synchronized void thinking() {
        settle();
        if (ui.interactive()) {
            show(ui.dim("  Claude is thinking"), false);
        }
    }

    /** Redraws the current line with the time taken so far. */
    public synchronized void tick() {
        if (line != null) {
            draw(false);
        }
    }

    /** Before anything else is printed: a tool line is finished with its time, a thinking line wiped. */
    public synchronized void settle() {
        if (line == null) {
            return;
        }
        if (keep) {
            draw(true);
        } else {
            write("\r\u001b[2K");
        }
        line = null;
    }

    /** Ends the ticker; the current line is settled. */
    public synchronized void close() {
        settle();
        if (ticker != null) {
            ticker.interrupt();
            ticker = null;
        }
    }

    private void show(String text, boolean keepIt) {
        line = text;
        keep = keepIt;
        since = clock.getAsLong();
        draw(false);
    }

    private void draw(boolean last) {
        long elapsed = clock.getAsLong() - since;
        String suffix = "";
        if (elapsed >= SHOW_AFTER_NANOS) {
            String time = elapsedText(elapsed);
            suffix = last ? ui.dim("  (" + time + ")") : ui.dim("  " + FRAMES[(int) (elapsed / 100_000_000L % FRAMES.length)] + " " + time);
        }
        if (ui.quiet()) {
            return;
        }
        write("\r\u001b[2K" + line + suffix + (last ? "\n" : ""));
    }

    private void write(String text) {
        synchronized (ui.err()) {
            ui.err().print(text);
            ui.err().flush();
        }
    }

    static String elapsedText(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        return seconds < 60 ? seconds + "s" : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    private void startTicker() {
        ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(250);
                    tick();
                }
            } catch (InterruptedException e) {
                // Closed.
            }
        }, "cct-activity");
        ticker.setDaemon(true);
        ticker.start();
    }
}
