package dev.cct.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordsTest {
    @TempDir
    Path dir;

    private RunRecords records() {
        return new RunRecords(dir.resolve("data/runs"));
    }

    private RunRecord record(String id, Instant started) {
        return new RunRecord(RunRecord.FORMAT, id, started.toString(), started.plusSeconds(5).toString(), "docker",
                "fix the login form\nin detail", null, Map.of("agent", List.of("security/security-auditor")), List.of(),
                null, null, "/tmp/out", null, null, null, "session-" + id, 0, "ok", 3, 0.0123, "0.1.0");
    }

    private void save(String id, Instant started) throws Exception {
        Path folder = records().create(id);
        try (OutputStream out = RunRecords.ownerOnlyFile(folder.resolve(RunRecords.SESSION))) {
            out.write("{}\n".getBytes());
        }
        records().save(folder, record(id, started));
    }

    @Test
    void recordsAreListedNewestFirstAndFoundByIdPrefixOrLast() throws Exception {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        save("aaaa11112222", now.minusSeconds(3600));
        save("aaaa33334444", now.minusSeconds(60));
        save("bbbb55556666", now.minusSeconds(600));
        assertThat(records().list()).extracting(e -> e.record().id()).containsExactly("aaaa33334444", "bbbb55556666", "aaaa11112222");
        assertThat(records().find("last").record().id()).isEqualTo("aaaa33334444");
        assertThat(records().find("bbbb").record().id()).isEqualTo("bbbb55556666");
        assertThat(records().find("aaaa11112222").record().title()).isEqualTo("fix the login form");
        assertThatThrownBy(() -> records().find("aaaa")).isInstanceOf(RunRecords.Unknown.class)
                .hasMessageContaining("names 2 runs").hasMessageContaining("aaaa11112222, aaaa33334444");
        assertThatThrownBy(() -> records().find("zzzz")).hasMessageContaining("no run 'zzzz'");
    }

    @Test
    void noRecordYetAndUnfinishedOrForeignRecordsAreNotListed() throws Exception {
        assertThatThrownBy(() -> records().find("last")).hasMessageContaining("no run to continue yet");
        records().create("cccc77778888");
        Path foreign = records().create("dddd99990000");
        Files.writeString(foreign.resolve(RunRecords.RECORD), "{\"format\":99,\"id\":\"dddd99990000\"}");
        assertThat(records().list()).isEmpty();
        assertThatThrownBy(() -> records().find("dddd99990000")).hasMessageContaining("cannot read (another version?)");
    }

    @Test
    void pruneRemovesOnlyRecordsOlderThanTheAge() throws Exception {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        save("old011112222", now.minus(Duration.ofDays(40)));
        save("new033334444", now.minus(Duration.ofDays(2)));
        List<RunRecords.Entry> removed = records().prune(Duration.ofDays(30), now);
        assertThat(removed).extracting(e -> e.record().id()).containsExactly("old011112222");
        assertThat(records().list()).extracting(e -> e.record().id()).containsExactly("new033334444");
        assertThat(dir.resolve("data/runs/old011112222")).doesNotExist();
        records().remove(records().find("new0"));
        assertThat(records().list()).isEmpty();
    }

    @Test
    void foldersAreTheOwnersOnlyAndSoAreTheirFiles() throws Exception {
        save("eeee11112222", Instant.now());
        Path folder = dir.resolve("data/runs/eeee11112222");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/runs")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        for (String file : List.of(RunRecords.RECORD, RunRecords.SESSION)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(file)))).as(file).isEqualTo("rw-------");
        }
        assertThatThrownBy(() -> records().create("../escape")).isInstanceOf(IllegalArgumentException.class);
    }
}
