package dev.cct.sandbox.e2b;

import java.util.ArrayList;
import java.util.List;

/**
 * The record a command leaves inside the sandbox so that a cut stream loses nothing: its stdout and stderr
 * appended to {@code <name>.out} and {@code <name>.err} while they also stream, and its exit status written to
 * {@code <name>.code} once both are complete. envd forgets a process the moment it exits, so after a late
 * re-attach this record is the only place the missed output and the exit status still exist.
 */
record ExecRecord(String directory, String name) {

    /**
     * Runs {@code "$@"} (the argv, never interpolated into the script) with stdin from /dev/null. {@code tee} writes
     * the same bytes in the same order to the stream and to the file, so what was delivered from the stream is
     * always a prefix of the file. The status goes to a temporary file inside the pipeline and is renamed only
     * after both tees ended, so a present {@code .code} file means complete output files.
     */
    private static final String SCRIPT = String.join("\n",
            "d=%s; n=%s",
            "mkdir -p \"$d\" && : > \"$d/$n.out\" && : > \"$d/$n.err\" || exit 125",
            "rm -f \"$d/$n.code\" \"$d/$n.status\"",
            "exec 4>&2",
            "{ { \"$@\" </dev/null 2>&1 1>&3 3>&- 4>&-; echo $? > \"$d/$n.status\"; }"
                    + " | tee -a \"$d/$n.err\" >&4 3>&- 4>&-; } 3>&1 | tee -a \"$d/$n.out\" 4>&-",
            "c=$(cat \"$d/$n.status\" 2>/dev/null); c=${c:-1}",
            "mv -f \"$d/$n.status\" \"$d/$n.code\" 2>/dev/null",
            "exit \"$c\"");

    ExecRecord {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("record names are plain file names: " + name);
        }
    }

    String stdoutPath() {
        return directory + "/" + name + ".out";
    }

    String stderrPath() {
        return directory + "/" + name + ".err";
    }

    String exitCodePath() {
        return directory + "/" + name + ".code";
    }

    /** Arguments for {@code /bin/bash}: the recording script, then {@code command} as its positional parameters. */
    List<String> bashArgs(List<String> command) {
        List<String> args = new ArrayList<>(List.of("-c", script(), "cct-exec"));
        args.addAll(command);
        return args;
    }

    String script() {
        return String.format(SCRIPT, Shell.quote(directory), name);
    }
}
