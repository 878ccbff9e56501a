package io.fnwatch.ingest.eventhubs;

import static io.fnwatch.ingest.pull.PulledLogs.azure;
import static io.fnwatch.ingest.pull.PulledLogs.azureOf;
import static io.fnwatch.ingest.pull.PulledLogs.azureRecord;
import static io.fnwatch.ingest.pull.TopicRecords.await;
import static io.fnwatch.ingest.pull.TopicRecords.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.pull.FaultyProducer;
import io.fnwatch.ingest.pull.PullHealth;
import io.fnwatch.ingest.pull.PullMeters;
import io.fnwatch.ingest.pull.PullSource;
import io.fnwatch.ingest.pull.RawWrites;
import io.fnwatch.ingest.pull.WriteGate;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The puller against the embedded broker, whose second listener takes SASL/PLAIN as Event Hubs' Kafka endpoint
 * does (user {@code $ConnectionString}, the connection string as password); fnwatch's own writes go to the plain
 * listener. The test thread drives the puller poll by poll. Each test has its own hub, tenant and consumer group.
 */
class EventHubsPullerIT {

    private static final String CONNECTION = "Endpoint=sb://fnwatch-test.servicebus.windows.net/;"
            + "SharedAccessKeyName=fnwatch-listen;SharedAccessKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    private static final String SUB = "12cabcb4-86e8-404f-a3d2-1dc9982f45ca";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka broker;
    private static KafkaProducer<byte[], byte[]> azure;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PullHealth health = new PullHealth(System::currentTimeMillis);
    private FaultyProducer producer;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafka.startTemporary(new EmbeddedKafka.PlainListener(EventHubsSettings.USER, CONNECTION));
        // Azure's diagnostic settings write through the SASL listener, as they would to Event Hubs
        EventHubsSettings writer = settings("unused", "writer", CONNECTION);
        Map<String, Object> p = new HashMap<>(writer.consumerConfig());
        p.keySet()
                .removeIf(k -> k.startsWith("group")
                        || k.contains("poll")
                        || k.contains("deserializer")
                        || k.contains("offset")
                        || k.contains("commit")
                        || k.contains("session")
                        || k.equals("client.id"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        azure = new KafkaProducer<>(p);
    }

    @AfterAll
    static void stopBroker() {
        azure.close();
        broker.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static EventHubsSettings settings(String hub, String tenant, String connection) {
        return settings(new PullSource("eventhubs", hub, tenant, List.of(SUB)), "group-" + hub, connection);
    }

    private static EventHubsSettings settings(PullSource source, String group, String connection) {
        return new EventHubsSettings(
                List.of(source),
                broker.plainBootstrapServers(),
                connection,
                "SASL_PLAINTEXT",
                group,
                "earliest",
                50,
                10_000,
                0,
                0);
    }

    private FnwatchConfig config() {
        return FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
    }

    private void hub(String name, String tenant) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
        }
        TopicAdmin.ensure(config(), List.of(tenant));
    }

    private EventHubsPuller puller(EventHubsSettings s) {
        FnwatchConfig c = config();
        producer = new FaultyProducer(RawWrites.producerConfig(c, 10_000));
        EventHubsPuller p = new EventHubsPuller(
                c,
                s,
                new KafkaConsumer<>(s.consumerConfig()),
                producer,
                new WriteGate(0, 0, () -> 0.5, System::currentTimeMillis, ms -> {}),
                registry,
                health,
                System::currentTimeMillis);
        open.add(p);
        p.subscribe();
        return p;
    }

