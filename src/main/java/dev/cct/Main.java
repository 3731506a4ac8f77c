package dev.cct;

import dev.cct.cli.CctCommand;
import dev.cct.core.Environment;
import dev.cct.core.Version;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point. {@link #run} returns the exit code; only {@link #main} exits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && printWithoutStarting(args[0])) {
            return;
        }
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        int code = run(out, err, Environment.system(), isTerminal(), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * --help and --version are the first thing people (and scripts) run: answer them from resources, before
     * the command model exists, so they feel instant.
     */
    private static boolean printWithoutStarting(String arg) {
        if (arg.equals("--version") || arg.equals("-V")) {
            System.out.println(Version.line());
            return true;
        }
        if (arg.equals("--help") || arg.equals("-h")) {
            try (java.io.InputStream help = Main.class.getResourceAsStream("/dev/cct/help.txt")) {
                if (help != null) {
                    System.out.write(help.readAllBytes());
                    System.out.flush();
                    return true;
                }
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Runs cct in-process against the real environment, without a terminal. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Environment.system(), false, args);
    }

    public static int run(PrintWriter out, PrintWriter err, Environment environment, boolean terminal, String... args) {
        return CctCommand.execute(out, err, environment, terminal, args);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** True when both ends are a terminal (Java 22+ reports a console even for pipes, so ask it directly). */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
