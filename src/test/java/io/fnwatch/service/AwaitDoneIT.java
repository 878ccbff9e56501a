package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ScaleOutIT flake on its own, with plain producers in the roles of the two instances: the killed
 * instance left a transaction open on the dead letters; the survivor redid that work, wrote the same dead
 * letter and committed it with the input offset. The service has then caught up and the alerts are settled,
 * which is all the harness used to wait for, yet a read_committed read of the dead letters stops at the
 * open transaction and misses the survivor's committed one, until the broker aborts the killed instance's
 * transaction when its timeout has passed. {@link CrashHarness#awaitDone} must wait for that.
 */
@Tag("slow")
class AwaitDoneIT {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** Long enough that the checks of the flake's state run well before the broker aborts. */
    private static final int KILLED_TRANSACTION_TIMEOUT_MS = 30_000;

    @Test
    void shouldWaitUntilAKilledInstancesOpenTransactionNoLongerHidesTheSurvivorsDeadLetters() throws Exception {
        CrashHarness h = new CrashHarness(KAFKA.bootstrapServers(), dir);
        FnwatchConfig c = h.config(h.instance(h.settings("hang", "exactly_once_v2"), "a"));
        TopicAdmin.ensure(c);
        String raw = c.string(FnwatchConfig.TOPIC_RAW);
        String dead = c.string(FnwatchConfig.TOPIC_DEAD_LETTERS);
        byte[] poison = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> replay = new KafkaProducer<>(KafkaClients.producer(c))) {
            replay.send(new ProducerRecord<>(raw, 0, null, poison)).get();
        }
        ProducerRecord<String, byte[]> deadLetter = new ProducerRecord<>(dead, 0, null, deadLetterOf(raw, poison));

        try (KafkaProducer<String, byte[]> killed = transactional(c, "killed");
                KafkaProducer<String, byte[]> survivor = transactional(c, "survivor");
                KafkaProbe probe = new KafkaProbe(c)) {
            killed.initTransactions();
            killed.beginTransaction();
            killed.send(deadLetter).get(); // written, never committed: the instance died here
            survivor.initTransactions();
            survivor.beginTransaction();
            survivor.send(deadLetter).get();
            survivor.sendOffsetsToTransaction(
                    Map.of(new TopicPartition(raw, 0), new OffsetAndMetadata(1)),
                    new ConsumerGroupMetadata(c.string(FnwatchConfig.APPLICATION_ID)));
            survivor.commitTransaction();

            // the state the flaky run was read in: caught up, alerts settled, the committed dead letter unseen
            assertThat(CatchUp.await(c, Duration.ofMinutes(1), () -> {})).isTrue();
            assertThat(probe.settled(c.string(FnwatchConfig.TOPIC_ALERTS))).isTrue();
            assertThat(probe.openTransactions()).contains("fnwatch-hang-killed");
            assertThat(RunOutput.read(c).deadLetters())
                    .as("read while the killed transaction is open")
                    .isEmpty();

            CrashHarness.awaitDone(c, probe, () -> "");

            assertThat(RunOutput.read(c).deadLetters())
                    .as("the survivor's dead letter, once")
                    .isEqualTo(Map.of("UNKNOWN_FORMAT " + Base64.getEncoder().encodeToString(poison), 1));
            assertThat(probe.openTransactions())
                    .as("the broker aborted the killed instance's transaction")
                    .isEmpty();
        }
    }

    private static byte[] deadLetterOf(String raw, byte[] payload) {
        return Json.bytes(new DeadLetter(
                "UNKNOWN_FORMAT",
                "not a known log format",
                null,
                Instant.parse("2026-03-10T00:00:00Z"),
                raw,
                0,
                0L,
                Base64.getEncoder().encodeToString(payload),
                payload.length,
                false));
    }

    private static KafkaProducer<String, byte[]> transactional(FnwatchConfig c, String instance) {
        Map<String, Object> p = new HashMap<>(KafkaClients.producer(c));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, c.string(FnwatchConfig.APPLICATION_ID) + "-" + instance);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, KILLED_TRANSACTION_TIMEOUT_MS);
        return new KafkaProducer<>(p);
    }
}