    private static void send(String hub, int partition, byte[] event) throws Exception {
        azure.send(new ProducerRecord<>(hub, partition, null, event)).get(30, TimeUnit.SECONDS);
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    out.put(tp, o.offset());
                }
            });
            return out;
        }
    }

    private Map<TopicPartition, Long> ends(String hub) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> specs = Map.of(
                    new TopicPartition(hub, 0), OffsetSpec.latest(), new TopicPartition(hub, 1), OffsetSpec.latest());
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(specs).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** Polls until the group's committed offsets reach the end of the hub. */
    private void pullAll(EventHubsPuller p, String hub, String group) throws Exception {
        Map<TopicPartition, Long> end = ends(hub);
        end.values().removeIf(offset -> offset == 0); // nothing to commit on an empty partition
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!committed(group).equals(end)) {
            assertThat(System.nanoTime()).as("all of %s committed", hub).isLessThan(deadline);
            p.pollOnce();
        }
    }

    private List<ConsumerRecord<String, byte[]>> raw(String tenant) {
        return readAll(broker.bootstrapServers(), "fnwatch-logs-raw." + tenant);
    }

    private List<DeadLetter> deadLetters(String hub) {
        return readAll(broker.bootstrapServers(), "fnwatch-dead-letters").stream()
                .filter(r -> ("eventhubs:" + hub).equals(r.key()))
                .map(r -> Json.read(r.value(), DeadLetter.class))
                .toList();
    }

    @Test
    void shouldWriteEachFunctionsRecordsKeyedToTheHubsTenantDeadLetterPoisonAndCommitAll() throws Exception {
        hub("insights-logs-functionapplogs", "contoso");
        EventHubsSettings s = settings("insights-logs-functionapplogs", "contoso", CONNECTION);
        send(s.sources().get(0).name(), 0, azureOf(SUB, "shop", "Checkout", 0, 4));
        send(
                s.sources().get(0).name(),
                1,
                azure(List.of(
                        azureRecord(SUB, "shop", "Checkout", 10, "a"),
                        azureRecord(SUB, "shop", "Refund", 11, "b"),
                        azureRecord("99999999-0000-0000-0000-000000000000", "shop", "Refund", 12, "not ours"))));
        send(s.sources().get(0).name(), 0, "{\"records\":[{\"garbage".getBytes(StandardCharsets.UTF_8));
        send(s.sources().get(0).name(), 1, azureOf(SUB, "billing", "Invoice", 20, 2));
        EventHubsPuller puller = puller(s);

        pullAll(puller, s.sources().get(0).name(), s.consumerGroup());

        List<ConsumerRecord<String, byte[]>> raw = raw("contoso");
        assertThat(raw)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(
                        "contoso/azure/" + SUB + "/-/shop/Checkout",
                        "contoso/azure/" + SUB + "/-/shop/Checkout",
                        "contoso/azure/" + SUB + "/-/shop/Refund",
                        "contoso/azure/" + SUB + "/-/billing/Invoice");
        assertThat(deadLetters(s.sources().get(0).name()))
                .extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("BAD_FIELD", "BAD_JSON");
        // events + dead letters + skipped = log entries pulled (4 + 3 + 1 unreadable event + 2)
        PullMeters m = puller.meters(s.sources().get(0).name());
        assertThat(m.count("event") + m.count("dead_letter") + m.count("skipped"))
                .isEqualTo(10);
        assertThat(m.count("event")).isEqualTo(8);
        assertThat(m.count("messages")).isEqualTo(4);
        assertThat(health.state(s.sources().get(0))).isEqualTo(PullHealth.State.RUNNING);
    }

    @Test
    void shouldCommitOnlyAfterKafkaAcknowledgedTheRawWrites() throws Exception {
        hub("held", "held");
        EventHubsSettings s = settings("held", "held", CONNECTION);
        for (int i = 0; i < 6; i++) {
            send("held", i % 2, azureOf(SUB, "shop", "Checkout", i * 10, 3));
        }
        EventHubsPuller puller = puller(s);
        producer.hold();
        CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
            try {
                while (producer.sent() == 0) {
                    puller.pollOnce();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await("a batch's writes held", WAIT, () -> producer.held() > 0);
        assertThat(committed("group-held")).isEmpty();

        producer.releaseAll();
        polling.get(60, TimeUnit.SECONDS);
        pullAll(puller, "held", "group-held");
        assertThat(raw("held")).hasSize(6);
    }

    @Test
    void shouldReadABatchAgainAfterAFailedWriteAndWriteEachEventOnce() throws Exception {
        hub("flaky", "flaky");
        EventHubsSettings s = settings("flaky", "flaky", CONNECTION);
        for (int i = 0; i < 8; i++) {
            send("flaky", 0, azureOf(SUB, "shop", "F" + i, i, 2));
        }
        EventHubsPuller puller = puller(s);
        producer.failNext(3);

        pullAll(puller, "flaky", "group-flaky");

        List<ConsumerRecord<String, byte[]>> raw = raw("flaky");
        assertThat(raw).hasSize(8);
        assertThat(raw).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        assertThat(registry.get("fnwatch.pull.errors")
                        .tag("kind", "kafka")
                        .tag("name", "flaky")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void shouldResumeFromTheCommittedOffsetsAfterARestart() throws Exception {
        hub("restart", "restart");
        EventHubsSettings s = settings("restart", "restart", CONNECTION);
        for (int i = 0; i < 5; i++) {
            send("restart", i % 2, azureOf(SUB, "shop", "Before" + i, i, 1));
        }
        EventHubsPuller first = puller(s);
        pullAll(first, "restart", "group-restart");
        first.close();
        open.remove(first);
        for (int i = 0; i < 4; i++) {
            send("restart", i % 2, azureOf(SUB, "shop", "After" + i, i, 1));
        }

        EventHubsPuller second = puller(s);
        pullAll(second, "restart", "group-restart");

        List<ConsumerRecord<String, byte[]>> raw = raw("restart");
        assertThat(raw).hasSize(9);
        assertThat(raw).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        assertThat(second.meters("restart").count("messages")).isEqualTo(9); // 5 from the first, 4 from the second
    }

    @Test
    void shouldReportAConnectionStringTheEndpointRefuses() throws Exception {
        hub("refused", "refused");
        EventHubsSettings s = settings("refused", "refused", CONNECTION.replace("c2Vj", "bm9w"));
        EventHubsPuller puller = puller(s);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (health.state(s.sources().get(0)) != PullHealth.State.FAILING) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            puller.pollOnce();
        }
        assertThat(health.healthy()).isFalse();
        assertThat(health.describe())
                .singleElement()
                .satisfies(m -> assertThat(m.get("problem").toString()).containsIgnoringCase("authentication"));
    }
}
