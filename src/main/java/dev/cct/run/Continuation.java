package dev.cct.run;

import java.nio.file.Path;

/**
 * The earlier run a run continues: its final workspace becomes the new workspace, and Claude resumes its session.
 *
 * @param runId     the earlier run's id
 * @param workspace the earlier run's final workspace, as a tar of the workspace's contents
 * @param session   Claude Code's transcript of the earlier session
 * @param sessionId the session Claude resumes
 */
public record Continuation(String runId, Path workspace, Path session, String sessionId) {
    /** The folder name Claude Code keeps a working folder's sessions under: every other character becomes '-'. */
    static String projectFolder(String workingDirectory) {
        String slug = workingDirectory.replaceAll("[^a-zA-Z0-9]", "-");
        // Claude Code shortens longer names with a hash that cct does not reproduce; sandbox workspaces are short.
        if (slug.length() > 200) {
            throw new IllegalArgumentException("workspace path too long to resume a session: " + workingDirectory);
        }
        return slug;
    }
}
