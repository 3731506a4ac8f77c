package dev.cct.ui;

import java.io.PrintWriter;

/**
 * Where cct speaks: results on {@code out}, progress and errors on {@code err}. Colour and animation only when a
 * person is watching a terminal; nothing animated in pipes or CI.
 */
public final class Ui {
    private static final String RESET = "\u001b[0m";
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;
    private final boolean interactive;
    private final boolean quiet;
    private final boolean verbose;

    public Ui(PrintWriter out, PrintWriter err, boolean color, boolean interactive, boolean quiet, boolean verbose) {
        this.out = out;
        this.err = err;
        this.color = color;
        this.interactive = interactive;
        this.quiet = quiet;
        this.verbose = verbose;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean color() {
        return color;
    }

    /** A person at a terminal, not CI: spinners allowed. */
    public boolean interactive() {
        return interactive;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean verbose() {
        return verbose;
    }

    /** A progress or status line on stderr, unless --quiet. */
    public void info(String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    /** Details shown with --verbose only. */
    public void debug(String line) {
        if (verbose) {
            err.println(dim(line));
            err.flush();
        }
    }

    public void warn(String line) {
        err.println(paint("33", "warning: ") + line);
        err.flush();
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String dim(String text) {
        return paint("2", text);
    }

    public String green(String text) {
        return paint("32", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    public String cyan(String text) {
        return paint("36", text);
    }

    public String yellow(String text) {
        return paint("33", text);
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
