package io.fnwatch.ops;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * The Kafka Streams properties of the service. Exactly-once ({@code exactly_once_v2}) is the default; the
 * consumer isolation and producer durability are also set explicitly so that they hold under
 * {@code at_least_once} too: Streams' consumers never read aborted records, producers are idempotent with
 * {@code acks=all}.
 */
final class StreamsSettings {

    private StreamsSettings() {
    }

    /** {@code applicationServer} is this instance's host:port for interactive queries, or null. */
    static Properties of(FnwatchConfig c, String applicationServer) {
        Properties p = new Properties();
        p.putAll(KafkaClients.common(c));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.string(FnwatchConfig.APPLICATION_ID));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.string(FnwatchConfig.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.integer(FnwatchConfig.STREAM_THREADS));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.integer(FnwatchConfig.STANDBY_REPLICAS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.longValue(FnwatchConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.string(FnwatchConfig.STATE_DIR));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, c.integer(FnwatchConfig.REPLICATION));
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // A record that cannot even be deserialized is logged and skipped instead of stopping the thread;
        // the raw topic is bytes, so in practice this covers only corrupt internal records.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // fnwatch has no global stores; enabling the handler there only silences a start-up warning
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        return p;
    }
}
