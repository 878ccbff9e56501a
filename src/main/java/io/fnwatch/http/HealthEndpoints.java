package io.fnwatch.http;

import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.auth.KeysStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code /healthz}: the process is alive and its Streams application has not died (a JVM whose streams are
 * in ERROR is better restarted). {@code /readyz}: Kafka answers now and Streams is RUNNING — Streams stays
 * RUNNING while the broker is away, so both are asked — and every keys file is in force as written. A keys
 * file that is invalid (the last good keys stay in force, maybe a key the operator meant to revoke) or gone
 * (every key refused) makes the instance not ready: a security tool should not take traffic on keys nobody
 * wrote, and readiness takes it out of rotation without the restart a failing liveness check would cause
 * (which would not start again with that file). {@code /metrics}: Prometheus text.
 */
public final class HealthEndpoints {

    private static final int KAFKA_TIMEOUT_MS = 2_000;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<KafkaStreams.State> streams;
    private final Admin admin;
    private final Supplier<List<KeysStore.Status>> keys;
    private volatile Supplier<List<Map<String, Object>>> sources = List::of;
    private volatile java.util.function.BooleanSupplier sourcesHealthy = () -> true;

    public HealthEndpoints(Supplier<KafkaStreams.State> streams, Admin admin, Supplier<List<KeysStore.Status>> keys) {
        this.streams = streams;
        this.admin = admin;
        this.keys = keys;
    }

    /**
     * The pulled sources (Pub/Sub, Event Hubs), which start after the endpoints: their states join {@code /readyz}
     * as {@code sources}, and one failing makes the instance not ready.
     */
    public void sources(Supplier<List<Map<String, Object>>> statuses, java.util.function.BooleanSupplier healthy) {
        this.sources = statuses;
        this.sourcesHealthy = healthy;
    }

    public HttpHandler healthz() {
        return x -> {
            if (Http.isRead(x)) {
                KafkaStreams.State s = streams.get();
                boolean alive = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR;
                Http.json(x, alive ? 200 : 503, Map.of("alive", alive, "streams", s.name()));
            }
        };
    }

    public HttpHandler readyz() {
        return x -> {
            if (Http.isRead(x)) {
                KafkaStreams.State s = streams.get();
                String kafka = kafka();
                List<KeysStore.Status> files = keys.get();
                boolean keysOk = files.stream().allMatch(k -> k.state() == KeysStore.State.OK);
                List<Map<String, Object>> pulled = sources.get();
                boolean ready = s == KafkaStreams.State.RUNNING
                        && kafka.equals("reachable")
                        && keysOk
                        && sourcesHealthy.getAsBoolean();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ready", ready);
                body.put("streams", s.name());
                body.put("kafka", kafka);
                body.put("keys", files.stream().map(HealthEndpoints::keys).toList());
                if (!pulled.isEmpty()) {
                    body.put("sources", pulled);
                }
                Http.json(x, ready ? 200 : 503, body);
            }
        };
    }

    public static HttpHandler metrics(PrometheusMeterRegistry registry) {
        return x -> {
            if (Http.isRead(x)) {
                Http.send(x, 200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static Map<String, Object> keys(KeysStore.Status k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", k.file());
        m.put("state", k.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("keys", k.keys());
        m.put("loadedAt", k.loadedAt().toString());
        if (k.problem() != null) {
            m.put("problem", k.problem());
        }
        return m;
    }

    private String kafka() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(KAFKA_TIMEOUT_MS))
                    .nodes()
                    .get(KAFKA_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS)
                    .size();
            return nodes > 0 ? "reachable" : "no brokers";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
