package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvdVersionTest {

    @Test
    void parsesTheFormsEnvdReports() {
        assertThat(EnvdVersion.parse("0.6.13")).isEqualTo(new EnvdVersion(0, 6, 13));
        assertThat(EnvdVersion.parse(" v0.5.7-beta.1 ")).isEqualTo(new EnvdVersion(0, 5, 7));
        assertThat(EnvdVersion.parse("1.2")).isEqualTo(new EnvdVersion(1, 2, 0));
        assertThat(EnvdVersion.parse("0.6.13").toString()).isEqualTo("0.6.13");
    }

    @Test
    void unreadableVersionsAreNull() {
        assertThat(EnvdVersion.parse(null)).isNull();
        assertThat(EnvdVersion.parse("")).isNull();
        assertThat(EnvdVersion.parse("latest")).isNull();
        assertThat(EnvdVersion.parse("7")).isNull();
        assertThat(EnvdVersion.parse("99999999999.1.1")).isNull();
    }

    @Test
    void comparesNumericallyNotAsText() {
        EnvdVersion gate = EnvdVersion.OCTET_STREAM_UPLOAD;
        assertThat(EnvdVersion.parse("0.5.7").atLeast(gate)).isTrue();
        assertThat(EnvdVersion.parse("0.5.10").atLeast(gate)).isTrue();
        assertThat(EnvdVersion.parse("0.6.0").atLeast(gate)).isTrue();
        assertThat(EnvdVersion.parse("1.0.0").atLeast(gate)).isTrue();
        assertThat(EnvdVersion.parse("0.5.6").atLeast(gate)).isFalse();
        assertThat(EnvdVersion.parse("0.4.99").atLeast(gate)).isFalse();
        assertThat(EnvdVersion.parse("0.0.9").atLeast(EnvdVersion.OLDEST_SUPPORTED)).isFalse();
        assertThat(EnvdVersion.parse("0.1.0").atLeast(EnvdVersion.OLDEST_SUPPORTED)).isTrue();
    }
}
