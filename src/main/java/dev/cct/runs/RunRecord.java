package dev.cct.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one sandbox run leaves on the user's machine to be listed and continued: the request as flags and component
 * names (never a key), where its results went, Claude's session and how the run ended. Stored as {@code run.json}
 * beside the run's final workspace ({@code workspace.tar}) and Claude's transcript ({@code session.jsonl}).
 *
 * @param format      the record's format; a record of another format is refused rather than misread
 * @param continues   the run this one continued, or null
 * @param components  component names by type ("agent", "command", ...), as resolved
 * @param results     the results folder, or null when the change landed elsewhere only
 * @param branch      the branch the change was put on, or null
 * @param sessionId   Claude Code's session id, or null when Claude never started one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(int format, String id, String startedAt, String endedAt, String provider, String prompt,
                        String continues, Map<String, List<String>> components, List<String> uploads, String model,
                        Integer maxTurns, String results, String patch, String branch, String checkout, String sessionId,
                        int exitCode, String status, int turns, double costUsd, String cctVersion) {
    public static final int FORMAT = 1;

    /** When the run started; records keep ISO-8601 text, which sorts and reads the same everywhere. */
    public Instant started() {
        try {
            return startedAt == null ? Instant.EPOCH : Instant.parse(startedAt);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** The prompt's first line, for listings. */
    public String title() {
        String first = prompt == null ? "" : prompt.strip().lines().findFirst().orElse("");
        return first.length() <= 60 ? first : first.substring(0, 59) + "…";
    }
}
