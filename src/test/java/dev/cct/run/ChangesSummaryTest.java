package dev.cct.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.changes.ChangeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangesSummaryTest {
    @Test
    void theSummaryCountsWhatClaudeProducedApartFromUnchangedUploads() {
        assertThat(ChangeBack.describe(new ResultChanges(List.of("new.py"), List.of(), 7), ChangeSet.empty()))
                .isEqualTo("1 new, 0 changed file(s) (7 unchanged upload(s))");
        assertThat(ChangeBack.describe(new ResultChanges(List.of("a", "b"), List.of("c"), 0), ChangeSet.empty())).isEqualTo("2 new, 1 changed file(s)");
    }
}
