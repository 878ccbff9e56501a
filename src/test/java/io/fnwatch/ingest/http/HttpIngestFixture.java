package io.fnwatch.ingest.http;

import static io.fnwatch.ingest.http.SamplePayloads.ACCOUNT;

import io.fnwatch.auth.KeysFile;
import io.fnwatch.auth.TenantKey;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.FreePorts;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.serde.TenantTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real embedded broker per test class and an ingest server per test, each writing to a raw topic of its
 * own so that a test can count exactly what it landed.
 */
abstract class HttpIngestFixture {

    static final String KEY_ACME = "fnw_acme-test-key";
    static final String KEY_ACME_2 = "fnw_acme-second-key";
    static final String KEY_GLOBEX = "fnw_globex-test-key";
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<HttpIngestServer> servers = new ArrayList<>();
    FnwatchConfig config;
    IngestClient client;
    int port;

    @AfterEach
    void stopServers() {
        servers.forEach(HttpIngestServer::close);
    }

    static List<TenantKey> keys(boolean acmeRevoked) {
        return List.of(
                new TenantKey("acme-1", KeysFile.sha256Hex(KEY_ACME), "acme", List.of(ACCOUNT), acmeRevoked),
                new TenantKey("acme-2", KeysFile.sha256Hex(KEY_ACME_2), "acme", List.of(), false),
                new TenantKey("globex-1", KeysFile.sha256Hex(KEY_GLOBEX), "globex", List.of("210987654321"), false));
    }

    /** Starts a server writing to a topic of its own; returns a client for it. */
    IngestClient start(Map<String, String> overrides) throws Exception {
        Path keysFile = dir.resolve("keys.yaml");
        KeysFile.write(keysFile, keys(false));
        Map<String, String> s = new HashMap<>(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                KAFKA.bootstrapServers(),
                FnwatchConfig.TOPIC_RAW,
                "ingest-" + TOPICS.incrementAndGet() + "-raw",
                "ingest.http.port",
                "0",
                "ingest.http.host",
                "127.0.0.1",
                "ingest.http.keys.file",
                keysFile.toString(),
                "ingest.http.keys.reload.ms",
                "100",
                "ingest.http.max.decompressed.bytes",
                String.valueOf(8 << 20),
                FnwatchConfig.RAW_TENANTS,
                "acme,globex"));
        s.putAll(overrides);
        config = FnwatchConfig.of(s);
        if (KAFKA.bootstrapServers().equals(config.string(FnwatchConfig.BOOTSTRAP_SERVERS))) {
            TopicAdmin.ensure(config);
        }
        HttpIngestServer server = HttpIngestServer.start(config, meters);
        servers.add(server);
        port = server.port();
        client = new IngestClient("http://127.0.0.1:" + port, null);
        return client;
    }

    /** The records on every raw topic: the default tenant's and acme's and globex's. */
    List<ConsumerRecord<String, byte[]>> raw() {
        TenantTopics topics = TenantTopics.from(config);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (String tenant : List.of(topics.defaultTenant(), "acme", "globex")) {
            try (TopicReader r = new TopicReader(config, topics.topicOf(tenant))) {
                r.readToEnd(out::add);
            }
        }
        return out;
    }

    /** The tenant each record's raw topic carries: what the service will give its events. */
    String tenantOf(ConsumerRecord<String, byte[]> r) {
        return TenantTopics.from(config).tenantOf(r.topic());
    }

    static int unusedPort() {
        return FreePorts.next();
    }

    interface StatusProbe {
        int status() throws Exception;
    }

    /** Repeats the probe until it answers {@code status}; each probe is one request, no sleeping. */
    static void awaitStatus(int status, StatusProbe probe) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = probe.status();
            if (last == status) {
                return;
            }
        }
        throw new AssertionError("still " + last + " instead of " + status + " after 30 s");
    }
}
