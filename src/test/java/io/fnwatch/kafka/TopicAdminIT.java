package io.fnwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code TopicAdmin.ensure} returns only once the topics it created are served: a producer that does not retry
 * can write to every partition of each at once. Without the wait, a write right after creation could meet
 * NOT_LEADER_OR_FOLLOWER, and an idempotent producer retrying it then OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
class TopicAdminIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void shouldReturnOnlyWhenEveryNewPartitionTakesWritesAtOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            FnwatchConfig c = FnwatchConfig.of(Map.of(
                    FnwatchConfig.BOOTSTRAP_SERVERS,
                    KAFKA.bootstrapServers(),
                    FnwatchConfig.PARTITIONS,
                    "6",
                    FnwatchConfig.APPLICATION_ID,
                    "ensure-" + round,
                    FnwatchConfig.TOPIC_RAW,
                    "ensure-raw-" + round,
                    FnwatchConfig.TOPIC_ALERTS,
                    "ensure-alerts-" + round));

            List<String> created = TopicAdmin.ensure(c);

            assertThat(created).contains("ensure-raw-" + round, "ensure-alerts-" + round);
            Map<String, Object> p = KafkaClients.producer(c);
            p.put(ProducerConfig.RETRIES_CONFIG, 0);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
                    Admin admin = Admin.create(KafkaClients.common(c))) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                Map<String, Integer> partitions = new HashMap<>();
                admin.describeTopics(created)
                        .allTopicNames()
                        .get()
                        .forEach(
                                (name, d) -> partitions.put(name, d.partitions().size()));
                partitions.forEach((topic, n) -> {
                    for (int i = 0; i < n; i++) {
                        sent.add(producer.send(new ProducerRecord<>(topic, i, "k", new byte[] {1})));
                    }
                });
                for (Future<RecordMetadata> f : sent) {
                    assertThat(f.get(30, TimeUnit.SECONDS).offset()).isZero(); // no retry: a refusal throws here
                }
            }
        }
    }
}
