package dev.cct.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void moneyIsAPlainDecimalWithoutFloatNoise() {
        assertThat(Format.money(2.8000000000000003E-4)).isEqualTo("0.00028");
        assertThat(Format.money(2.8)).isEqualTo("2.8");
        assertThat(Format.money(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Format.money(0)).isEqualTo("0");
        assertThat(Format.money(12.3456789)).isEqualTo("12.345679");
    }

    @Test
    void aDeadlineAndAnElapsedTimeReadTheSameWay() {
        assertThat(Format.duration(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Format.duration(Duration.ofMinutes(60))).isEqualTo("1h");
        assertThat(Format.duration(Duration.ofMinutes(30))).isEqualTo("30m");
        assertThat(Format.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Format.duration(Duration.ofSeconds(3725))).isEqualTo("1h2m5s");
        assertThat(Format.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Format.duration(Duration.ofMillis(12_340))).isEqualTo("12.3s");
        assertThat(Format.duration(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Format.duration(Duration.ofMinutes(61).plusMillis(400))).isEqualTo("1h1m");
    }

    @Test
    void oneShortIdForEveryCommand() {
        assertThat(Format.shortId("3f9a1c2b7d4e5f60718293a4b5c6d7e8")).isEqualTo("3f9a1c2b7d4e");
        assertThat(Format.shortId("i8XyZ-ab_12")).isEqualTo("i8xyzab12");
        assertThat(Format.shortId("cct-1234567890abcdef")).isEqualTo("cct123456789");
    }

    @Test
    void sizesUseBinaryUnits() {
        assertThat(Format.bytes(512)).isEqualTo("512 B");
        assertThat(Format.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(Format.bytes(12L * 1024 * 1024)).isEqualTo("12.0 MB");
        assertThat(Format.bytes(2L * 1024 * 1024 * 1024)).isEqualTo("2.0 GB");
    }
}
