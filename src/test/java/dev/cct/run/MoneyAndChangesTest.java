package dev.cct.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.archive.UploadManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoneyAndChangesTest {
    @Test
    void moneyIsAPlainDecimalWithoutFloatNoise() {
        assertThat(Run.money(2.8000000000000003E-4)).isEqualTo("0.00028");
        assertThat(Run.money(2.8)).isEqualTo("2.8");
        assertThat(Run.money(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Run.money(0)).isEqualTo("0");
        assertThat(Run.money(12.3456789)).isEqualTo("12.345679");
    }

    @Test
    void theSummaryCountsWhatClaudeProducedApartFromUnchangedUploads() {
        assertThat(Run.describe(new UploadManifest.Changes(List.of("new.py"), List.of(), 7)))
                .isEqualTo("1 new, 0 changed file(s) (7 unchanged upload(s))");
        assertThat(Run.describe(new UploadManifest.Changes(List.of("a", "b"), List.of("c"), 0))).isEqualTo("2 new, 1 changed file(s)");
    }
}
