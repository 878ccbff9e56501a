package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.FanOutBomb;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.service.FnwatchService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out bombs on the Kafka path: the production topology on a real broker reads them from the raw topic
 * between good records, dead-letters each once as TOO_LARGE and goes on: the good records' alerts and
 * inventory arrive and the stream is still RUNNING (before the budget, one such record ran the JVM out of
 * memory, and again after every restart).
 */
class PoisonRecordsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path state;

    @Test
    void shouldDeadLetterTheBombsAndKeepRunningWhenTheyArriveBetweenGoodRecords() throws Exception {
        FnwatchConfig c = FnwatchConfig.of(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                FnwatchConfig.APPLICATION_ID, "fnwatch-it-bombs",
                FnwatchConfig.STATE_DIR, state.toString(),
                OpsSettings.HTTP_PORT, "0",
                OpsSettings.INTERNAL_PORT, "0"));
        List<PoisonRecordsTest.Input> good = PoisonRecordsTest.goodRecords();
        byte[] events = FanOutBomb.eventBomb().bytes();
        byte[] inflations = FanOutBomb.inflationBomb().bytes();
        long bombTime = good.get(good.size() / 4).timestamp();
        List<PoisonRecordsTest.Input> mixed = new ArrayList<>(good);
        mixed.add(good.size() / 4, new PoisonRecordsTest.Input(null, events, bombTime, "TOO_LARGE"));
        mixed.add(good.size() / 4 + 1, new PoisonRecordsTest.Input(null, inflations, bombTime, "TOO_LARGE"));

        try (FnwatchService service = FnwatchService.start(
                new FnwatchService.Started(c, null),
                DetectorConfig.load(Path.of("detectors"), 300_000),
                Duration.ofMinutes(2))) {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
                List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
                for (PoisonRecordsTest.Input i : mixed) {
                    sent.add(producer.send(new ProducerRecord<>(
                            c.string(FnwatchConfig.TOPIC_RAW), null, i.timestamp(), i.key(), i.value())));
                }
                for (java.util.concurrent.Future<?> f : sent) {
                    f.get();
                }
            }
            assertThat(CatchUp.await(c, Duration.ofMinutes(3), () -> {}))
                    .as("caught up")
                    .isTrue();

            assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            List<DeadLetter> dead = new ArrayList<>();
            read(c, FnwatchConfig.TOPIC_DEAD_LETTERS, v -> dead.add(Json.read(v, DeadLetter.class)));
            assertThat(dead).extracting(DeadLetter::reason).containsExactly("TOO_LARGE", "TOO_LARGE");
            assertThat(dead)
                    .extracting(DeadLetter::payloadBytes)
                    .containsExactlyInAnyOrder(events.length, inflations.length);
            List<Alert> alerts = new ArrayList<>();
            read(c, FnwatchConfig.TOPIC_ALERTS, v -> alerts.add(Json.read(v, Alert.class)));
            assertThat(alerts)
                    .as("alerts of the good records after the bombs")
                    .anyMatch(a -> a.detectedAt().toEpochMilli() > bombTime);
            Set<String> inventory = new HashSet<>();
            try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_INVENTORY))) {
                r.readToEnd(rec -> inventory.add(rec.key()));
            }
            assertThat(inventory).contains(good.get(0).key());
        }
    }

    private static void read(FnwatchConfig c, String topic, java.util.function.Consumer<byte[]> sink) {
        try (TopicReader r = new TopicReader(c, c.string(topic))) {
            r.readToEnd(rec -> sink.accept(rec.value()));
        }
    }
}
