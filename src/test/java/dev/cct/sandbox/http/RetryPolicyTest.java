package dev.cct.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesFromTheFirstWaitUpToTheCap() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60));
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoff(1000)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aCapBelowTheNextDoublingIsTheWait() {
        assertThat(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ZERO).backoff(3))
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void withoutABoundTheServerMayAskForAMinute() {
        assertThat(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(4)))
                .isEqualTo(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(60)));
    }
}
