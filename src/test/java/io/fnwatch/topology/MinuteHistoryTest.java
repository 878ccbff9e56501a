package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.serde.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinuteHistoryTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long DAY = 24 * 60 * MINUTE;
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

    /** Every closed minute of the function, from the history store and its state's unwritten block. */
    private List<MinuteSummary> minutes(String key) {
        return minutes(key, 0, T0 + 1000 * MINUTE);
    }

    private List<MinuteSummary> minutes(String key, long from, long to) {
        return MinuteHistory.read(driver.getWindowStore(FnwatchTopology.HISTORY_STORE), key, stateBytes(key), from, to);
    }

    private byte[] stateBytes(String key) {
        // the state as of the last commit, as the console reads it (the driver commits after every record)
        return ((FunctionStateStore) driver.getAllStateStores().get(FnwatchTopology.STATE_STORE)).get(key);
    }

    /** The history store's own entries of the function: the starts of its written blocks. */
    private List<Long> storedBlocks(String key) {
        WindowStore<String, byte[]> store = driver.getWindowStore(FnwatchTopology.HISTORY_STORE);
        List<Long> out = new ArrayList<>();
        try (WindowStoreIterator<byte[]> it =
                store.fetch(key, Instant.ofEpochMilli(0), Instant.ofEpochMilli(T0 + 1000 * MINUTE))) {
            while (it.hasNext()) {
                out.add(it.next().key);
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

    @Test
    void shouldWriteEachBlockOfMinutesOnceItIsOverAndKeepTheRestInTheState() {
        for (int m = 0; m < 25; m++) {
            report("orders-api", T0 + m * MINUTE + 1000, 100);
            report("orders-api", T0 + m * MINUTE + 2000, 100);
        }
        // minutes 0-23 closed; the blocks of 0-19 are over and written, 20-23 wait in the state
        assertThat(MinuteSummary.BLOCK_MINUTES).isEqualTo(5);
        assertThat(storedBlocks(ORDERS)).containsExactly(T0, T0 + 5 * MINUTE, T0 + 10 * MINUTE, T0 + 15 * MINUTE);
        FunctionState state = FunctionState.fromBytes(stateBytes(ORDERS));
        assertThat(state.historyBlockStart()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(MinuteSummary.entry(state.historyBlockStart(), state.historyBlock()))
                .extracting(MinuteSummary::minuteStart)
                .containsExactly(T0 + 20 * MINUTE, T0 + 21 * MINUTE, T0 + 22 * MINUTE, T0 + 23 * MINUTE);
        List<MinuteSummary> m = minutes(ORDERS);
        assertThat(m).hasSize(24);
        for (int i = 0; i < 24; i++) {
            assertThat(m.get(i).minuteStart()).isEqualTo(T0 + i * MINUTE);
            assertThat(m.get(i).count()).isEqualTo(2);
        }
        // a range across written blocks and the state's: only its minutes, the end excluded
        assertThat(minutes(ORDERS, T0 + 7 * MINUTE, T0 + 22 * MINUTE))
                .extracting(MinuteSummary::minuteStart)
                .containsExactly(java.util.stream.LongStream.range(7, 22)
                        .mapToObj(i -> T0 + i * MINUTE)
                        .toArray(Long[]::new));
    }

    @Test
    void shouldMergeAMinuteClosedAgainIntoItsWrittenBlockAndStillReadSingleMinuteEntries() {
        WindowStore<String, byte[]> store = inMemoryStore();
        MinuteHistory history = new MinuteHistory(store, 2 * DAY);
        long now = T0 + MinuteSummary.BLOCK_MS;
        FunctionState orders = new FunctionState();
        history.write(
                ORDERS,
                orders,
                T0,
                minute(T0, 5).addToBlock(T0, minute(T0 + MINUTE, 6).addToBlock(T0, null)),
                now);
        history.write(
                ORDERS,
                orders,
                T0,
                minute(T0 + MINUTE, 7).addToBlock(T0, minute(T0 + 3 * MINUTE, 1).addToBlock(T0, null)),
                now);
        // a block that ended longer than the retention ago (a function silent that long) is not written
        long late = T0 + MinuteSummary.BLOCK_MS + 2 * DAY;
        FunctionState other = new FunctionState();
        history.write(OTHER, other, T0, minute(T0, 3).addToBlock(T0, null), late);
        assertThat(MinuteHistory.read(store, OTHER, null, 0, T0 + DAY)).isEmpty();
        history.write(OTHER, other, T0, minute(T0, 3).addToBlock(T0, null), late - 1);
        assertThat(MinuteHistory.read(store, OTHER, null, 0, T0 + DAY)).hasSize(1);
        // an entry of one minute, as written before blocks
        store.put(ORDERS, minute(T0 + 10 * MINUTE, 9).toBytes(), T0 + 10 * MINUTE);

        assertThat(MinuteHistory.read(store, ORDERS, null, T0, T0 + 20 * MINUTE))
                .extracting(MinuteSummary::minuteStart, MinuteSummary::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(T0, 5),
                        org.assertj.core.groups.Tuple.tuple(T0 + MINUTE, 7),
                        org.assertj.core.groups.Tuple.tuple(T0 + 3 * MINUTE, 1),
                        org.assertj.core.groups.Tuple.tuple(T0 + 10 * MINUTE, 9));
    }

    @Test
    void shouldReadTheStoreBeforeTheFirstWriteOfAStateAndNotForItsLaterBlocks() {
        WindowStore<String, byte[]> store = inMemoryStore();
        MinuteHistory history = new MinuteHistory(store, 2 * DAY);
        long b1 = T0 + MinuteSummary.BLOCK_MS;
        long b2 = b1 + MinuteSummary.BLOCK_MS;
        // written by an earlier life of the function's state (before a restart): this one does not know of it
        store.put(ORDERS, minute(b1, 4).addToBlock(b1, null), b1);
        FunctionState restored = new FunctionState();

        history.write(ORDERS, restored, b1, minute(b1 + MINUTE, 2).addToBlock(b1, null), b2);
        // the block after it cannot be in the store: its write does not read it (shown with an entry that no
        // function could have written there, which a read would have merged)
        store.put(ORDERS, minute(b2, 99).addToBlock(b2, null), b2);
        history.write(ORDERS, restored, b2, minute(b2 + MINUTE, 3).addToBlock(b2, null), b2 + MinuteSummary.BLOCK_MS);

        assertThat(MinuteHistory.read(store, ORDERS, null, T0, b2 + MinuteSummary.BLOCK_MS))
                .extracting(MinuteSummary::minuteStart, MinuteSummary::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(b1, 4),
                        org.assertj.core.groups.Tuple.tuple(b1 + MINUTE, 2),
                        org.assertj.core.groups.Tuple.tuple(b2 + MINUTE, 3));
    }

    private static WindowStore<String, byte[]> inMemoryStore() {
        WindowStore<String, byte[]> store = Stores.windowStoreBuilder(
                        Stores.inMemoryWindowStore(
                                "h",
                                java.time.Duration.ofDays(2),
                                java.time.Duration.ofMillis(MinuteSummary.BLOCK_MS),
                                false),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    private static MinuteSummary minute(long start, int count) {
        return new MinuteSummary(start, count, 0, 0, 1f, 2f, 3f, 4f, 5f, 6f, false, false);
    }
}
