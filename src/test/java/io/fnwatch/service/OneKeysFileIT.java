package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.auth.KeysFile;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.cli.Main;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fnwatch run} in a child JVM with the set-up of docs/security.md: one keys file, written by {@code keys create},
 * for HTTP ingest and {@code /functions}. It must start, take logs and answer for them with the same key,
 * export the ingest meters on {@code /metrics}, refuse a key revoked while it runs, keep the last good keys
 * but say so (ERROR, meter, {@code /readyz}) when an edit leaves the file invalid, and refuse every key once
 * the file is deleted.
 */
class OneKeysFileIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration RELOAD = Duration.ofSeconds(30);
    private static final String ACCOUNT = "123456789012";
    private static final String FUNCTION =
            "/functions/" + URLEncoder.encode("acme/aws/" + ACCOUNT + "/-/orders", StandardCharsets.UTF_8);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private Path keysFile;
    private int ingestPort;
    private int apiPort;
    private int internalPort;

    @Test
    void shouldServeIngestAndFunctionsFromOneKeysFileAndFailClosedWhenItGoesBad() throws Exception {
        keysFile = dir.resolve("keys.yaml");
        String acme = keys("create", "--tenant", "acme", "--id", "acme-1", "--account", ACCOUNT);
        String otherAccount = keys("create", "--tenant", "acme", "--id", "acme-2", "--account", "210987654321");
        String globex = keys("create", "--tenant", "globex", "--id", "globex-1");
        String spare = keys("create", "--tenant", "acme", "--id", "acme-spare");
        assertThat(Files.readString(keysFile)).startsWith("keys:").doesNotContain(acme);

        try (ServiceProcess run = ServiceProcess.start(KAFKA.bootstrapServers(), settings(), dir.resolve("run.log"))) {
            Await.until(
                    "/readyz 200",
                    START,
                    () -> get(internalPort, "/readyz", null).status() == 200,
                    run::tail);
            Await.until(
                    "ingest up", START, () -> get(ingestPort, "/healthz", null).status() == 200, run::tail);
            assertThat(get(internalPort, "/readyz", null).body()).contains("\"state\":\"ok\"");

            assertThat(ingest(acme)).isEqualTo(200);
            assertThat(get(internalPort, "/metrics", null).body())
                    .containsPattern("fnwatch_ingest_requests_total\\{[^}]*status=\"200\"[^}]*} 1\\.0")
                    .containsPattern("fnwatch_keys_loaded\\{[^}]*} 4\\.0")
                    .contains("fnwatch_keys_last_success_seconds");
            Await.until(
                    "/functions to answer for the ingested function",
                    START,
                    () -> get(apiPort, FUNCTION, acme).status() == 200,
                    run::tail);
            assertThat(get(apiPort, FUNCTION, spare).status()).isEqualTo(200);
            assertThat(get(apiPort, FUNCTION, otherAccount).status()).isEqualTo(403);
            assertThat(get(apiPort, FUNCTION, globex).status()).isEqualTo(403);

            keys("revoke", "--id", "acme-spare");
            Await.until(
                    "the revoked key refused on /functions",
                    RELOAD,
                    () -> get(apiPort, FUNCTION, spare).status() == 401,
                    run::tail);
            assertThat(ingest(spare)).isEqualTo(401);

            // a hand edit that revokes acme-1 but leaves the file invalid: the keys before it stay, loudly
            Files.writeString(keysFile, invalidEditRevoking("acme-1"));
            Await.until(
                    "/readyz 503 naming the keys file",
                    RELOAD,
                    () -> get(internalPort, "/readyz", null).body().contains("\"state\":\"invalid\""),
                    run::tail);
            HttpProbe.Response ready = get(internalPort, "/readyz", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("sha256 must be 64 lower-case hex digits");
            assertThat(get(apiPort, FUNCTION, acme).status()).isEqualTo(200);
            assertThat(get(apiPort, FUNCTION, spare).status()).isEqualTo(401);
            assertThat(get(internalPort, "/metrics", null).body())
                    .containsPattern("fnwatch_keys_reload_failures_total\\{[^}]*} 1\\.0")
                    .containsPattern("fnwatch_keys_stale\\{[^}]*} 1\\.0");
            assertThat(Files.readString(dir.resolve("run.log"))).containsPattern("ERROR .*keys file .* is invalid");

            Files.delete(keysFile);
            Await.until(
                    "every key refused once the file is gone",
                    RELOAD,
                    () -> get(apiPort, FUNCTION, acme).status() == 401,
                    run::tail);
            assertThat(ingest(acme)).isEqualTo(401);
            assertThat(get(internalPort, "/readyz", null).body()).contains("\"state\":\"missing\"");
            assertThat(get(internalPort, "/metrics", null).body())
                    .containsPattern("fnwatch_keys_reload_failures_total\\{[^}]*} 2\\.0")
                    .containsPattern("fnwatch_keys_loaded\\{[^}]*} 0\\.0");
            assertThat(Files.readString(dir.resolve("run.log"))).containsPattern("ERROR .*keys file .* is gone");
            assertThat(run.isAlive()).isTrue();
        }
    }

    private Map<String, String> settings() throws Exception {
        ingestPort = CrashHarness.freePort();
        apiPort = CrashHarness.freePort();
        internalPort = CrashHarness.freePort();
        Map<String, String> s = new HashMap<>();
        s.put(FnwatchConfig.APPLICATION_ID, "fnwatch-keys-it");
        s.put(FnwatchConfig.STATE_DIR, dir.resolve("state").toString());
        s.put(FnwatchConfig.COMMIT_INTERVAL_MS, "200");
        s.put(OpsSettings.HTTP_PORT, String.valueOf(apiPort));
        s.put(OpsSettings.INTERNAL_PORT, String.valueOf(internalPort));
        s.put(OpsSettings.RATE_PER_SECOND, "0"); // Await polls every 20 ms, more than one client's rate
        s.put(OpsSettings.KEYS_FILE, keysFile.toString());
        s.put("ingest.http.port", String.valueOf(ingestPort));
        s.put("ingest.http.host", "127.0.0.1");
        s.put("ingest.http.keys.file", keysFile.toString());
        s.put("ingest.http.keys.reload.ms", "200");
        return s;
    }

    /** {@code fnwatch keys ... --file keys.yaml} in this JVM; returns what it printed on stdout (the key). */
    private String keys(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("keys"));
        all.addAll(List.of(args));
        all.addAll(List.of("--file", keysFile.toString()));
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(all.toArray(String[]::new))).isZero();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).strip();
    }

    /** The current keys with {@code id} revoked, as YAML, plus an entry whose hash is mistyped. */
    private String invalidEditRevoking(String id) throws Exception {
        StringBuilder yaml = new StringBuilder("keys:\n");
        for (TenantKey k : KeysFile.read(keysFile)) {
            yaml.append("  - id: ")
                    .append(k.id())
                    .append("\n    sha256: ")
                    .append(k.sha256())
                    .append("\n    tenant: ")
                    .append(k.tenant())
                    .append("\n    revoked: ")
                    .append(k.revoked() || k.id().equals(id))
                    .append('\n');
        }
        return yaml.append("  - id: typo\n    sha256: 6bcfc7afed5b99ee\n    tenant: acme\n")
                .toString();
    }

    private int ingest(String key) throws Exception {
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" + ACCOUNT + "\",\"logGroup\":"
                + "\"/aws/lambda/orders\",\"logStream\":\"2026/03/03/[$LATEST]0a1b\",\"subscriptionFilters\":[],"
                + "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1772546400000,"
                + "\"message\":\"START RequestId: r1 Version: $LATEST\\n\"}]}";
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/cloudwatch"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpProbe.Response get(int port, String path, String bearer) {
        return HttpProbe.get(port, path, bearer);
    }
}
