package io.fnwatch.http.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.auth.KeysStore;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.http.OpsLimits;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.serde.TenantTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console as the service runs it: {@link ConsoleHandler} on the ops port, a {@link ConsoleFeed} filled by three
 * daemon threads that follow the alerts, inventory and dead-letter topics from their beginning (no consumer group:
 * every instance reads them whole), the function pages read through interactive queries, and this instance's
 * records-in counters read once a minute ({@link RecordsPerMinute}). The followers stop when the Kafka Streams
 * instance shuts down.
 */
public final class Console {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private Console() {}

    /** Starts following the topics and returns the handler to serve under {@link ConsoleHandler#PATH}. */
    public static HttpHandler start(
            FnwatchConfig c,
            KafkaStreams streams,
            DetectorConfig detectors,
            KeysStore keys,
            HostInfo self,
            MeterRegistry registry,
            OpsLimits limits) {
        ConsoleFeed feed = new ConsoleFeed(detectors, TenantTopics.from(c));
        follow(c, streams, c.string(FnwatchConfig.TOPIC_ALERTS), (k, v) -> feed.alert(Json.read(v, Alert.class)));
        follow(
                c,
                streams,
                c.string(FnwatchConfig.TOPIC_INVENTORY),
                (k, v) -> feed.inventory(
                        k, v == null ? null : HistoryJson.json(v, new TypeReference<Map<String, Object>>() {})));
        follow(
                c,
                streams,
                c.string(FnwatchConfig.TOPIC_DEAD_LETTERS),
                (k, v) -> feed.deadLetter(k, Json.read(v, DeadLetter.class)));
        FunctionReader functions = new StreamsFunctions(streams, detectors, self);
        Clock clock = Clock.systemUTC();
        RecordsPerMinute records = new RecordsPerMinute(registry, TenantTopics.from(c));
        sampleEveryMinute(records, streams, clock);
        Pages pages =
                new Pages(feed, functions, detectors, c.longValue(OpsSettings.HISTORY_RETENTION_MS), clock, records);
        return new ConsoleHandler(
                keys, new Sessions(keys, c.longValue(OpsSettings.SESSION_TTL_MS), clock), pages, functions, limits);
    }

    /** Reads the counters a second after each minute's end, on a daemon thread of its own, until Streams stops. */
    private static void sampleEveryMinute(RecordsPerMinute records, KafkaStreams streams, Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fnwatch-console-records-per-minute");
            t.setDaemon(true);
            return t;
        });
        long first = 61_000 - Math.floorMod(clock.millis(), 60_000L);
        timer.scheduleAtFixedRate(
                () -> {
                    if (stopped(streams)) {
                        timer.shutdown();
                        return;
                    }
                    try {
                        records.sample(clock.millis());
                    } catch (RuntimeException e) {
                        LOG.debug("console: could not read the records counters: {}", e.toString());
                    }
                },
                first,
                60_000,
                TimeUnit.MILLISECONDS);
    }

    private static void follow(FnwatchConfig c, KafkaStreams streams, String topic, BiConsumer<String, byte[]> sink) {
        Thread t = new Thread(
                () -> {
                    try (TopicReader reader = new TopicReader(c, topic)) {
                        reader.follow(
                                r -> {
                                    try {
                                        sink.accept(r.key(), r.value());
                                    } catch (RuntimeException unreadable) {
                                        LOG.debug("console: skipped a record of {}: {}", topic, unreadable.toString());
                                    }
                                },
                                () -> stopped(streams));
                    } catch (RuntimeException e) {
                        if (!stopped(streams)) {
                            LOG.warn("console: stopped following {}: {}", topic, e.toString());
                        }
                    }
                },
                "fnwatch-console-" + topic);
        t.setDaemon(true);
        t.start();
    }

    private static boolean stopped(KafkaStreams streams) {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.PENDING_SHUTDOWN
                || s == KafkaStreams.State.NOT_RUNNING
                || s == KafkaStreams.State.PENDING_ERROR
                || s == KafkaStreams.State.ERROR;
    }
}
