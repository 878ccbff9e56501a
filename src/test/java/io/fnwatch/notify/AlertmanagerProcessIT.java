package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.kafka.FreePorts;
import io.fnwatch.model.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager sink against a real Alertmanager process (Debian: {@code apt-get install
 * prometheus-alertmanager}); skipped when the binary is not installed. OPEN creates one alert, UPDATE changes
 * its annotations but not its identity, RESOLVED ends it.
 */
class AlertmanagerProcessIT {

    @TempDir
    Path dir;

    private Process alertmanager;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    static Path binary() {
        return Stream.of("/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
    }

    @BeforeEach
    void startAlertmanager() throws Exception {
        Path bin = binary();
        Assumptions.assumeTrue(bin != null, "prometheus-alertmanager is not installed");
        int port = FreePorts.next();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: blackhole
                receivers:
                  - name: blackhole
                """);
        alertmanager = new ProcessBuilder(
                        bin.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        base = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !alertmanager.isAlive()) {
                throw new AssertionError(
                        "Alertmanager did not start:\n" + Files.readString(dir.resolve("alertmanager.log")));
            }
            Thread.sleep(50); // polling interval of a condition wait
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The alerts Alertmanager holds for {@code fnwatchId} that have not ended by now. */
    private List<JsonNode> firing(String fnwatchId) throws Exception {
        String filter = URLEncoder.encode("fnwatch_id=\"" + fnwatchId + "\"", StandardCharsets.UTF_8);
        JsonNode all =
                Json.MAPPER.readTree(get("/api/v2/alerts?filter=" + filter).body());
        List<JsonNode> out = new ArrayList<>();
        Instant now = Instant.now();
        all.forEach(a -> {
            if (Instant.parse(a.get("endsAt").asText()).isAfter(now)) {
                out.add(a);
            }
        });
        return out;
    }

    @Test
    void openUpdateAndResolveAreOneAlertInAlertmanager() throws Exception {
        AlertmanagerSink sink =
                new AlertmanagerSink("am", base, Map.of("team", "payments"), Duration.ofMinutes(1), null);
        HttpTransport transport = new HttpTransport(Duration.ofSeconds(2), Duration.ofSeconds(5));
        var open = Alerts.open("orders-api");

        assertThat(transport
                        .send(sink.request(Notice.of(open, false, "r"), Instant.now()))
                        .status())
                .isEqualTo(200);
        List<JsonNode> afterOpen = firing(open.id());
        assertThat(afterOpen).hasSize(1);
        assertThat(afterOpen.get(0).get("labels").get("alertname").asText()).isEqualTo("TRAFFIC_SPIKE");
        assertThat(afterOpen.get(0).get("labels").get("team").asText()).isEqualTo("payments");
        assertThat(afterOpen.get(0).get("annotations").get("severity").asText()).isEqualTo("MEDIUM");

        assertThat(transport
                        .send(sink.request(Notice.of(Alerts.update("orders-api"), true, "r"), Instant.now()))
                        .status())
                .isEqualTo(200);
        List<JsonNode> afterUpdate = firing(open.id());
        assertThat(afterUpdate).hasSize(1);
        assertThat(afterUpdate.get(0).get("fingerprint").asText())
                .isEqualTo(afterOpen.get(0).get("fingerprint").asText());
        assertThat(afterUpdate.get(0).get("annotations").get("severity").asText())
                .isEqualTo("HIGH");

        assertThat(transport
                        .send(sink.request(Notice.of(Alerts.resolved("orders-api"), false, "r"), Instant.now()))
                        .status())
                .isEqualTo(200);
        assertThat(firing(open.id())).isEmpty();
    }
}
