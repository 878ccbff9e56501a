package io.fnwatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.jetty.RawClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ops ports on real sockets (finding 4 and 10 of issue 13): /metrics, /healthz and /readyz answer while
 * /functions is busy and half-sent requests are open, half-sent requests are closed by the header deadline
 * (the idle timeout is 30 s here), and each port binds to its own host.
 */
class OpsServerTest {

    private static final Duration WAIT = Duration.ofSeconds(8);

    private final List<RawClient> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final CountDownLatch release = new CountDownLatch(1);
    private OpsServer server;

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        for (RawClient s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private OpsServer start(Map<String, String> overrides) throws IOException {
        Map<String, String> s = new HashMap<>(Map.of(
                OpsSettings.HTTP_PORT,
                "0",
                OpsSettings.INTERNAL_PORT,
                "0",
                OpsSettings.HTTP_THREADS,
                "6",
                OpsSettings.INTERNAL_THREADS,
                "6",
                OpsSettings.HEADER_TIMEOUT_MS,
                "300",
                OpsSettings.IDLE_TIMEOUT_MS,
                "30000"));
        s.putAll(overrides);
        server = OpsServer.bind(FnwatchConfig.of(s));
        HttpHandler ok = x -> Http.json(x, 200, Map.of("alive", true));
        // a /functions answer that waits, as a forward to an instance that does not answer does
        HttpHandler stuck = x -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Http.json(x, 200, Map.of());
        };
        server.start(
                Map.of(FunctionsEndpoint.PATH, stuck, "/api-healthz", ok),
                Map.of("/healthz", ok, "/metrics", x -> Http.text(x, 200, "# metrics\n")));
        return server;
    }

    private RawClient socket(String host, int port) throws IOException {
        RawClient s = RawClient.connect(host, port);
        sockets.add(s);
        return s;
    }

    private HttpResponse<String> get(String host, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                        .timeout(WAIT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerHealthzWhileFunctionsIsBusyAndHalfSentRequestsAreOpen() throws Exception {
        start(Map.of());
        AtomicInteger stuckAnswered = new AtomicInteger();
        List<CompletableFuture<?>> busy = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            busy.add(http.sendAsync(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort()
                                            + "/functions/acme%2Faws%2F1%2Fr%2Ff"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        assertThat(r.statusCode()).isEqualTo(200);
                        stuckAnswered.incrementAndGet();
                    }));
        }
        List<RawClient> halfSent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            halfSent.add(socket("127.0.0.1", server.internalPort()).send("GET /healthz HTTP/1.1\r\nHost: a\r\n"));
        }

        HttpResponse<String> health = get("127.0.0.1", server.internalPort(), "/healthz");
        HttpResponse<String> metrics = get("127.0.0.1", server.internalPort(), "/metrics");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"alive\":true}");
        assertThat(metrics.body()).isEqualTo("# metrics\n");
        assertThat(stuckAnswered.get())
                .as("/functions still held while the probes answered")
                .isZero();
        for (RawClient s : halfSent) {
            assertThat(s.readUntilClosed(WAIT).closed())
                    .as("closed by the header deadline")
                    .isTrue();
        }
        release.countDown();
        CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(stuckAnswered.get()).isEqualTo(12);
    }

    @Test
    void shouldCloseHalfSentRequestsOnTheFunctionsPortAndStillAnswerIt() throws Exception {
        start(Map.of());
        release.countDown();
        List<RawClient> halfSent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            halfSent.add(socket("127.0.0.1", server.apiPort()).send("GET /functions/x HTTP/1.1\r\nHo"));
        }

        assertThat(get("127.0.0.1", server.apiPort(), "/functions/acme%2Faws%2F1%2Fr%2Ff")
                        .statusCode())
                .isEqualTo(200);
        for (RawClient s : halfSent) {
            assertThat(s.readUntilClosed(WAIT).closed())
                    .as("closed by the header deadline")
                    .isTrue();
        }
    }

    @Test
    void shouldBindEachPortToItsOwnHost() throws Exception {
        start(Map.of(OpsSettings.HTTP_HOST, "127.0.0.2", OpsSettings.INTERNAL_HOST, "127.0.0.1"));

        assertThat(get("127.0.0.1", server.internalPort(), "/healthz").statusCode())
                .isEqualTo(200);
        assertThat(get("127.0.0.2", server.apiPort(), "/api-healthz").statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get("127.0.0.1", server.apiPort(), "/api-healthz"))
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> get("127.0.0.2", server.internalPort(), "/healthz"))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldAdvertiseTheFunctionsHostAndPortUnlessApplicationServerIsSet() throws Exception {
        start(Map.of(OpsSettings.HTTP_HOST, "127.0.0.2"));
        FnwatchConfig plain = FnwatchConfig.of(Map.of());
        FnwatchConfig configured = FnwatchConfig.of(Map.of(OpsSettings.APPLICATION_SERVER, "fnwatch-0.svc:8080"));

        assertThat(server.applicationServer(plain)).isEqualTo("127.0.0.2:" + server.apiPort());
        assertThat(server.applicationServer(configured)).isEqualTo("fnwatch-0.svc:8080");
    }

    @Test
    void shouldServeTheInternalEndpointsOnTheFunctionsPortWhenTheInternalPortIsOff() throws Exception {
        start(Map.of(OpsSettings.INTERNAL_PORT, "-1"));

        assertThat(server.internalPort()).isEqualTo(server.apiPort());
        assertThat(get("127.0.0.1", server.apiPort(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get("127.0.0.1", server.apiPort(), "/nothing-here").statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldServeTheInternalEndpointsAloneWhenTheFunctionsPortIsOff() throws Exception {
        start(Map.of(OpsSettings.HTTP_PORT, "-1"));

        assertThat(server.apiPort()).isEqualTo(OpsSettings.OFF);
        assertThat(get("127.0.0.1", server.internalPort(), "/healthz").statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldDefaultBothPortsToLoopback() {
        FnwatchConfig c = FnwatchConfig.of(Map.of());

        assertThat(c.string(OpsSettings.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.string(OpsSettings.INTERNAL_HOST)).isEqualTo("127.0.0.1");
    }
}
