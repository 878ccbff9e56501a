package io.fnwatch.service;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.topology.ParseAhead;
import java.util.List;
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
public final class StreamsSettings {

    /** How long a broker may be away before a stream thread gives up on a send or its transaction (3 min). */
    static final int OUTAGE_MS = 180_000;
    /** Producer linger of the stream threads (Kafka Streams' default): batches fill instead of one per 5 ms per partition. */
    static final int PRODUCER_LINGER_MS = 100;
    /** Producer batch size of the stream threads: a commit writes out ~2 KB per changed function. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private static final List<String> CLIENT_PREFIXES = List.of(
            StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX);
    private static final List<String> ENFORCED = List.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);

    private StreamsSettings() {}

    /** {@code applicationServer} is this instance's host:port for interactive queries, or null. */
    public static Properties of(FnwatchConfig c, String applicationServer) {
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
        // No idling for empty input partitions: the detectors order each function's events by event time with
        // a grace, so waiting for the repartition topic (empty when producers key by function) buys nothing,
        // and Streams' idling check formats log strings for every record it decides on.
        p.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A record that cannot even be deserialized is logged and skipped instead of stopping the thread;
        // the raw topic is bytes, so in practice this covers only corrupt internal records.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // The raw source is a pattern over every tenant's raw topic; a topic created later is found at the next
        // metadata refresh (client default 5 min), then read from its beginning. A minute is soon enough.
        if (!p.containsKey(ConsumerConfig.METADATA_MAX_AGE_CONFIG)) {
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 60_000);
        }
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        // Ride out a broker outage of a few minutes: with the client default of 60 s a send times out, the
        // stream thread fails and is replaced mid-transaction. Kept below max.poll.interval.ms (5 min) so
        // that a thread blocked in send is not also thrown out of the group.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), OUTAGE_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), OUTAGE_MS);
        // And keep the transaction open as long: with Streams' 10 s the restarted broker aborts the transaction
        // a thread had open when the outage began, and the producer retried its sends into the aborted
        // transaction (OUT_OF_ORDER_SEQUENCE_NUMBER after a one-minute outage), which can commit the rest of it
        // without the part written before. The cost: a killed instance's open transaction holds up the
        // instance taking its partitions over for as long (docs/operations.md).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), OUTAGE_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Few, full batches: every new lz4 batch allocates two 64 KiB blocks, and with a 5 ms linger and 16 KiB
        // batches the stream thread opened thousands a second across its changelogs and repartition topics
        // (6 % of its time). Under exactly-once nothing is visible before the commit anyway; 100 ms is Kafka
        // Streams' own default linger.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        if (c.bool(FnwatchConfig.PARSE_AHEAD)) {
            p.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
                    ParseAhead.class.getName());
            // Streams processes every polled record before it polls again, so the parser thread and the stream
            // thread start each poll together and the stream thread parses what the parser thread has not
            // reached yet (13-18 % of records with Streams' 1,000). Five times fewer polls, five times fewer
            // such starts: 5 % less CPU per record in the stream thread, 3 % shorter rounds (A/B in one JVM).
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
        }
        explicitClientSettings(c, p);
        return p;
    }

    /** Records a poll of the main consumer returns at most, with parsing one poll ahead. */
    static final int MAX_POLL_RECORDS = 5_000;

    /**
     * A {@code kafka.producer.*} or {@code kafka.main.consumer.*} (etc.) setting names one of Streams'
     * clients on purpose, so it wins over the defaults above — except the three that make the guarantees.
     */
    private static void explicitClientSettings(FnwatchConfig c, Properties p) {
        c.kafkaClientOverrides().forEach((k, v) -> {
            boolean forAClient = CLIENT_PREFIXES.stream().anyMatch(k::startsWith);
            boolean guarantee = ENFORCED.stream().anyMatch(k::endsWith);
            if (forAClient && !guarantee) {
                p.put(k, v);
            }
        });
    }
}
