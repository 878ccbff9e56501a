package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.NotifySettings;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery end to end: a real broker, the alerts topic written in transactions, real receivers. */
class NotifyIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String SECRET = SinksTest.newSecret(31);

    private Receiver hooks;
    private Receiver alertmanager;
    private FnwatchConfig config;
    private String alerts;
    private final List<Notifier> notifiers = new ArrayList<>();

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        hooks = new Receiver();
        alertmanager = new Receiver();
        String name = info.getTestMethod().orElseThrow().getName();
        alerts = "alerts-" + name;
        Map<String, String> s = new HashMap<>();
        s.put(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        s.put(FnwatchConfig.TOPIC_ALERTS, alerts);
        s.put(NotifySettings.TOPIC_DEAD_LETTERS, "notify-dl-" + name);
        s.put(NotifySettings.GROUP_ID, "notify-" + name);
        s.put(NotifySettings.BACKOFF_BASE_MS, "20");
        s.put(NotifySettings.BACKOFF_MAX_MS, "200");
        s.put(NotifySettings.REQUEST_TIMEOUT_MS, "2000");
        config = FnwatchConfig.of(s);
        try (Admin admin = Admin.create(KafkaClients.common(config))) {
            admin.createTopics(List.of(new NewTopic(alerts, 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void tearDown() {
        notifiers.forEach(Notifier::close);
        hooks.close();
        alertmanager.close();
    }

    private Routes routes() {
        return routes(Duration.ofMinutes(10));
    }

    private Routes routes(Duration resendEvery) {
        return new Routes(
                Map.of(
                        "hook",
                        new WebhookSink("hook", hooks.uri("/hook"), List.of(Secret.of(SECRET, "t"))),
                        "am",
                        new AlertmanagerSink(
                                "am", URI.create(alertmanager.uri("").toString()), Map.of(), resendEvery, null)),
                List.of(new Route(
                        "all",
                        "*",
                        "*",
                        Set.of(),
                        io.fnwatch.model.Severity.LOW,
                        Set.of(Notice.Kind.OPEN, Notice.Kind.UPDATE, Notice.Kind.RESOLVED),
                        List.of("hook", "am"),
                        0)));
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Notifier start() {
        return start(routes());
    }

    private Notifier start(Routes routes) {
        Notifier n = Notifier.start(config, routes, registry);
        notifiers.add(n);
        return n;
    }

    /** Writes {@code committed} in one transaction and {@code aborted} in one that is aborted. */
    private void write(List<Alert> committed, List<Alert> aborted, byte[]... raw) throws Exception {
        Map<String, Object> p = KafkaClients.producer(config);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "writer-" + alerts);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            if (!aborted.isEmpty()) {
                producer.beginTransaction();
                aborted.forEach(
                        a -> producer.send(new ProducerRecord<>(alerts, a.key().asString(), Json.bytes(a))));
                producer.flush();
                producer.abortTransaction();
            }
            producer.beginTransaction();
            committed.forEach(
                    a -> producer.send(new ProducerRecord<>(alerts, a.key().asString(), Json.bytes(a))));
            for (byte[] r : raw) {
                producer.send(new ProducerRecord<>(alerts, "garbage", r));
            }
            producer.commitTransaction();
        }
    }

    private static List<Alert> incidents(int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String f = "fn-" + i;
            out.addAll(List.of(Alerts.open(f), Alerts.update(f), Alerts.resolved(f)));
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20); // polling interval of a condition wait
        }
    }

    private Map<String, List<String>> hookTypesByFunction() {
        return hooks.requests().stream()
                .map(r -> Json.read(r.body().getBytes(), JsonNode.class))
                .collect(Collectors.groupingBy(
                        b -> b.get("data").get("function").asText(),
                        Collectors.mapping(b -> b.get("type").asText(), Collectors.toList())));
    }

    private long committedTotal() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.common(config))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                            config.string(NotifySettings.GROUP_ID))
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.values().stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private List<JsonNode> deadLetters() {
        List<JsonNode> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(config, config.string(NotifySettings.TOPIC_DEAD_LETTERS))) {
            reader.readToEnd(r -> out.add(Json.read(r.value(), JsonNode.class)));
        }
        return out;
    }

    @Test
    void everyCommittedStateChangeReachesEverySinkInOrderAndAbortedOnesNever() throws Exception {
        List<Alert> sent = incidents(5);
        write(sent, List.of(Alerts.open("aborted-fn")), "not json".getBytes());
        start();

        await(
                "15 webhooks and 15 Alertmanager posts",
                () -> hooks.requests().size() >= 15 && alertmanager.requests().size() >= 15);

        Map<String, List<String>> byFunction = hookTypesByFunction();
        assertThat(byFunction).doesNotContainKey("aborted-fn").hasSize(5);
        byFunction
                .values()
                .forEach(types -> assertThat(types)
                        .containsExactly("fnwatch.alert.opened", "fnwatch.alert.updated", "fnwatch.alert.resolved"));
        assertThat(hooks.requests().stream().map(r -> r.headers().get("webhook-id")))
                .hasSize(15)
                .doesNotHaveDuplicates();
        assertThat(hooks.requests())
                .allMatch(r -> WebhookVerifier.verify(
                        SECRET,
                        r.headers(),
                        r.body(),
                        Long.parseLong(r.headers().get("webhook-timestamp"))));
        // every record read is committed once delivered: 15 alerts, 1 unreadable, and the transaction markers
        await("offsets committed", () -> {
            try {
                return committedTotal() >= 16;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(registry.get("fnwatch.notify.deliveries")
                        .tag("sink", "hook")
                        .counter()
                        .count())
                .isEqualTo(15);
        assertThat(registry.get("fnwatch.notify.latency")
                        .tag("sink", "am")
                        .timer()
                        .count())
                .isEqualTo(15);
        assertThat(registry.get("fnwatch.notify.unreadable").counter().count()).isEqualTo(1);
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.get("kind").asText()).isEqualTo("UNREADABLE");
            assertThat(d.get("lastError").asText()).contains("is not alert JSON");
        });
    }

    @Test
    void aRestartedInstanceDeliversWhatTheStoppedOneCouldNot() throws Exception {
        hooks.always(Receiver.Answer.status(503));
        List<Alert> sent = incidents(4);
        write(sent, List.of());
        Notifier first = start();
        await("Alertmanager got all 12", () -> alertmanager.requests().size() >= 12);
        await("the webhook was tried", () -> !hooks.requests().isEmpty());
        first.close();
        notifiers.remove(first);

        hooks.always(Receiver.Answer.ok());
        start();
        await("every function's RESOLVED accepted", () -> {
            Map<String, List<String>> byFn = hookTypesByFunction();
            return byFn.size() == 4 && byFn.values().stream().allMatch(l -> l.contains("fnwatch.alert.resolved"));
        });

        // whatever was attempted twice carries the same webhook-id: the receiver sees each state change once
        Set<String> expectedIds =
                sent.stream().map(a -> Notice.of(a, false, "all").key()).collect(Collectors.toSet());
        assertThat(hooks.requests().stream()
                        .map(r -> r.headers().get("webhook-id"))
                        .collect(Collectors.toSet()))
                .isEqualTo(expectedIds);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aRestartedInstanceKeepsReSendingWhatIsStillOpenToAlertmanagerAndCallsItsNextChangeAnUpdate() throws Exception {
        // a record that is no alert among them: dead-lettered once, and skipped when read back after the restart
        write(
                List.of(Alerts.open("still-open"), Alerts.open("closed"), Alerts.resolved("closed")),
                List.of(),
                "{\"id\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Notifier first = start(routes(Duration.ofMinutes(10)));
        await("the three changes delivered and all four records committed", () -> {
            try {
                return alertmanager.requests().size() >= 3 && committedTotal() == 4;
            } catch (Exception e) {
                return false;
            }
        });
        first.close();
        notifiers.remove(first);
        int before = alertmanager.requests().size();

        // a second later the restarted instance re-sends what is open, without any new alert
        start(routes(Duration.ofSeconds(1)));
        await("a re-send after the restart", () -> alertmanager.requests().size() > before);
        JsonNode resend = Json.read(alertmanager.requests().get(before).body().getBytes(), JsonNode.class);
        assertThat(resend).hasSize(1);
        assertThat(resend.get(0).get("labels").get("function").asText()).isEqualTo("still-open");
        assertThat(resend.get(0).get("labels").get("fnwatch_id").asText())
                .isEqualTo(Alerts.open("still-open").id());

        write(List.of(Alerts.update("still-open")), List.of());
        await(
                "the update delivered",
                () -> hookTypesByFunction()
                                .getOrDefault("still-open", List.of())
                                .size()
                        == 2);
        assertThat(hookTypesByFunction().get("still-open"))
                .containsExactly("fnwatch.alert.opened", "fnwatch.alert.updated");
        assertThat(deadLetters()).hasSize(1); // the unreadable record, by the first instance only
    }
}
