package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.NotifySettings;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.fnwatch.parse.ParserSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} with {@code notify.routes.file} set delivers as it detects: the service in a child JVM, exactly as
 * a user starts it, the sample logs replayed into it, and a webhook receiver on 127.0.0.1 that must get every
 * alert the service wrote to its alerts topic, each state change once.
 */
class RunDeliveryIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void runWithARoutesFileDeliversEveryAlertItWritesOnceToTheRoutesSink() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(Json.read(exchange.getRequestBody().readAllBytes(), JsonNode.class));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Path secret = dir.resolve("webhook-secret");
            Files.writeString(secret, "whsec_" + Base64.getEncoder().encodeToString(new byte[24]));
            Path routes = dir.resolve("routes.yaml");
            Files.writeString(routes, """
                    sinks:
                      hook:
                        type: webhook
                        url: http://127.0.0.1:%d/hook
                        secrets: [{file: %s}]
                    routes:
                      - name: everything
                        sinks: [hook]
                    """.formatted(receiver.getAddress().getPort(), secret));
            Path keys = dir.resolve("keys.json");
            Files.writeString(keys, "[]");
            Map<String, String> settings = new HashMap<>();
            settings.put(FnwatchConfig.APPLICATION_ID, "fnwatch-run-delivery");
            settings.put(FnwatchConfig.TOPIC_RAW, "rd-logs-raw");
            settings.put(FnwatchConfig.TOPIC_EVENTS, "rd-events");
            settings.put(FnwatchConfig.TOPIC_ALERTS, "rd-alerts");
            settings.put(FnwatchConfig.TOPIC_DEAD_LETTERS, "rd-dead-letters");
            settings.put(FnwatchConfig.TOPIC_INVENTORY, "rd-inventory");
            settings.put(FnwatchConfig.STATE_DIR, dir.resolve("state").toString());
            settings.put(OpsSettings.KEYS_FILE, keys.toString());
            settings.put(OpsSettings.HTTP_PORT, String.valueOf(CrashHarness.freePort()));
            settings.put(OpsSettings.INTERNAL_PORT, String.valueOf(CrashHarness.freePort()));
            settings.put(NotifySettings.ROUTES_FILE, routes.toString());
            settings.put(NotifySettings.TOPIC_DEAD_LETTERS, "rd-notify-dead-letters");
            Map<String, String> own = new HashMap<>(settings);
            own.put(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
            FnwatchConfig c = FnwatchConfig.of(own);
            TopicAdmin.ensure(c);

            try (ServiceProcess run =
                    ServiceProcess.start(KAFKA.bootstrapServers(), settings, dir.resolve("run.log"))) {
                new FileReplayer(KafkaClients.producer(c), c.string(FnwatchConfig.TOPIC_RAW), ParserSettings.DEFAULTS)
                        .replay(List.of(Path.of("sample-logs")), n -> {});
                assertThat(CatchUp.await(c, Duration.ofMinutes(3), () -> {}))
                        .as(run::tail)
                        .isTrue();
                List<Alert> written = new ArrayList<>();
                try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
                    r.readToEnd(rec -> written.add(Json.read(rec.value(), Alert.class)));
                }
                assertThat(written).hasSizeGreaterThanOrEqualTo(20);
                Await.until(
                        "the webhook to get " + written.size() + " alerts",
                        Duration.ofMinutes(1),
                        () -> received.size() >= written.size(),
                        run::tail);

                assertThat(received.stream()
                                .map(b -> stateChange(b.get("data")))
                                .toList())
                        .containsExactlyInAnyOrderElementsOf(written.stream()
                                .map(a -> stateChange(Json.MAPPER.valueToTree(a)))
                                .toList());
                assertThat(received)
                        .extracting(b -> b.get("type").asText())
                        .allMatch(t -> t.matches("fnwatch\\.alert\\.(opened|updated|resolved)"));
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static String stateChange(JsonNode alert) {
        return alert.get("id").asText() + " " + alert.get("state").asText() + " "
                + alert.get("severity").asText() + " " + alert.get("detectedAt").asText();
    }
}
