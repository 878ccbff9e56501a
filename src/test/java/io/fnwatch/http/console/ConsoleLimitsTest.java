package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ManualTime;
import io.fnwatch.auth.KeysFile;
import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.http.FunctionsEndpoint;
import io.fnwatch.http.OpsLimits;
import io.fnwatch.http.OpsServer;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.serde.TenantTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops port's limits as the console meets them: failed sign-ins per client address (429 with Retry-After, a
 * right key too, until the bucket refills; other addresses untouched), the sign-in form's size (413), same-origin
 * sign-in and sign-out (403), the request rate per address (429). Time is a manual clock: no sleeps.
 */
class ConsoleLimitsTest {

    @TempDir
    Path dir;

    private final String key = KeysFile.newKey();
    private final ManualTime time = new ManualTime(1_000_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private OpsServer server;
    private String base;

    private void start(Map<String, String> settings) throws Exception {
        Path keys = dir.resolve("keys.yaml");
        KeysFile.write(keys, List.of(new TenantKey("a", KeysFile.sha256Hex(key), "acme", List.of(), false)));
        KeysStore store = KeysStore.open(keys, Clock.systemUTC());
        DetectorConfig detectors = DetectorConfig.load(Path.of("detectors"), 300_000);
        Map<String, String> all = new HashMap<>(Map.of(OpsSettings.HTTP_PORT, "0", OpsSettings.INTERNAL_PORT, "-1"));
        all.putAll(settings);
        FnwatchConfig config = FnwatchConfig.of(all);
        OpsLimits limits = OpsLimits.of(config, registry, time);
        ConsoleFeed feed = new ConsoleFeed(detectors, new TenantTopics("fnwatch-logs-raw", "default"));
        FunctionReader reader = new FunctionReader() {
            @Override
            public Map<String, Object> status(FunctionKey k, String token) {
                return null;
            }

            @Override
            public List<MinuteSummary> history(FunctionKey k, long from, long to, String token) {
                return List.of();
            }
        };
        Pages pages = new Pages(
                feed,
                reader,
                detectors,
                3_600_000L,
                Clock.systemUTC(),
                new RecordsPerMinute(registry, new TenantTopics("fnwatch-logs-raw", "default")));
        ConsoleHandler console =
                new ConsoleHandler(store, new Sessions(store, 3_600_000, Clock.systemUTC()), pages, reader, limits);
        server = OpsServer.bind(config, limits);
        server.start(
                Map.of(
                        ConsoleHandler.PATH,
                        console,
                        FunctionsEndpoint.PATH,
                        new FunctionsEndpoint(null, detectors, store, null, limits)),
                Map.of());
        base = "http://127.0.0.1:" + server.apiPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> signIn(String k, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + URLEncoder.encode(k, StandardCharsets.UTF_8)));
        boolean origin = false;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
            origin |= headers[i].equals("Origin") || headers[i].equals("Referer");
        }
        if (!origin) {
            b.header("Origin", base);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw HTTP/1.1 request from another loopback address (127.0.0.2): the status line and headers back. */
    private String from(String address, String method, String path, String body, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(address, 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.apiPort()));
            StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.apiPort()
                    + "\r\nConnection: close\r\n");
            for (String h : headers) {
                r.append(h).append("\r\n");
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            r.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            s.getOutputStream().write(r.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(b);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private double refused(String reason) {
        var c = registry.find("fnwatch.ops.http.refused").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldRefuseEveryKeyOfAnAddressPastItsFailedSignInsUntilTheBucketRefillsAndNoOtherAddress() throws Exception {
        start(Map.of());
        for (int i = 0; i < 10; i++) { // the burst: ten wrong keys are answered as wrong
            assertThat(signIn("fnw_guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> eleventh = signIn("fnw_guess-10");
        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(eleventh.headers().firstValue("Retry-After")).hasValue("12"); // 5 a minute: one every 12 s
        assertThat(eleventh.body()).contains("Too many failed sign-ins");
        // the right key too: a guesser must not learn which guess was right
        HttpResponse<String> right = signIn(key);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Set-Cookie")).isEmpty();
        // a forged X-Forwarded-For changes nothing while it is not trusted
        assertThat(signIn(key, "X-Forwarded-For", "198.51.100.9").statusCode()).isEqualTo(429);
        // bearer keys on /functions count against the same address
        HttpResponse<String> fn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/functions/acme%2Faws%2F1%2Fus-east-1%2Ff"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fn.statusCode()).isEqualTo(429);
        assertThat(fn.headers().firstValue("Retry-After")).hasValue("12");
        // another address is not affected
        String other = from(
                "127.0.0.2",
                "POST",
                "/ui/login",
                "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                "Origin: " + base,
                "Content-Type: application/x-www-form-urlencoded");
        assertThat(other).startsWith("HTTP/1.1 303").contains("Set-Cookie: " + Sessions.COOKIE + "=");
        assertThat(refused("auth_failures")).isEqualTo(4);

        time.advance(12_000_000_000L); // one token back: one try
        assertThat(signIn(key).statusCode()).isEqualTo(303); // a right key takes no token
        assertThat(signIn(key).statusCode()).isEqualTo(303);
        assertThat(signIn("fnw_wrong-again").statusCode()).isEqualTo(401);
        assertThat(signIn(key).statusCode()).isEqualTo(429);
    }

    @Test
    void shouldCountWrongBearerKeysOnFunctionsAsFailedAuthentications() throws Exception {
        start(Map.of(OpsSettings.AUTH_FAILURES_BURST, "3"));
        for (String bearer : new String[] {"fnw_wrong", "", "fnw_<script>"}) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/functions/acme%2Faws%2F1%2Fus-east-1%2Ff"))
                            .header("Authorization", "Bearer " + bearer)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(signIn(key).statusCode()).isEqualTo(429);
    }

    @Test
    void shouldTakeTheClientFromTheLastForwardedForAddressOnlyWhenTrusted() throws Exception {
        start(Map.of(OpsSettings.FORWARDED_TRUST, "true", OpsSettings.AUTH_FAILURES_BURST, "2"));
        String xff = "X-Forwarded-For";
        // the client may write what it likes before the proxy's entry: only the last one counts
        assertThat(signIn("fnw_a", xff, "10.0.0.1, 203.0.113.7").statusCode()).isEqualTo(401);
        assertThat(signIn("fnw_b", xff, "10.0.0.2, 203.0.113.7").statusCode()).isEqualTo(401);
        assertThat(signIn(key, xff, "10.0.0.3, 203.0.113.7").statusCode()).isEqualTo(429);
        assertThat(signIn(key, xff, "203.0.113.8").statusCode()).isEqualTo(303);
        // an IPv6 client counts by its /64
        assertThat(signIn("fnw_c", xff, "[2001:db8:1:2::1]").statusCode()).isEqualTo(401);
        assertThat(signIn("fnw_d", xff, "2001:db8:1:2:ffff::9").statusCode()).isEqualTo(401);
        assertThat(signIn(key, xff, "2001:db8:1:2::77").statusCode()).isEqualTo(429);
        assertThat(signIn(key, xff, "2001:db8:1:3::1").statusCode()).isEqualTo(303);
        // names and garbage are no addresses (and are never looked up): the socket's address counts
        List<String> hostile = List.of("localhost", "evil.example.com", "%00<script>", "1.2.3", "::::::::::::::1x");
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(signIn("fnw_e", xff, hostile.get(i)).statusCode())
                    .as(hostile.get(i))
                    .isEqualTo(i < 2 ? 401 : 429);
        }
        assertThat(signIn(key).statusCode()).isEqualTo(429);
    }

    @Test
    void shouldRefuseASignInFormLargerThanAKeyWith413() throws Exception {
        start(Map.of());
        HttpResponse<String> big = signIn(key + "&pad=" + "x".repeat(ConsoleHandler.MAX_FORM_BYTES));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.headers().firstValue("Set-Cookie")).isEmpty();
        String declared = from(
                "127.0.0.1",
                "POST",
                "/ui/login",
                "key=" + "y".repeat(ConsoleHandler.MAX_FORM_BYTES - 3),
                "Origin: " + base,
                "Content-Type: application/x-www-form-urlencoded");
        assertThat(declared).startsWith("HTTP/1.1 413");
        assertThat(refused("body_too_large")).isEqualTo(2);
        // just under the bound is read; a large form is no failed sign-in
        String under = from(
                "127.0.0.1",
                "POST",
                "/ui/login",
                "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&pad=" + "x".repeat(900),
                "Origin: " + base,
                "Content-Type: application/x-www-form-urlencoded");
        assertThat(under).startsWith("HTTP/1.1 303");
    }

    @Test
    void shouldRefuseCrossOriginSignInsAndSignOuts() throws Exception {
        start(Map.of());
        int port = server.apiPort();
        for (String[] h : List.of(
                new String[] {"Origin", "http://evil.example"},
                new String[] {"Origin", "null"},
                new String[] {"Origin", "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1)},
                new String[] {"Origin", "http://user@127.0.0.1:" + port},
                new String[] {"Origin", "file:///etc/passwd"},
                new String[] {"Origin", "http://127.0.0.1:" + port + ".evil.example"},
                new String[] {"Origin", "<script>"},
                new String[] {"Referer", "http://evil.example/ui/login"},
                new String[] {"Referer", null})) {
            HttpResponse<String> r = signIn(key, h[0], h[1]);
            assertThat(r.statusCode()).as(h[0] + ": " + h[1]).isEqualTo(403);
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHandler.CSP);
        }
        assertThat(refused("cross_origin")).isEqualTo(9);
        // same origin by Referer alone, and by an Origin written with the default port: accepted
        assertThat(signIn(key, "Referer", base + "/ui/login").statusCode()).isEqualTo(303);
        assertThat(ConsoleHandler.sameAuthority("https://fnwatch.example", "fnwatch.example"))
                .isTrue();
        assertThat(ConsoleHandler.sameAuthority("https://fnwatch.example:443", "FNWATCH.example"))
                .isTrue();
        assertThat(ConsoleHandler.sameAuthority("http://[::1]:8080", "[::1]:8080"))
                .isTrue();
        assertThat(ConsoleHandler.sameAuthority("https://fnwatch.example", "fnwatch.example:8443"))
                .isFalse();

        String set = signIn(key).headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = set.substring(0, set.indexOf(';'));
        HttpResponse<String> out = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/logout"))
                        .header("Cookie", cookie)
                        .header("Origin", "http://evil.example")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(403);
        HttpResponse<String> still = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(still.statusCode()).isEqualTo(200);
        // a tenant with no functions yet: its pages are there (they once failed with 500)
        HttpResponse<String> functions = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/functions"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(functions.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerRequestsOverAnAddresssRateWith429AndLeaveOtherAddressesAlone() throws Exception {
        start(Map.of(OpsSettings.RATE_PER_SECOND, "1", OpsSettings.RATE_BURST, "5"));
        for (int i = 0; i < 5; i++) {
            assertThat(get("/ui/login").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> over = get("/ui/login");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/functions/x").statusCode()).isEqualTo(429);
        assertThat(from("127.0.0.2", "GET", "/ui/login", "")).startsWith("HTTP/1.1 200");
        assertThat(refused("rate")).isEqualTo(2);
        time.advance(1_000_000_000L);
        assertThat(get("/ui/login").statusCode()).isEqualTo(200);
        assertThat(get("/ui/login").statusCode()).isEqualTo(429);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
