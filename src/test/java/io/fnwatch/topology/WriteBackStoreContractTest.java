package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.serde.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract {@link WriteBackStore} relies on, checked against the Kafka Streams on the classpath so that an
 * upgrade that breaks it fails here: before each commit's transaction commits, Streams writes out the store's
 * cache, so the changed states are in the changelog that commit makes visible.
 *
 * <p>Under exactly-once the driver runs the real task code path after each record ({@code StreamTask.prepareCommit}
 * with its {@code ProcessorStateManager.flushCache}, then {@code commitTransaction}, then {@code postCommit}), and
 * its producer shows only committed records: a store written in the public {@code commit(Map)}, which runs after
 * the transaction, or not written at all, leaves the changelog one state behind and fails this test.
 * {@code WriteBackStoreIT} checks the commits the stream thread schedules itself, on a real broker.
 */
class WriteBackStoreContractTest {

    private static final String APP = "fnwatch-contract";
    private static final String ORDERS = "default/aws/123456789012/us-east-1/orders-api";
    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    @TempDir
    Path state;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, byte[]> changelog;

    @BeforeEach
    void start() {
        FnwatchConfig config = FnwatchConfig.of(Map.of());
        Topics topics = Topics.from(config);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(
                FnwatchTopology.build(config, DetectorConfig.load(Path.of("detectors"), 300_000)), p);
        raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        changelog = driver.createOutputTopic(
                APP + "-" + FnwatchTopology.STATE_STORE + "-changelog",
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldHaveEachChangedStateInTheChangelogOfTheCommitThatFollowsIt() {
        FunctionStateStore queried =
                (FunctionStateStore) driver.getAllStateStores().get(FnwatchTopology.STATE_STORE);
        for (int i = 0; i < 3; i++) {
            long t = T0 + i * 1_000L;
            raw.pipeInput(ORDERS, report(t), t);

            assertThat(changelog.readKeyValuesToList())
                    .as("Kafka Streams no longer writes a CachedStateStore out before the transaction commits "
                            + "(4.4: StreamTask.prepareCommit -> ProcessorStateManager.flushCache); "
                            + "WriteBackStore needs another hook")
                    .hasSize(1)
                    .first()
                    .satisfies(kv -> {
                        assertThat(kv.key).isEqualTo(ORDERS);
                        assertThat(FunctionState.fromBytes(kv.value).watermark())
                                .as("state after the event at " + t)
                                .isEqualTo(t);
                        assertThat(queried.get(ORDERS))
                                .as("interactive queries read the committed state")
                                .isEqualTo(kv.value);
                    });
        }
    }

    @Test
    void shouldWriteNothingForARecordThatChangedNoState() {
        raw.pipeInput(ORDERS, report(T0), T0);
        assertThat(changelog.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(ORDERS);

        raw.pipeInput(ORDERS, "not a log line".getBytes(StandardCharsets.UTF_8), T0 + 1);
        assertThat(changelog.isEmpty())
                .as("a dead-lettered record changes no state, so nothing is rewritten")
                .isTrue();
    }

    private static byte[] report(long t) {
        String json = "{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + t + ",\"message\":\"REPORT RequestId: r-" + t + "\\tDuration: 80.0 ms"
                + "\\tBilled Duration: 80 ms\\tMemory Size: 512 MB\\tMax Memory Used: 90 MB\\t\","
                + "\"account\":\"123456789012\",\"region\":\"us-east-1\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
