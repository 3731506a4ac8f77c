package dev.cct.sandbox;

/**
 * Ending a command and everything it started, in any Linux sandbox: the command's processes carry a mark (a
 * {@code NAME=value} variable, which every child inherits), and a shell function finds them through {@code /proc}.
 * Used by a provider that kills at an exec's timeout and by the run that stops Claude.
 */
public final class MarkedProcesses {
    /**
     * Defines {@code signal_marked SIGNAL NAME=VALUE}: sends SIGNAL to every process whose environment holds exactly
     * that variable, and succeeds when it found one. A process just killed is a zombie with an empty environment, so
     * calling it again until it fails ends the processes forked between two scans too.
     */
    public static final String SIGNAL_FUNCTION = "signal_marked() { found=; for d in /proc/[0-9]*; do "
            + "if tr '\\0' '\\n' < \"$d/environ\" 2>/dev/null | grep -qxF \"$2\"; then kill -\"$1\" \"${d#/proc/}\" 2>/dev/null; found=1; fi; "
            + "done; [ -n \"$found\" ]; }; ";

    private MarkedProcesses() {
    }
}
