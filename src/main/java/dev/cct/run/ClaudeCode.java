package dev.cct.run;

/** The Claude Code CLI that cct runs in every sandbox. */
public final class ClaudeCode {
    /**
     * The exact version installed where a sandbox lacks it; the same pin as the Docker image's
     * {@code CLAUDE_CODE_VERSION} (a test keeps the two equal), so every provider runs the same CLI.
     */
    public static final String VERSION = "2.1.331";

    private ClaudeCode() {
    }
}
