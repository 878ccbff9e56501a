package io.fnwatch.bench;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.PullConfig;
import io.fnwatch.ingest.eventhubs.EventHubsPuller;
import io.fnwatch.ingest.eventhubs.EventHubsSettings;
import io.fnwatch.ingest.pubsub.LocalPubSub;
import io.fnwatch.ingest.pubsub.PubSubPuller;
import io.fnwatch.ingest.pull.PullHealth;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench pullers}: messages per second the Pub/Sub and Event Hubs pullers move into Kafka, each from a
 * backlog waiting on a local source: {@link LocalPubSub} on 127.0.0.1 (the real client library, streaming pull over
 * gRPC, through {@code pubsub.emulator.endpoint}) and the embedded broker's SASL/PLAIN listener standing in for the
 * Event Hubs Kafka endpoint. The clock runs from the puller's start until every message's records are acknowledged
 * by Kafka (Pub/Sub: the message acknowledged; Event Hubs: its entries counted written). Pub/Sub messages are one
 * Cloud Run LogEntry each, of 200 services; Event Hubs events are diagnostic-settings batches of 20
 * FunctionAppLogs records of 5 functions of one app (so each event is split by function).
 */
public final class PullersBench {

    private static final long T0 = 1_772_409_600_000L;
    private static final String SUBSCRIPTION = "projects/bench-prod/subscriptions/fnwatch-logs";
    private static final String HUB = "insights-logs-functionapplogs";
    private static final String CONNECTION = "Endpoint=sb://bench.servicebus.windows.net/;"
            + "SharedAccessKeyName=fnwatch-listen;SharedAccessKey=YmVuY2gta2V5";
    private static final int RECORDS_PER_EVENT = 20;

    private final long maxOutstanding;

    /** @param maxOutstanding {@code pubsub.max.outstanding.messages} of the Pub/Sub run */
    public PullersBench(long maxOutstanding) {
        this.maxOutstanding = maxOutstanding;
    }

