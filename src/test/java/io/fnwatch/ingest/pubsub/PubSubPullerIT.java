package io.fnwatch.ingest.pubsub;

import static io.fnwatch.ingest.pull.PulledLogs.gcp;
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
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The puller with the real Pub/Sub client library (streaming pull over gRPC/HTTP2 on 127.0.0.1, through the
 * emulator endpoint setting) against {@link LocalPubSub}, writing to the real broker. Each test has its own tenant,
 * so its own raw topic.
 */
class PubSubPullerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> open = new ArrayList<>();
    private LocalPubSub server;
    private FnwatchConfig config;
    private FaultyProducer producer;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PullHealth health = new PullHealth(System::currentTimeMillis);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private PubSubPuller puller(LocalPubSub server, PullSource source, long maxOutstanding) throws Exception {
        config = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers()));
        server.createSubscription(source.name());
        TopicAdmin.ensure(config, List.of(source.tenant()));
        PubSubSettings s = new PubSubSettings(
                List.of(source), server.endpoint(), "", maxOutstanding, 64L << 20, 1, 1000, 600_000, 10_000, 0, 0);
        producer = new FaultyProducer(RawWrites.producerConfig(config, 10_000));
        WriteGate gate = new WriteGate(0, 0, () -> 0.5, System::currentTimeMillis, ms -> {});
        PubSubPuller p = new PubSubPuller(
                config, s, registry, health, new PubSubPuller.Options(producer, gate, System::currentTimeMillis));
        p.startAll();
        open.add(p);
        return p;
    }

    private LocalPubSub server(boolean flowControl) throws Exception {
        server = flowControl ? LocalPubSub.start() : LocalPubSub.startWithoutFlowControl();
        open.add(server);
        return server;
    }

    private static String sub(String name) {
        return "projects/acme-prod/subscriptions/" + name;
    }

    private List<ConsumerRecord<String, byte[]>> raw(String tenant) {
        return readAll(KAFKA.bootstrapServers(), "fnwatch-logs-raw." + tenant);
    }

    private List<DeadLetter> deadLetters(PullSource s) {
        return readAll(KAFKA.bootstrapServers(), "fnwatch-dead-letters").stream()
                .filter(r -> ("pubsub:" + s.name()).equals(r.key()))
                .map(r -> Json.read(r.value(), DeadLetter.class))
                .toList();
    }

    private static Set<String> insertIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(r -> Json.read(r.value(), Map.class).get("insertId").toString())
                .collect(Collectors.toSet());
    }

    @Test
    void shouldWriteEachEntryKeyedByItsFunctionToTheSubscriptionsTenantAndAckItAfterward() throws Exception {
        LocalPubSub server = server(true);
        PullSource source = new PullSource("pubsub", sub("deliver"), "acme", List.of("acme-prod"));
        for (int i = 0; i < 30; i++) {
            server.publish(source.name(), gcp("acme-prod", "svc-" + (i % 3), "d" + i, i));
        }
        server.publish(source.name(), "not a log entry".getBytes(StandardCharsets.UTF_8));
        server.publish(source.name(), gcp("rival-prod", "svc-0", "r1", 1));
        PubSubPuller puller = puller(server, source, 100);

        await("every message acknowledged", WAIT, () -> server.acks() == 32);

        List<ConsumerRecord<String, byte[]>> raw = raw("acme");
        assertThat(raw).hasSize(30);
        assertThat(raw)
                .extracting(ConsumerRecord::key)
                .containsOnly(
                        "acme/gcp/acme-prod/us-central1/svc-0",
                        "acme/gcp/acme-prod/us-central1/svc-1",
                        "acme/gcp/acme-prod/us-central1/svc-2");
        List<DeadLetter> dead = deadLetters(source);
        assertThat(dead).extracting(DeadLetter::reason).containsExactlyInAnyOrder("UNKNOWN_FORMAT", "BAD_FIELD");
        // the accounting identity over the pulled batch: events + dead letters + skipped = log entries
        PullMeters m = puller.meters(source);
        assertThat(m.count("event") + m.count("dead_letter") + m.count("skipped"))
                .isEqualTo(32);
        assertThat(m.count("event")).isEqualTo(raw.size());
        assertThat(m.count("messages")).isEqualTo(32);
        assertThat(health.state(source)).isEqualTo(PullHealth.State.RUNNING);
        assertThat(registry.get("fnwatch.pull.bytes")
                        .tag("name", source.name())
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void shouldNackWhatKafkaFailedToTakeAndWriteItOnceWhenRedelivered() throws Exception {
        LocalPubSub server = server(true);
        PullSource source = new PullSource("pubsub", sub("redeliver"), "redeliver", List.of());
        PubSubPuller puller = puller(server, source, 100);
        producer.failNext(4);
        for (int i = 0; i < 10; i++) {
            server.publish(source.name(), gcp("acme-prod", "checkout", "n" + i, i));
        }

        await("every message acknowledged", WAIT, () -> server.acks() == 10);

        assertThat(server.nacks()).isEqualTo(4);
        List<ConsumerRecord<String, byte[]>> raw = raw("redeliver");
        assertThat(raw).hasSize(10);
        assertThat(insertIds(raw)).hasSize(10);
        assertThat(registry.get("fnwatch.pull.errors")
                        .tag("name", source.name())
                        .tag("kind", "kafka")
                        .counter()
                        .count())
                .isEqualTo(4);
        assertThat(puller.meters(source).count("event")).isEqualTo(10);
    }

    @Test
    void shouldAckACopyOfAnEntryAlreadyWrittenWithoutWritingItAgain() throws Exception {
        LocalPubSub server = server(true);
        PullSource source = new PullSource("pubsub", sub("dupes"), "dupes", List.of());
        PubSubPuller puller = puller(server, source, 100);
        server.publish(source.name(), gcp("acme-prod", "checkout", "same", 1));
        await("first copy acknowledged", WAIT, () -> server.acks() == 1);

        // the sink published the entry again (new message id), and a copy of another arrives with its original
        server.publish(source.name(), gcp("acme-prod", "checkout", "same", 1));
        server.publish(source.name(), gcp("acme-prod", "checkout", "other", 2));
        server.publish(source.name(), gcp("acme-prod", "checkout", "other", 2));
        await("all acknowledged", WAIT, () -> server.acks() == 4);

        assertThat(insertIds(raw("dupes"))).containsExactlyInAnyOrder("same", "other");
        assertThat(raw("dupes")).hasSize(2);
        assertThat(puller.meters(source).count("duplicates")).isEqualTo(2);
    }

    @Test
    void shouldStopReceivingAtTheOutstandingLimitWhileKafkaHoldsTheWrites() throws Exception {
        // the server pushes everything: only the client's flow control keeps the receiver at 5 in hand
        LocalPubSub server = server(false);
        PullSource source = new PullSource("pubsub", sub("flow"), "flow", List.of());
        PubSubPuller puller = puller(server, source, 5);
        producer.hold();
        for (int i = 0; i < 40; i++) {
            server.publish(source.name(), gcp("acme-prod", "checkout", "f" + i, i));
        }
        await("five writes held", WAIT, () -> producer.held() == 5);
        await("every message pushed to the client", WAIT, () -> server.deliveries() >= 40);
        assertThat(server.requestedMaxOutstanding()).isEqualTo(5);
        assertThat(server.acks()).isZero();

        producer.release(1);
        await("one acknowledged and one more taken", WAIT, () -> server.acks() == 1 && producer.held() == 5);
        assertThat(producer.sent()).isEqualTo(6);

        producer.releaseAll();
        await("all acknowledged", WAIT, () -> server.acks() == 40);
        assertThat(producer.maxHeld()).isEqualTo(5);
        assertThat(raw("flow")).hasSize(40);
    }

    @Test
    void shouldLoseNothingWhenKilledWhilePulling() throws Exception {
        LocalPubSub server = server(true);
        PullSource source = new PullSource("pubsub", sub("kill"), "kill", List.of());
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            server.publish(source.name(), gcp("acme-prod", "svc-" + (i % 7), "k" + i, i));
            all.add("k" + i);
        }
        PubSubPuller first = puller(server, source, 20);
        await("some acknowledged", WAIT, () -> server.acks() >= 50);
        // Kafka stalls: the messages in hand fill the outstanding window, none of them written
        producer.hold();
        await("the window full of unwritten messages", WAIT, () -> producer.held() >= 20);

        server.kill();
        Set<String> ackedBeforeKill = server.acked();
        // nothing acknowledged is missing from the raw topic: a message is acked only after Kafka took it
        Set<String> onRaw = insertIds(raw("kill"));
        Set<String> ackedEntries = ackedBeforeKill.stream()
                .map(id -> "k" + (Integer.parseInt(id) - 1))
                .collect(Collectors.toSet());
        assertThat(onRaw).containsAll(ackedEntries);
        assertThat(ackedEntries).hasSizeLessThan(300);
        producer.releaseAll();
        first.close();
        open.remove(first);

        // what the dead client held is delivered again to the next one
        server.revive();
        puller(server, source, 20);
        await("every message acknowledged", WAIT, () -> server.unacked() == 0);
        assertThat(insertIds(raw("kill"))).isEqualTo(all);
    }
}
