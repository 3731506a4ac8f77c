package dev.cct.sandbox;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running sandbox, as the orchestrator sees it: a handful of primitives and nothing about Claude. Every
 * implementation must make {@link #close()} idempotent and safe to call from any thread, including a signal
 * handler, because cleanup may race with the run it cleans up after.
 */
public interface Sandbox extends AutoCloseable {

    /** The provider's id of this sandbox (container id, E2B sandbox id...). */
    String id();

    /** The home folder of the user commands run as; the workspace lives under it. */
    String home();

    /** Numeric owner that uploaded files should carry, when the provider keeps tar ownership; null otherwise. */
    default Owner owner() {
        return null;
    }

    /** Writes a tar stream's entries under {@code destination}, in one transfer. */
    void upload(InputStream tar, String destination) throws SandboxException;

    /**
     * Runs a command and streams its output as it comes.
     *
     * @return the process's exit code
     */
    int exec(ExecSpec spec, OutputListener listener) throws SandboxException, InterruptedException;

    /**
     * Reads the tree under {@code directory} as one tar stream whose entry names are relative to that folder.
     * Entries matching {@code excludes} (folder names such as node_modules) may be left out by the provider.
     */
    InputStream download(String directory, List<String> excludeNames) throws SandboxException;

    /** Destroys the sandbox. Idempotent. */
    @Override
    void close();

    record Owner(int uid, int gid) {
    }

    /** What to run: argv (never a shell string with user data in it), environment, folder and user. */
    record ExecSpec(List<String> command, Map<String, String> environment, String workingDirectory, Duration timeout) {
    }

    /** Receives output chunks as they arrive; bytes may split UTF-8 characters and lines anywhere. */
    interface OutputListener {
        void stdout(byte[] data, int offset, int length);

        void stderr(byte[] data, int offset, int length);
    }
}
