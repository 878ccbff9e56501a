package io.fnwatch.bench;

import com.sun.net.httpserver.HttpServer;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.NotifySettings;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import io.fnwatch.model.Severity;
import io.fnwatch.notify.Notice;
import io.fnwatch.notify.Notifier;
import io.fnwatch.notify.Route;
import io.fnwatch.notify.Routes;
import io.fnwatch.notify.Secret;
import io.fnwatch.notify.Sink;
import io.fnwatch.notify.WebhookSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench notify}: alerts delivered per second to a local receiver, and the delay from the commit of
 * an alert's transaction on the alerts topic to the receiver getting it (p50, p99), with one route and with
 * many (each route its own signed webhook sink, every alert matching every route). An embedded broker, the
 * alerts written in transactions of 100 while delivery runs (or one at a time at a steady rate), a JDK HTTP
 * server on 127.0.0.1 answering 200.
 */
public final class NotifyBench {

    private static final int TRANSACTION = 100;

    /**
     * Runs once per route count. {@code rate} 0 writes the alerts as one burst (the delay is then mostly the
     * queue); a positive rate writes one alert per transaction at that many a second (the delay is the floor).
     */
    public List<Map<String, Object>> run(int alerts, List<Integer> routeCounts, double rate, PrintStream log)
            throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
            for (int routes : routeCounts) {
                results.add(once(broker, alerts, routes, rate, log));
            }
        }
        return results;
    }

    private Map<String, Object> once(EmbeddedKafka broker, int alerts, int routeCount, double rate, PrintStream log)
            throws Exception {
        int transaction = rate > 0 ? 1 : TRANSACTION;
        long intervalNanos = rate > 0 ? Math.round(1e9 / rate) : 0;
        String topic = "bench-alerts-" + routeCount;
        Map<String, String> s = new HashMap<>();
        s.put(FnwatchConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        s.put(FnwatchConfig.TOPIC_ALERTS, topic);
        s.put(NotifySettings.GROUP_ID, "bench-notify-" + routeCount);
        s.put(NotifySettings.TOPIC_DEAD_LETTERS, "bench-notify-dead-letters");
        s.put(NotifySettings.MAX_PENDING, String.valueOf(Math.max(alerts, 1)));
        FnwatchConfig c = FnwatchConfig.of(s);
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Long> received = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(Math.min(32, routeCount + 2)));
        server.createContext("/", ex -> {
            long now = System.nanoTime();
            ex.getRequestBody().readAllBytes();
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            Long at = committedAt.get(id);
            if (at != null) {
                delays.add(now - at);
            }
            received.merge(ex.getRequestURI().getPath(), 1L, Long::sum);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        byte[] key = new byte[32];
        new SplittableRandom(1).nextBytes(key);
        Secret secret = Secret.of("whsec_" + Base64.getEncoder().encodeToString(key), "bench");
        Map<String, Sink> sinks = new LinkedHashMap<>();
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < routeCount; i++) {
            String name = "hook-" + i;
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
            sinks.put(name, new WebhookSink(name, uri, List.of(secret)));
            routes.add(new Route(
                    "route-" + i,
                    "*",
                    "*",
                    Set.of(),
                    Severity.LOW,
                    Set.of(Notice.Kind.OPEN, Notice.Kind.UPDATE, Notice.Kind.RESOLVED),
                    List.of(name),
                    0));
        }
        Notifier notifier = Notifier.start(c, new Routes(sinks, routes), new SimpleMeterRegistry());
        // one alert first, timed apart: the consumer group's join is not part of the figures
        long expected = ((long) alerts + 1) * routeCount;
        long start = 0;
        long end;
        try {
            Map<String, Object> p = KafkaClients.producer(c);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-notify-writer-" + routeCount);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
                producer.initTransactions();
                Instant t0 = Instant.parse("2026-03-03T14:00:00Z");
                producer.beginTransaction();
                Alert warmUp = alert(-1, t0);
                producer.send(new ProducerRecord<>(topic, warmUp.key().asString(), Json.bytes(warmUp)));
                producer.commitTransaction();
                long warmDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (received.values().stream().mapToLong(Long::longValue).sum() < routeCount) {
                    if (System.nanoTime() > warmDeadline) {
                        throw new IllegalStateException("the warm-up alert was not delivered within a minute");
                    }
                    Thread.sleep(10); // polling interval of a condition wait
                }
                start = System.nanoTime();
                for (int i = 0; i < alerts; i += transaction) {
                    long due = start + (i / transaction) * intervalNanos;
                    while (System.nanoTime() < due) {
                        Thread.sleep(1); // pacing the writes at --rate
                    }
                    producer.beginTransaction();
                    List<String> ids = new ArrayList<>();
                    for (int j = i; j < Math.min(alerts, i + transaction); j++) {
                        Alert a = alert(j, t0);
                        ids.add(Notice.of(a, false, "").key());
                        producer.send(new ProducerRecord<>(topic, a.key().asString(), Json.bytes(a)));
                    }
                    producer.commitTransaction();
                    long committed = System.nanoTime();
                    ids.forEach(id -> committedAt.put(id, committed));
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (received.values().stream().mapToLong(Long::longValue).sum() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("delivered only "
                            + received.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum() + " of " + expected);
                }
                Thread.sleep(10); // polling interval of a condition wait
            }
            end = System.nanoTime();
        } finally {
            notifier.close();
            server.stop(0);
        }
        double seconds = (end - start) / 1e9;
        long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("routes", routeCount);
        r.put("alerts", alerts);
        r.put("alertsPerSecondWritten", rate > 0 ? rate : "burst");
        long measured = expected - routeCount;
        r.put("deliveries", measured);
        r.put("seconds", Math.round(seconds * 100) / 100.0);
        r.put("deliveriesPerSecond", Math.round(measured / seconds));
        r.put("delayMsP50", percentile(sorted, 0.50));
        r.put("delayMsP99", percentile(sorted, 0.99));
        r.put("delaysMeasured", sorted.length);
        log.println(Json.string(r));
        return r;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return Math.round(sorted[Math.max(0, i)] / 1e5) / 10.0;
    }

    private static Alert alert(int i, Instant t0) {
        FunctionKey key = new FunctionKey("default", "aws", "123456789012", "us-east-1", "bench-fn-" + i);
        Instant at = t0.plusSeconds(i);
        return new Alert(
                Alert.incidentId(AlertType.TRAFFIC_SPIKE, key, at.toEpochMilli()),
                AlertType.TRAFFIC_SPIKE,
                AlertState.OPEN,
                key.tenant(),
                key.provider(),
                key.account(),
                key.region(),
                key.function(),
                at,
                at.plusSeconds(60),
                at,
                Severity.HIGH,
                80,
                80,
                4.1,
                20,
                key.function() + " ran 80 times in 60 s against 4.1 expected",
                Map.of("bucketCount", 80));
    }
}
