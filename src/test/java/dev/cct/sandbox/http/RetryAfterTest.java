package dev.cct.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

public class RetryAfterTest {
    /** Wed, 02 Dec 2026 00:00:00 GMT */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaySeconds() {
        assertThat(RetryAfter.parse("7", CLOCK)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", CLOCK)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("3600", CLOCK)).contains(Duration.ofHours(1));
    }

    @Test
    void httpDates() {
        assertThat(RetryAfter.parse("Wed, 02 Dec 2026 00:00:30 GMT", CLOCK)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 23:59:00 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void absentOrGarbage() {
        assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("-5", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("1.5", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("2026-12-02T00:00:30Z", CLOCK)).isEmpty();
    }
}
