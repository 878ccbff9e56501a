package io.fnwatch.ingest.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteGateTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Long> waits = new ArrayList<>();

    private WriteGate gate(double random) {
        return new WriteGate(100, 1_000, () -> random, now::get, ms -> {
            waits.add(ms);
            now.addAndGet(ms);
        });
    }

    @Test
    void shouldDoubleThePauseWithEqualJitterUpToTheMax() {
        WriteGate low = gate(0.0);
        WriteGate high = gate(1.0);
        assertThat(List.of(low.delayMs(0), low.delayMs(1), low.delayMs(2), low.delayMs(5), low.delayMs(40)))
                .containsExactly(50L, 100L, 200L, 500L, 500L);
        assertThat(List.of(high.delayMs(0), high.delayMs(1), high.delayMs(3), high.delayMs(40)))
                .containsExactly(100L, 200L, 800L, 1_000L);
    }

    @Test
    void shouldMakeWritersWaitOutThePauseAfterFailuresAndNotAfterASuccess() throws InterruptedException {
        WriteGate g = gate(1.0);
        g.await();
        assertThat(waits).isEmpty();

        g.failed();
        g.failed();
        g.await();
        assertThat(waits).containsExactly(200L); // the longer of the two pauses, from the second failure
        assertThat(g.failuresInARow()).isEqualTo(2);

        g.succeeded();
        g.await();
        g.failed();
        g.await();
        assertThat(waits).containsExactly(200L, 100L);
    }
}
