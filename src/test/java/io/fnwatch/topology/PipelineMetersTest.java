package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.EventKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A processor's per-record counts reach the shared meters in batches, none lost. */
class PipelineMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMeters meters = new PipelineMeters(registry);

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void addsCountsAtFlushAndEveryBatch() {
        PipelineMeters.Local local = meters.local();
        local.recordIn("logs");
        local.parsed(true);
        local.event("aws", EventKind.INVOCATION);
        local.event("gcp", EventKind.LOG);
        assertThat(count("fnwatch.records.in", "topic", "logs"))
                .as("not before a flush")
                .isZero();

        local.flush();
        assertThat(count("fnwatch.records.in", "topic", "logs")).isEqualTo(1);
        assertThat(count("fnwatch.parse.records", "where", "parser-thread")).isEqualTo(1);
        assertThat(count("fnwatch.events", "provider", "aws", "kind", "INVOCATION"))
                .isEqualTo(1);
        assertThat(count("fnwatch.events", "provider", "gcp", "kind", "LOG")).isEqualTo(1);

        for (int i = 0; i < PipelineMeters.Local.BATCH; i++) {
            local.recordOut("accounts");
        }
        assertThat(count("fnwatch.records.out", "topic", "accounts"))
                .as("a full batch is added without a flush")
                .isEqualTo(PipelineMeters.Local.BATCH);
        local.flush();
        local.flush();
        assertThat(count("fnwatch.records.out", "topic", "accounts")).isEqualTo(PipelineMeters.Local.BATCH);
    }

    @Test
    void twoProcessorsAddToTheSameCounters() {
        PipelineMeters.Local a = meters.local();
        PipelineMeters.Local b = meters.local();
        a.parsed(false);
        b.parsed(false);
        b.parsed(false);
        a.flush();
        b.flush();
        assertThat(count("fnwatch.parse.records", "where", "stream-thread")).isEqualTo(3);
    }
}
