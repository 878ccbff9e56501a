package io.fnwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path state;

    /** The peer keeps what fnwatch keeps: a record later than its window but within late.grace.ms is counted. */
    @Test
    void windowedCountHasFnwatchsGrace() {
        FnwatchConfig c = FnwatchConfig.of(Map.of(FnwatchConfig.LATE_GRACE_MS, String.valueOf(5 * MINUTE)));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-count-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(ThroughputBench.windowedCount(c), p)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(
                    c.string(FnwatchConfig.TOPIC_RAW),
                    Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            raw.pipeInput("fn", new byte[1], T0 + 10 * MINUTE);
            raw.pipeInput("fn", new byte[1], T0 + 7 * MINUTE); // 3 minutes late: within the grace
            raw.pipeInput("fn", new byte[1], T0 + 4 * MINUTE); // 6 minutes late: past it, dropped

            String name = driver.getAllStateStores().keySet().iterator().next();
            WindowStore<String, ValueAndTimestamp<Long>> counts = driver.getTimestampedWindowStore(name);
            assertThat(counts.fetch("fn", T0 + 10 * MINUTE).value()).isEqualTo(1L);
            assertThat(counts.fetch("fn", T0 + 7 * MINUTE).value()).isEqualTo(1L);
            assertThat(counts.fetch("fn", T0 + 4 * MINUTE)).isNull();
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(ThroughputBench.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(ThroughputBench.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(ThroughputBench.median(new double[] {7})).isEqualTo(7);
    }
}
