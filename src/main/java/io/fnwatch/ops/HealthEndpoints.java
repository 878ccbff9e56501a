package io.fnwatch.ops;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code /healthz}: the process is alive and its Streams application has not died (a JVM whose streams are
 * in ERROR is better restarted). {@code /readyz}: Kafka answers now and Streams is RUNNING — Streams stays
 * RUNNING while the broker is away, so both are asked. {@code /metrics}: Prometheus text.
 */
final class HealthEndpoints {

    private static final int KAFKA_TIMEOUT_MS = 2_000;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<KafkaStreams.State> streams;
    private final Admin admin;

    HealthEndpoints(Supplier<KafkaStreams.State> streams, Admin admin) {
        this.streams = streams;
        this.admin = admin;
    }

    HttpHandler healthz() {
        return x -> {
            if (Http.isRead(x)) {
                KafkaStreams.State s = streams.get();
                boolean alive = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR;
                Http.json(x, alive ? 200 : 503, Map.of("alive", alive, "streams", s.name()));
            }
        };
    }

    HttpHandler readyz() {
        return x -> {
            if (Http.isRead(x)) {
                KafkaStreams.State s = streams.get();
                String kafka = kafka();
                boolean ready = s == KafkaStreams.State.RUNNING && kafka.equals("reachable");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ready", ready);
                body.put("streams", s.name());
                body.put("kafka", kafka);
                Http.json(x, ready ? 200 : 503, body);
            }
        };
    }

    static HttpHandler metrics(PrometheusMeterRegistry registry) {
        return x -> {
            if (Http.isRead(x)) {
                Http.send(x, 200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private String kafka() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(KAFKA_TIMEOUT_MS)).nodes()
                    .get(KAFKA_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? "reachable" : "no brokers";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
