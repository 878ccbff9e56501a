package io.fnwatch.ops;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.topology.FnwatchTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: an optional embedded broker, the topics, and the Kafka Streams application of
 * {@link FnwatchTopology}. {@link #close()} shuts down in reverse order.
 */
public final class FnwatchService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FnwatchService.class);

    private final FnwatchConfig config;
    private final EmbeddedKafka broker;
    private final KafkaStreams streams;

    private FnwatchService(FnwatchConfig config, EmbeddedKafka broker, KafkaStreams streams) {
        this.config = config;
        this.broker = broker;
        this.streams = streams;
    }

    /** Starts a broker when {@code bootstrap.servers} is empty; returns the config pointing at it. */
    public static Started startBroker(FnwatchConfig config, boolean temporary) throws IOException {
        if (!config.string(FnwatchConfig.BOOTSTRAP_SERVERS).isEmpty()) {
            return new Started(config, null);
        }
        EmbeddedKafka broker = temporary ? EmbeddedKafka.startTemporary()
                : EmbeddedKafka.start(Path.of(config.string(FnwatchConfig.EMBEDDED_DATA_DIR)),
                        config.integer(FnwatchConfig.EMBEDDED_PORT), false);
        LOG.info("embedded Kafka broker listening on {}", broker.bootstrapServers());
        return new Started(config.with(FnwatchConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()), broker);
    }

    /** A broker (maybe null, when external) and the config that reaches it. */
    public record Started(FnwatchConfig config, EmbeddedKafka broker) {
    }

    /**
     * Creates missing topics, starts the streams application and waits until it is RUNNING. The service owns
     * the started broker from here on: it is closed with the service, or at once if starting fails.
     */
    public static FnwatchService start(Started started, DetectorConfig detectors, Duration timeout)
            throws InterruptedException {
        try {
            return startStreams(started, detectors, timeout);
        } catch (RuntimeException | InterruptedException e) {
            if (started.broker() != null) {
                started.broker().close();
            }
            throw e;
        }
    }

    private static FnwatchService startStreams(Started started, DetectorConfig detectors, Duration timeout)
            throws InterruptedException {
        FnwatchConfig config = started.config();
        TopicAdmin.ensure(config);
        KafkaStreams streams = new KafkaStreams(FnwatchTopology.build(config, detectors), streamsProperties(config));
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.set(e);
            LOG.error("stream thread failed; replacing it: {}", e.toString());
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
                || streams.state() == KafkaStreams.State.ERROR) {
            streams.close(Duration.ofSeconds(10));
            throw new IllegalStateException("streams did not reach RUNNING within " + timeout + " (state "
                    + streams.state() + (failure.get() == null ? "" : ", " + failure.get()) + ")");
        }
        return new FnwatchService(config, started.broker(), streams);
    }

    public static Properties streamsProperties(FnwatchConfig c) {
        Properties p = new Properties();
        Map<String, Object> common = KafkaClients.common(c);
        p.putAll(common);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.string(FnwatchConfig.APPLICATION_ID));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.string(FnwatchConfig.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.integer(FnwatchConfig.STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.longValue(FnwatchConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.string(FnwatchConfig.STATE_DIR));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, c.integer(FnwatchConfig.REPLICATION));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // the CloudWatch puller writes raw records in transactions: even at_least_once must skip aborted ones
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        return p;
    }

    public FnwatchConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }


    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (broker != null) {
            broker.close();
        }
    }
}
