package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.topology.ParseAhead;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamsSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
    void shouldReadCommittedAndWriteDurablyUnderEitherGuarantee(String guarantee) {
        FnwatchConfig c = FnwatchConfig.of(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                "127.0.0.1:1",
                FnwatchConfig.PROCESSING_GUARANTEE,
                guarantee,
                FnwatchConfig.STANDBY_REPLICAS,
                "1",
                FnwatchConfig.STATE_DIR,
                "/var/lib/fnwatch/state"));

        StreamsConfig streams = new StreamsConfig(StreamsSettings.of(c, "10.0.0.7:8080"));

        Map<String, Object> main = streams.getMainConsumerConfigs("fnwatch", "c", 0);
        Map<String, Object> restore = streams.getRestoreConsumerConfigs("c");
        Map<String, Object> producer = streams.getProducerConfigs("p");
        assertThat(main.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(restore.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG))).isIn("all", "-1");
        assertThat(String.valueOf(producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)))
                .isEqualTo("true");
        // few full lz4 batches: a batch per partition every 5 ms cost the stream thread 6 % in allocations
        assertThat(String.valueOf(producer.get(ProducerConfig.LINGER_MS_CONFIG)))
                .isEqualTo("100");
        assertThat(String.valueOf(producer.get(ProducerConfig.BATCH_SIZE_CONFIG)))
                .isEqualTo("262144");
        // a transaction outlives a broker outage of the send timeout: aborted by a restarted broker, its first
        // part could be lost while the rest committed
        assertThat(String.valueOf(producer.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)))
                .isEqualTo(String.valueOf(StreamsSettings.OUTAGE_MS))
                .isEqualTo(String.valueOf(producer.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
        assertThat(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(guarantee);
        assertThat(streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(streams.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/var/lib/fnwatch/state");
        assertThat(streams.getString(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("10.0.0.7:8080");
    }

    @Test
    void shouldLetAnExplicitClientSettingWinExceptTheGuarantees() {
        FnwatchConfig c = FnwatchConfig.of(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                "127.0.0.1:1",
                "kafka.producer.max.block.ms",
                "5000",
                "kafka.producer.acks",
                "1",
                "kafka.consumer.isolation.level",
                "read_uncommitted"));

        StreamsConfig streams = new StreamsConfig(StreamsSettings.of(c, null));

        Map<String, Object> producer = streams.getProducerConfigs("p");
        assertThat(String.valueOf(producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)))
                .isEqualTo("5000");
        assertThat(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG))).isIn("all", "-1");
        assertThat(streams.getMainConsumerConfigs("fnwatch", "c", 0).get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                .isEqualTo("read_committed");
    }

    @Test
    void shouldNotIdleForEmptyPartitionsUnlessTold() {
        FnwatchConfig defaults = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1"));
        FnwatchConfig told = FnwatchConfig.of(
                Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", "kafka.max.task.idle.ms", "250"));

        assertThat(new StreamsConfig(StreamsSettings.of(defaults, null)).getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        assertThat(new StreamsConfig(StreamsSettings.of(told, null)).getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo(250L);
    }

    @Test
    void shouldParseAheadOnTheMainConsumerOnlyAndNotWhenTurnedOff() {
        FnwatchConfig on = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1"));
        StreamsConfig streams = new StreamsConfig(StreamsSettings.of(on, null));
        assertThat(String.valueOf(streams.getMainConsumerConfigs("fnwatch", "c", 0)
                        .get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)))
                .contains(ParseAhead.class.getName());
        assertThat(String.valueOf(
                        streams.getRestoreConsumerConfigs("c").get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)))
                .doesNotContain(ParseAhead.class.getName());

        FnwatchConfig off = on.with(FnwatchConfig.PARSE_AHEAD, false);
        assertThat(String.valueOf(new StreamsConfig(StreamsSettings.of(off, null))
                        .getMainConsumerConfigs("fnwatch", "c", 0)
                        .get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)))
                .doesNotContain(ParseAhead.class.getName());
    }

    @Test
    void shouldPollFiveThousandRecordsAtOnceWhenParsingAheadUnlessTold() {
        FnwatchConfig on = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1"));
        assertThat(maxPollRecords(on)).isEqualTo("5000");
        assertThat(maxPollRecords(FnwatchConfig.of(Map.of(
                        FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", "kafka.main.consumer.max.poll.records", "1"))))
                .as("an explicit setting wins (the crash tests poll one record at a time)")
                .isEqualTo("1");
        assertThat(maxPollRecords(on.with(FnwatchConfig.PARSE_AHEAD, false)))
                .as("Streams' own")
                .isEqualTo("1000");
    }

    private static String maxPollRecords(FnwatchConfig c) {
        return String.valueOf(new StreamsConfig(StreamsSettings.of(c, null))
                .getMainConsumerConfigs("fnwatch", "c", 0)
                .get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
    }
}
