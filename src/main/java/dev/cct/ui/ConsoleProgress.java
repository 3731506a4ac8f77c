package dev.cct.ui;

import dev.cct.core.Progress;

/**
 * Progress of slow steps. At a terminal: a spinner line redrawn in place. Elsewhere (pipes, CI): one line when a
 * step starts and one when it ends, nothing animated.
 */
public final class ConsoleProgress implements Progress {
    private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private final Ui ui;
    private volatile String step;
    private volatile String detail = "";
    private long startedAt;
    private Thread spinner;

    public ConsoleProgress(Ui ui) {
        this.ui = ui;
    }

    @Override
    public synchronized void start(String step) {
        stopSpinner();
        this.step = step;
        this.detail = "";
        this.startedAt = System.nanoTime();
        if (ui.quiet()) {
            return;
        }
        if (!ui.interactive()) {
            ui.info(step + "...");
            return;
        }
        startSpinner();
    }

    @Override
    public void update(String detail) {
        this.detail = detail;
        if (!ui.interactive()) {
            ui.debug("  " + detail);
        }
    }

    @Override
    public synchronized void done(String summary) {
        stopSpinner();
        long took = (System.nanoTime() - startedAt) / 1_000_000;
        boolean timed = step != null;
        step = null;
        if (!ui.quiet()) {
            ui.info(ui.green("✓ ") + summary + (timed ? ui.dim(String.format(java.util.Locale.ROOT, " (%.1fs)", took / 1000.0)) : ""));
        }
    }

    @Override
    public synchronized void notice(String message) {
        boolean spinning = spinner != null;
        stopSpinner();
        ui.warn(message);
        if (spinning && step != null && ui.interactive() && !ui.quiet()) {
            startSpinner();
        }
    }

    private void startSpinner() {
        spinner = new Thread(this::spin, "cct-progress");
        spinner.setDaemon(true);
        spinner.start();
    }

    /** Clears the spinner line before other output is printed. */
    public synchronized void pause() {
        stopSpinner();
    }

    private void spin() {
        int frame = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                String line = FRAMES[frame++ % FRAMES.length] + " " + step + (detail.isEmpty() ? "" : ui.dim("  " + detail));
                synchronized (ui.err()) {
                    ui.err().print("\r\u001b[2K" + line);
                    ui.err().flush();
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            // Stopped.
        } finally {
            synchronized (ui.err()) {
                ui.err().print("\r\u001b[2K");
                ui.err().flush();
            }
        }
    }

    private void stopSpinner() {
        if (spinner != null) {
            spinner.interrupt();
            try {
                spinner.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spinner = null;
        }
    }
}