    public Map<String, Object> run(int messages, int events, PrintStream log) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (EmbeddedKafka broker =
                EmbeddedKafka.startTemporary(new EmbeddedKafka.PlainListener(EventHubsSettings.USER, CONNECTION))) {
            FnwatchConfig base = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
            TopicAdmin.ensure(base);
            if (messages > 0) {
                out.put("pubsub", pubSub(base, messages, maxOutstanding, log));
            }
            if (events > 0) {
                out.put("eventhubs", eventHubs(base, broker, events, log));
            }
        }
        return out;
    }

    private static Map<String, Object> pubSub(FnwatchConfig base, int messages, long maxOutstanding, PrintStream log)
            throws Exception {
        try (LocalPubSub server = LocalPubSub.start()) {
            SplittableRandom random = new SplittableRandom(19);
            long bytes = 0;
            for (int i = 0; i < messages; i++) {
                byte[] entry = gcpEntry(random, i);
                bytes += entry.length;
                server.publish(SUBSCRIPTION, entry);
            }
            log.printf("pubsub: %d messages (%d bytes) waiting on %s%n", messages, bytes, server.endpoint());
            FnwatchConfig c = FnwatchConfig.of(Map.of(
                    FnwatchConfig.BOOTSTRAP_SERVERS,
                    base.string(FnwatchConfig.BOOTSTRAP_SERVERS),
                    PullConfig.PUBSUB_ENABLED,
                    "true",
                    PullConfig.PUBSUB_SUBSCRIPTIONS,
                    SUBSCRIPTION,
                    PullConfig.PUBSUB_ENDPOINT,
                    server.endpoint(),
                    PullConfig.PUBSUB_MAX_OUTSTANDING_MESSAGES,
                    String.valueOf(maxOutstanding)));
            MeterRegistry registry = new SimpleMeterRegistry();
            long start = System.nanoTime();
            try (PubSubPuller p = PubSubPuller.start(c, registry, new PullHealth(System::currentTimeMillis))) {
                awaitCount("pubsub", messages, server::acks, start, log);
            }
            long elapsed = System.nanoTime() - start;
            Map<String, Object> r = result(messages, messages, bytes, elapsed, registry);
            r.put("maxOutstandingMessages", maxOutstanding);
            return r;
        }
    }

    private static Map<String, Object> eventHubs(FnwatchConfig base, EmbeddedKafka broker, int events, PrintStream log)
            throws Exception {
        try (Admin admin =
                Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(HUB, 4, (short) 1))).all().get();
        }
        SplittableRandom random = new SplittableRandom(19);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> azure = new KafkaProducer<>(azureProducer(broker))) {
            for (int i = 0; i < events; i++) {
                byte[] event = azureEvent(random, i);
                bytes += event.length;
                azure.send(new ProducerRecord<>(HUB, event));
            }
            azure.flush();
        }
        log.printf("eventhubs: %d events (%d bytes) waiting on %s%n", events, bytes, broker.plainBootstrapServers());
        Map<String, String> settings = new HashMap<>();
        settings.put(FnwatchConfig.BOOTSTRAP_SERVERS, base.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        settings.put(PullConfig.EVENTHUBS_ENABLED, "true");
        settings.put(PullConfig.EVENTHUBS_HUBS, HUB);
        settings.put(PullConfig.EVENTHUBS_BOOTSTRAP_SERVERS, broker.plainBootstrapServers());
        settings.put(PullConfig.EVENTHUBS_SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        settings.put(PullConfig.EVENTHUBS_CONNECTION_STRING, CONNECTION);
        settings.put(PullConfig.EVENTHUBS_START, "earliest");
        FnwatchConfig c = FnwatchConfig.of(settings);
        MeterRegistry registry = new SimpleMeterRegistry();
        long entries = (long) events * RECORDS_PER_EVENT;
        long start = System.nanoTime();
        try (EventHubsPuller p = EventHubsPuller.start(c, registry, new PullHealth(System::currentTimeMillis))) {
            awaitCount("eventhubs", entries, () -> entriesWritten(registry), start, log);
        }
        long elapsed = System.nanoTime() - start;
        return result(events, entries, bytes, elapsed, registry);
    }

    private static Map<String, Object> azureProducer(EmbeddedKafka broker) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.plainBootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + EventHubsSettings.USER
                        + "\" password=\"" + CONNECTION + "\";");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private static long entriesWritten(MeterRegistry registry) {
        return (long) Search.in(registry).name("fnwatch.pull.log.entries").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static void awaitCount(String what, long target, LongSupplier count, long start, PrintStream log)
            throws InterruptedException {
        long lastReport = start;
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (count.getAsLong() < target) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(what + ": only " + count.getAsLong() + " of " + target + " in 10 min");
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                log.printf("%s: %d of %d%n", what, count.getAsLong(), target);
                lastReport = now;
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, Object> result(long messages, long entries, long bytes, long nanos, MeterRegistry r) {
        double seconds = nanos / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", messages);
        m.put("logEntries", entries);
        m.put("bytes", bytes);
        m.put("seconds", Math.round(seconds * 1000) / 1000.0);
        m.put("messagesPerSecond", Math.round(messages / seconds));
        m.put("logEntriesPerSecond", Math.round(entries / seconds));
        m.put("megabytesPerSecond", Math.round(bytes / seconds / 1e6 * 100) / 100.0);
        List<String> outcomes = new ArrayList<>();
        Search.in(r)
                .name("fnwatch.pull.log.entries")
                .counters()
                .forEach(c -> outcomes.add(c.getId().getTag("outcome") + "=" + (long) c.count()));
        m.put("entries", outcomes);
        return m;
    }

    /** A Cloud Run request log or stdout line of one of 200 services. */
    static byte[] gcpEntry(SplittableRandom random, int i) {
        String service = "svc-" + random.nextInt(200);
        Instant t = Instant.ofEpochMilli(T0 + i * 10L);
        String common = "\"insertId\":\"" + Long.toHexString(random.nextLong()) + "\",\"resource\":{\"type\":"
                + "\"cloud_run_revision\",\"labels\":{\"project_id\":\"bench-prod\",\"service_name\":\"" + service
                + "\",\"location\":\"europe-west1\",\"revision_name\":\"" + service + "-00042-xyz\","
                + "\"configuration_name\":\"" + service + "\"}},\"timestamp\":\"" + t + "\",\"receiveTimestamp\":\""
                + t.plusMillis(300) + "\",\"trace\":\"projects/bench-prod/traces/" + Long.toHexString(random.nextLong())
                + "\"";
        String doc = random.nextInt(3) == 0
                ? "{" + common + ",\"logName\":\"projects/bench-prod/logs/run.googleapis.com%2Frequests\",\"severity\":"
                        + "\"INFO\",\"httpRequest\":{\"requestMethod\":\"POST\",\"requestUrl\":\"https://" + service
                        + "-abc-ew.a.run.app/orders\",\"status\":" + (random.nextInt(50) == 0 ? 500 : 200)
                        + ",\"latency\":\"0." + (100 + random.nextInt(800)) + "s\",\"responseSize\":\"512\"}}"
                : "{" + common + ",\"logName\":\"projects/bench-prod/logs/run.googleapis.com%2Fstdout\",\"severity\":"
                        + "\"INFO\",\"textPayload\":\"order " + random.nextInt(1_000_000) + " accepted for customer "
                        + random.nextInt(10_000) + "\"}";
        return doc.getBytes(StandardCharsets.UTF_8);
    }

    /** A diagnostic settings event: 20 FunctionAppLogs records of 5 functions of one of 40 apps. */
    static byte[] azureEvent(SplittableRandom random, int i) {
        String app = "app-" + random.nextInt(40);
        StringBuilder b = new StringBuilder("{\"records\":[");
        for (int r = 0; r < RECORDS_PER_EVENT; r++) {
            String function = "Fn" + random.nextInt(5);
            String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            if (r > 0) {
                b.append(',');
            }
            b.append("{\"time\":\"")
                    .append(Instant.ofEpochMilli(T0 + i * 100L + r))
                    .append("\",\"resourceId\":\"/SUBSCRIPTIONS/0B1C2D3E-0000-4000-8000-000000000042/RESOURCEGROUPS/"
                            + "BENCH-RG/PROVIDERS/MICROSOFT.WEB/SITES/")
                    .append(app.toUpperCase(java.util.Locale.ROOT))
                    .append(
                            "\",\"category\":\"FunctionAppLogs\",\"operationName\":\"Microsoft.Web/sites/functions/log\","
                                    + "\"level\":\"Informational\",\"location\":\"West Europe\",\"properties\":{\"appName\":\"")
                    .append(app)
                    .append("\",\"roleInstance\":\"54108609-638204200593787168\",\"message\":\"")
                    .append(
                            r % 2 == 0
                                    ? "Executed 'Functions." + function + "' (Succeeded, Id=" + id + ", Duration="
                                            + (5 + random.nextInt(900)) + "ms)"
                                    : "Executing 'Functions." + function
                                            + "' (Reason='This function was programmatically "
                                            + "called via the host APIs.', Id=" + id + ")")
                    .append("\",\"category\":\"Function.")
                    .append(function)
                    .append("\",\"hostVersion\":\"4.34.2.2\",\"level\":\"Information\",\"levelId\":2,\"processId\":67,"
                            + "\"functionName\":\"Functions.")
                    .append(function)
                    .append("\",\"functionInvocationId\":\"")
                    .append(id)
                    .append("\"}}");
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
