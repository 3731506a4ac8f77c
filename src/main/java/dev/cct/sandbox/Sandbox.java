package dev.cct.sandbox;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running sandbox, as the orchestrator sees it: a handful of primitives and nothing about Claude. This Javadoc is
 * the contract every provider implements, and one abstract test ({@code SandboxContract}, with a subclass per
 * provider) checks it for each of them.
 *
 * <ul>
 *   <li>Files travel as tar streams, one transfer each way: {@link #upload} and {@link #download} keep every entry,
 *       byte for byte, binary, hidden, empty files and nested folders included.</li>
 *   <li>{@link #exec} runs an argv (never a shell string with user data in it) and streams stdout and stderr apart,
 *       as they come; it returns the command's exit code, or {@link #TIMED_OUT} when the command's timeout killed it.
 *       A command that ran and failed is an exit code, not an exception.</li>
 *   <li>Several commands may run at once: the orchestrator stops Claude with a command of its own while Claude's
 *       exec is still being followed on another thread.</li>
 *   <li>{@link #close()} destroys the sandbox: once, from any thread, never throwing. Afterwards every operation
 *       fails with {@link SandboxException} at once.</li>
 *   <li>Whatever the provider cannot do (engine down, API refused, sandbox gone) is a {@link SandboxException}.</li>
 * </ul>
 */
public interface Sandbox extends AutoCloseable {

    /** What {@link #exec} returns for a command its timeout killed: 124, as coreutils {@code timeout} does. */
    int TIMED_OUT = 124;

    /** The provider's id of this sandbox (container id, E2B sandbox id...), as {@link SandboxProvider#list()} shows it. */
    String id();

    /** The home folder of the user commands run as; it exists, and the workspace lives under it. */
    String home();

    /** Numeric owner that uploaded files should carry, when the provider keeps tar ownership; null otherwise. */
    default Owner owner() {
        return null;
    }

    /**
     * Writes a tar stream's entries under {@code destination}, an existing folder such as {@link #home()}, in one
     * transfer: files keep their bytes and executable bit, folders are created as the entries name them.
     */
    void upload(InputStream tar, String destination) throws SandboxException;

    /**
     * Runs {@code spec.command()} as the user {@link #home()} belongs to, in {@code spec.workingDirectory()}, with
     * {@code spec.environment()} added to the sandbox's own variables, and hands its output to {@code listener} as it
     * comes: what the command writes to stdout to {@link OutputListener#stdout}, what it writes to stderr to
     * {@link OutputListener#stderr}, each in order. Returns once the command has ended and all its output has been
     * delivered.
     *
     * <p>When {@code spec.timeout()} passes before the command ends, the provider kills the command and every process
     * it started, and returns {@link #TIMED_OUT} within a few seconds of the timeout; the output written before the
     * kill has been delivered.
     *
     * <p>An interrupt of the calling thread ends the wait with {@link InterruptedException}; the command itself goes
     * on until it ends, its timeout kills it, another command stops it or the sandbox is closed.
     *
     * @return the command's exit code, or {@link #TIMED_OUT}
     * @throws SandboxException the command could not be started or followed (it may still be running), or the
     *                          sandbox was closed before or while it ran
     */
    int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException;

    /**
     * Reads the tree under {@code directory} as one tar stream whose entry names are relative to that folder (with
     * or without a leading {@code ./}); the caller closes it. Entries matching {@code excludeNames} (folder names
     * such as node_modules) may be left out by the provider.
     *
     * @throws SandboxException also when {@code directory} does not exist
     */
    InputStream download(String directory, List<String> excludeNames) throws SandboxException;

    /**
     * Destroys the sandbox and everything running in it. Idempotent, and safe from any thread, a signal handler or
     * a shutdown hook included, also from two at once: the destroy happens once, and a call that comes while another
     * is under way returns when that one has ended. A thread's interrupt does not keep the destroy from going out.
     * Once close has returned, {@link SandboxProvider#list()} no longer shows the sandbox, unless the destroy failed.
     *
     * <p>Never throws. When the provider's destroy call fails, that is reported once, as one line that names the
     * sandbox id and says to run 'cct sandboxes clean', through {@link dev.cct.core.Progress#notice} of the Progress
     * the sandbox was created with (the run prints it through its secret-masking UI); nothing else is printed.
     *
     * <p>From the moment close begins, {@link #upload}, {@link #exec} and {@link #download} fail with
     * {@link SandboxException} instead of waiting on a sandbox that is going away, and a command still running when
     * the sandbox goes ends its exec with {@link SandboxException}.
     */
    @Override
    void close();

    /**
     * Whether {@link #close()} destroyed the sandbox: false while it is open and after a destroy that failed (which
     * close() reported), so that cct never says "destroyed" of a sandbox that still stands.
     */
    default boolean destroyed() {
        return true;
    }

    /**
     * True when the sandbox reaches Claude's API through a relay outside it that adds the credential: the run then
     * gives Claude no key at all, and the sandbox's own environment points Claude at the relay.
     */
    default boolean credentialsOutside() {
        return false;
    }

    /** Connections the sandbox's egress policy refused, by target ("evil.example:443"), most first; empty if none. */
    default List<Blocked> blocked() {
        return List.of();
    }

    /** {@code count} refused connections to {@code target} ("host:port"). */
    record Blocked(String target, int count) {
    }

    record Owner(int uid, int gid) {
    }

    /**
     * What to run.
     *
     * @param command          the program and its arguments, each passed on as it is
     * @param environment      variables for this command only, added to the sandbox's own; secrets travel here,
     *                         never in {@code command}
     * @param workingDirectory an existing absolute folder in the sandbox; null for the provider's default
     * @param timeout          how long the command may run before it is killed and exec returns {@link #TIMED_OUT};
     *                         null for no limit
     */
    record ExecSpec(List<String> command, Map<String, String> environment, String workingDirectory, Duration timeout) {
    }

    /**
     * Receives output chunks as they arrive; bytes may split UTF-8 characters and lines anywhere. Called from a
     * thread of the provider's, not necessarily the one that called exec, and never for two chunks at once.
     */
    interface OutputListener {
        void stdout(byte[] data, int offset, int length);

        void stderr(byte[] data, int offset, int length);
    }
}
