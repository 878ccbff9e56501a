package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleTheCapUpToTheMaximumAndStayInItsUpperHalfWhenJittered() {
        Backoff low = new Backoff(100, 1000, () -> 0.0);
        Backoff high = new Backoff(100, 1000, () -> 1.0);

        assertThat(new long[] {low.delayMs(0), low.delayMs(1), low.delayMs(2), low.delayMs(3), low.delayMs(9)})
                .containsExactly(50, 100, 200, 400, 500);
        assertThat(new long[] {high.delayMs(0), high.delayMs(1), high.delayMs(4), high.delayMs(40)})
                .containsExactly(100, 200, 1000, 1000);
    }
}
