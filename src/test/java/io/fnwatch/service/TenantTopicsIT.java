package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.http.FunctionsEndpoint;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.topology.FnwatchTopology;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 8 of issue 13: a producer on the raw topics speaks only for the tenants its Kafka principal may
 * write. A broker with SASL/SCRAM and ACLs; the service logs in as the super user, the shipper
 * {@code shipper-acme} holds one LITERAL WRITE grant, on {@code <raw>.acme}.
 */
class TenantTopicsIT {

    private static final EmbeddedKafka.Sasl SUPER = new EmbeddedKafka.Sasl("fnwatch", "fnwatch-secret");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(SUPER);

    private static final String RAW = "t-logs-raw";
    private static final String SHIPPER = "shipper-acme";
    private static final String SHIPPER_PASSWORD = "shipper-acme-secret";
    private static final String ACCOUNT = "123456789012";
    private static final long T0 = 1_700_000_000_000L;
    private static final Map<String, String> TENANT_KEYS = Map.of(
            "acme", "key-acme-0123456789", "globex", "key-globex-0123456789", "initech", "key-initech-0123456789");

    @TempDir
    static Path dir;

    private static FnwatchConfig service;
    private static FnwatchService running;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                FnwatchConfig.BOOTSTRAP_SERVERS,
                KAFKA.bootstrapServers(),
                FnwatchConfig.APPLICATION_ID,
                "fnwatch-tenants-it",
                FnwatchConfig.STATE_DIR,
                dir.resolve("state").toString(),
                FnwatchConfig.TOPIC_RAW,
                RAW,
                FnwatchConfig.RAW_TENANTS,
                "acme,globex",
                OpsSettings.HTTP_PORT,
                "0",
                OpsSettings.INTERNAL_PORT,
                "0",
                OpsSettings.KEYS_FILE,
                keysFile().toString(),
                // finds a tenant topic created after the start in a second, not the default minute
                FnwatchConfig.KAFKA_PREFIX + "metadata.max.age.ms",
                "500"));
        s.putAll(kafkaLogin(SUPER.superUser(), SUPER.superPassword()));
        service = FnwatchConfig.of(s);
        TopicAdmin.ensure(service);
        try (Admin admin = Admin.create(KafkaClients.common(service))) {
            // a tenant whose name begins with "acme": a PREFIXED grant on <raw>.acme would reach it
            admin.createTopics(List.of(TopicAdmin.rawTopic(service, RAW + ".acmecorp")))
                    .all()
                    .get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            SHIPPER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), SHIPPER_PASSWORD)))
                    .all()
                    .get();
            AclBinding write = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, RAW + ".acme", PatternType.LITERAL),
                    new AccessControlEntry("User:" + SHIPPER, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
            admin.createAcls(List.of(write)).all().get();
            // the broker answers from its own authorizer: once it lists the grant, it enforces it
            Await.until(
                    "the broker to know the grant",
                    Duration.ofSeconds(30),
                    () -> admin.describeAcls(AclBindingFilter.ANY)
                            .values()
                            .get()
                            .contains(write));
        }
        running = FnwatchService.start(
                new FnwatchService.Started(service, null),
                DetectorConfig.load(Path.of("detectors"), 300_000),
                Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static Path keysFile() throws Exception {
        StringBuilder keys = new StringBuilder("{\"keys\":[");
        for (var e : TENANT_KEYS.entrySet()) {
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(e.getValue().getBytes(StandardCharsets.UTF_8)));
            keys.append(keys.charAt(keys.length() - 1) == '[' ? "" : ",")
                    .append("{\"id\":\"")
                    .append(e.getKey())
                    .append("-1\",\"sha256\":\"")
                    .append(sha)
                    .append("\",\"tenant\":\"")
                    .append(e.getKey())
                    .append("\"}");
        }
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("keys.json"), keys.append("]}").toString());
    }

    private static Map<String, String> kafkaLogin(String user, String password) {
        Map<String, String> out = new HashMap<>();
        EmbeddedKafka.Sasl.client(user, password)
                .forEach((k, v) -> out.put(FnwatchConfig.KAFKA_PREFIX + k, String.valueOf(v)));
        return out;
    }

    private static KafkaProducer<String, byte[]> shipper() {
        Map<String, String> s = new HashMap<>(kafkaLogin(SHIPPER, SHIPPER_PASSWORD));
        s.put(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        Map<String, Object> p = KafkaClients.producer(FnwatchConfig.of(s));
        p.put("max.block.ms", 15_000);
        return new KafkaProducer<>(p);
    }

    /** A CloudWatch event that claims tenant {@code claimed} in its payload. */
    private static byte[] claiming(String function, String claimed) {
        return ("{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2023/11/14/[1]abc\",\"timestamp\":"
                        + T0 + ",\"message\":\"START RequestId: a Version: 1\",\"account\":\"" + ACCOUNT
                        + "\",\"region\":\"us-east-1\",\"tenant\":\"" + claimed + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String key(String tenant, String function) {
        return tenant + "/aws/" + ACCOUNT + "/us-east-1/" + function;
    }

    /** {@code GET /functions/{key}} with {@code tenant}'s key. */
    private static HttpProbe.Response status(String tenant, String function) {
        return HttpProbe.get(
                running.apiPort(),
                FunctionsEndpoint.PATH + URLEncoder.encode(key(tenant, function), StandardCharsets.UTF_8),
                TENANT_KEYS.get(tenant));
    }

    /** The failure of one send, or null when Kafka took the record. */
    private static Throwable sendFailure(KafkaProducer<String, byte[]> p, ProducerRecord<String, byte[]> r)
            throws InterruptedException {
        try {
            p.send(r).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException | java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    @Test
    void shouldRefuseTheShippersWritesToEveryRawTopicButItsTenants() throws Exception {
        for (String other : List.of(RAW + ".globex", RAW + ".acmecorp", RAW)) {
            try (KafkaProducer<String, byte[]> p = shipper()) {
                assertThat(sendFailure(p, new ProducerRecord<>(other, null, claiming("fn", "acme"))))
                        .as(other)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void shouldGiveTheShippersRecordsItsTenantWhateverTheyClaim() throws Exception {
        ProducerRecord<String, byte[]> hostile = new ProducerRecord<>(
                RAW + ".acme", null, T0, key("globex", "injected"), claiming("injected", "globex"));
        hostile.headers().add("fnwatch-tenant", "globex".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> p = shipper()) {
            assertThat(sendFailure(p, hostile)).isNull();
        }

        // the inventory tells when the record was processed, whichever tenant it was given
        Await.until(
                "the injected function in the inventory",
                Duration.ofMinutes(1),
                () -> inventoryKeys().stream().anyMatch(k -> k.endsWith("/injected")));
        assertThat(inventoryKeys()).filteredOn(k -> k.endsWith("/injected")).containsExactly(key("acme", "injected"));
        assertThat(stateKeys()).contains(key("acme", "injected")).noneMatch(k -> k.startsWith("globex/"));
        HttpProbe.Response globex = status("globex", "injected");
        assertThat(globex.status()).as(globex.body()).isEqualTo(404);
        assertThat(status("acme", "injected").status()).isEqualTo(200);
    }

    private static List<String> inventoryKeys() {
        List<String> keys = new ArrayList<>();
        try (TopicReader r = new TopicReader(service, service.string(FnwatchConfig.TOPIC_INVENTORY))) {
            r.readToEnd(rec -> keys.add(rec.key()));
        }
        return keys;
    }

    @Test
    void shouldReplayATenantsFilesAsTheShipperKeyedAsTheServiceWillKeyThem() throws Exception {
        Path file = Files.write(dir.resolve("acme.jsonl"), claiming("replayed", "globex"));
        Map<String, String> s = new HashMap<>(kafkaLogin(SHIPPER, SHIPPER_PASSWORD));
        s.put(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        FnwatchConfig shipper = FnwatchConfig.of(s);

        new FileReplayer(KafkaClients.producer(shipper), RAW + ".acme", "acme", shipper.parserSettings())
                .replay(List.of(file), n -> {});

        List<String> keys = new ArrayList<>();
        try (TopicReader r = new TopicReader(service, RAW + ".acme")) {
            r.readToEnd(rec -> keys.add(rec.key()));
        }
        assertThat(keys).contains(key("acme", "replayed"));
        Await.until(
                "acme's replayed function in the state",
                Duration.ofMinutes(1),
                () -> status("acme", "replayed").status() == 200);
    }

    @Test
    void shouldReadATenantTopicCreatedAfterTheStart() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.common(service))) {
            NewTopic initech = TopicAdmin.rawTopic(service, RAW + ".initech");
            admin.createTopics(List.of(initech)).all().get();
        }
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(service))) {
            assertThat(sendFailure(
                            p, new ProducerRecord<>(RAW + ".initech", null, T0, null, claiming("late-tenant", "acme"))))
                    .isNull();
        }

        Await.until(
                "initech's function in the state",
                Duration.ofMinutes(1),
                () -> status("initech", "late-tenant").status() == 200);
        assertThat(status("acme", "late-tenant").status()).isEqualTo(404);
    }

    private static List<String> stateKeys() {
        List<String> keys = new ArrayList<>();
        ReadOnlyKeyValueStore<String, byte[]> store = running.streams()
                .store(StoreQueryParameters.fromNameAndType(
                        FnwatchTopology.STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
