package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.serde.TenantTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordsPerMinuteTest {

    private static final long MIN = 60_000;
    private static final long T = Instant.parse("2026-03-05T12:00:00Z").toEpochMilli();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordsPerMinute records =
            new RecordsPerMinute(registry, new TenantTopics("fnwatch-logs-raw", "default"));

    @Test
    void shouldBookWhatWasReadSinceTheLastReadingToTheMinuteThatJustClosed() {
        Counter base = registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw");
        base.increment(5);
        records.sample(T - 3 * MIN + 500); // minute T-4
        base.increment(7);
        records.sample(T - 2 * MIN + 900); // minute T-3
        base.increment(3); // the reading of minute T-2 is missed: its records go to T-1, which is read late
        records.sample(T - 0 * MIN + 59_000);
        long[] last = records.last("default", T);
        assertThat(last).hasSize(60);
        assertThat(last[56]).isEqualTo(5);
        assertThat(last[57]).isEqualTo(7);
        assertThat(last[58]).isEqualTo(-1);
        assertThat(last[59]).isEqualTo(3);
        assertThat(last[0]).isEqualTo(-1);
        // a tenant with no counter yet reads 0 in the minutes that were read
        assertThat(records.last("acme", T)[57]).isZero();
    }

    @Test
    void shouldForgetMinutesOlderThanAnHourAndLeaveOtherTopicsOut() {
        Counter acme = registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw.acme");
        registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw.acme.x")
                .increment(99);
        registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw-not")
                .increment(99);
        registry.counter(RecordsPerMinute.COUNTER).increment(99); // no topic tag
        registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw.<script>")
                .increment(99);
        for (int i = 0; i < 200; i++) {
            acme.increment(i);
            records.sample(T + i * MIN + 1000);
        }
        long[] last = records.last("acme", T + 199 * MIN + 30_000); // minutes 139 to 198
        for (int i = 0; i < 60; i++) {
            assertThat(last[i]).isEqualTo(140 + i); // minute m: read at m + 1, when the counter had grown by m + 1
        }
        assertThat(records.tenants()).isEqualTo(1);
    }

    @Test
    void shouldKeepAtMostMaxTenants() {
        for (int i = 0; i < RecordsPerMinute.MAX_TENANTS + 50; i++) {
            registry.counter(RecordsPerMinute.COUNTER, "topic", "fnwatch-logs-raw.t" + i)
                    .increment();
        }
        records.sample(T);
        assertThat(records.tenants()).isEqualTo(RecordsPerMinute.MAX_TENANTS);
    }
}
