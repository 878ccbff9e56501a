package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.serde.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinuteHistoryTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String ORDERS = "default/aws/123456789012/us-east-1/orders-api";
    private static final String OTHER = "default/aws/123456789012/us-east-1/other";

    @TempDir
    Path state;

    private final FnwatchConfig config = FnwatchConfig.of(Map.of());
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(
                FnwatchTopology.build(config, DetectorConfig.load(Path.of("detectors"), 5 * MINUTE)), p);
        Topics topics = Topics.from(config);
        raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void report(String function, long t, double ms) {
        String message = "REPORT RequestId: r-" + t + "\\tDuration: " + ms + " ms\\tBilled Duration: "
                + (long) Math.ceil(ms) + " ms\\tMemory Size: 512 MB\\tMax Memory Used: 90 MB\\t";
        String json = "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + t + ",\"message\":\"" + message + "\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\"}";
        raw.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), t);
    }

    private List<MinuteSummary> minutes(String key) {
        WindowStore<String, byte[]> store = driver.getWindowStore(FnwatchTopology.HISTORY_STORE);
        List<MinuteSummary> out = new ArrayList<>();
        try (WindowStoreIterator<byte[]> it =
                store.fetch(key, Instant.ofEpochMilli(0), Instant.ofEpochMilli(T0 + 1000 * MINUTE))) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                out.add(MinuteSummary.fromBytes(kv.key, kv.value));
            }
        }
        return out;
    }

    @Test
    void shouldWriteEachClosedActiveMinuteOnceWithItsCountAndDurations() {
        for (int i = 0; i < 10; i++) {
            report("orders-api", T0 + i * 1000, 100);
        }
        for (int i = 0; i < 4; i++) {
            report("orders-api", T0 + MINUTE + i * 1000, 400);
        }
        // minutes 2 and 3 silent, then one call in minute 4: minute 4 stays open
        report("orders-api", T0 + 4 * MINUTE + 5000, 100);

        List<MinuteSummary> m = minutes(ORDERS);
        assertThat(m).extracting(MinuteSummary::minuteStart).containsExactly(T0, T0 + MINUTE);
        assertThat(m.get(0).count()).isEqualTo(10);
        assertThat(m.get(0).p50Ms()).isCloseTo(100f, within(10f));
        assertThat(m.get(1).count()).isEqualTo(4);
        // the duration window (5 minutes) so far holds both minutes: its p95 is the slower calls'
        assertThat(m.get(1).p95Ms()).isCloseTo(400f, within(40f));
        assertThat(m.get(0).trafficWarmup()).isTrue();
        assertThat(m.get(0).expected()).isNotNaN();
        assertThat(m.get(0).threshold()).isGreaterThanOrEqualTo(m.get(0).expected());
        assertThat(minutes(OTHER)).isEmpty();
    }

    @Test
    void shouldKeepAMinutesCountWhenATickRollsTheOpenIncidentsBucketBeforeTheFunctionsNextEvent() {
        driver.close();
        DetectorConfig quick = DetectorConfig.load(Path.of("detectors"), 5 * MINUTE)
                .withOverride(
                        "traffic-spike",
                        "*",
                        Map.of("warmupBuckets", 0, "confirmBuckets", 1, "confirmWindow", 1, "minCount", 5));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(FnwatchTopology.build(config, quick), p);
        Topics topics = Topics.from(config);
        raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        for (int m = 0; m < 10; m++) {
            report("orders-api", T0 + m * MINUTE + 1000, 100);
        }
        for (int i = 0; i < 40; i++) { // a spike: the incident opens in minute 10
            report("orders-api", T0 + 10 * MINUTE + 1000 + i * 100, 100);
        }
        // another function moves stream time into minute 11 first: the tick rolls orders-api's open bucket
        report("other", T0 + 11 * MINUTE + 5000, 100);
        report("other", T0 + 11 * MINUTE + 15_000, 100);
        report("orders-api", T0 + 11 * MINUTE + 20_000, 100);
        report("orders-api", T0 + 11 * MINUTE + 21_000, 100);
        report("orders-api", T0 + 12 * MINUTE + 1000, 100);

        List<MinuteSummary> m = minutes(ORDERS);
        assertThat(m).extracting(MinuteSummary::minuteStart).contains(T0 + 10 * MINUTE, T0 + 11 * MINUTE);
        MinuteSummary spike = m.stream()
                .filter(x -> x.minuteStart() == T0 + 10 * MINUTE)
                .findFirst()
                .orElseThrow();
        assertThat(spike.count()).isEqualTo(40);
        assertThat(spike.count()).isGreaterThan((int) spike.threshold());
        assertThat(m.stream()
                        .filter(x -> x.minuteStart() == T0 + 11 * MINUTE)
                        .findFirst()
                        .orElseThrow()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void shouldKeepFunctionsApartAndNotRewriteAMinuteForALateCall() {
        report("orders-api", T0, 100);
        report("other", T0 + 1000, 100);
        report("orders-api", T0 + MINUTE, 100);
        report("orders-api", T0 + 30_000, 100); // late, within the grace: minute 0 was written already
        report("orders-api", T0 + 2 * MINUTE, 100);

        assertThat(minutes(ORDERS)).extracting(MinuteSummary::count).containsExactly(1, 1);
        assertThat(minutes(OTHER)).isEmpty(); // its minute has not closed
    }
}
