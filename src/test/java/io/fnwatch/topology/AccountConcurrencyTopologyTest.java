package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.serde.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account aggregation of CONCURRENCY_NEAR_LIMIT through the production topology: functions' slices summed
 * per tenant, provider, account and region, against an account limit of 20 (set for the test) at 80 %.
 */
class AccountConcurrencyTopologyTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long S = 1_000;
    private static final long MINUTE = 60 * S;
    private static final String A = "111111111111";
    private static final String B = "222222222222";

    @TempDir
    Path state;

    private final FnwatchConfig config = FnwatchConfig.of(Map.of());
    private final Topics topics = Topics.from(config);
    private final DetectorConfig detectors = DetectorConfig.load(Path.of("detectors"), 5 * MINUTE)
            .withOverride("concurrency", "*", Map.of("accountLimit", 20));
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestInputTopic<String, byte[]> acme;
    private TestOutputTopic<String, Alert> alerts;
    private final List<byte[][]> pending = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(FnwatchTopology.build(config, detectors, new PipelineMeters(registry)), p);
        raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        acme = driver.createInputTopic(
                io.fnwatch.serde.TenantTopics.from(config).topicOf("acme"),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        alerts = driver.createOutputTopic(
                topics.alerts().name(),
                topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private static byte[] report(String tenantAccount, String function, long end, double ms) {
        String json = "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + end + ",\"message\":\"REPORT RequestId: r-" + function + end + "\\tDuration: "
                + ms + " ms\\tBilled Duration: " + (long) Math.ceil(ms) + " ms\\tMemory Size: 512 MB\\tMax Memory"
                + " Used: 90 MB\\t\",\"account\":\"" + tenantAccount + "\",\"region\":\"us-east-1\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Calls of {@code ms} ending every second from {@code from} to {@code to}: {@code ms / 1000} at once. */
    private void calls(String account, String function, long from, long to, double ms) {
        calls(account, function, from, to, ms, false);
    }

    private void calls(String account, String function, long from, long to, double ms, boolean tenantAcme) {
        for (long t = from; t < to; t += S) {
            pending.add(new byte[][] {report(account, function, t, ms), longBytes(t), tenantAcme ? new byte[1] : null});
        }
    }

    private static byte[] longBytes(long t) {
        return java.nio.ByteBuffer.allocate(8).putLong(t).array();
    }

    /** Pipes the calls gathered so far in event-time order (stable), with key = function's log group. */
    private void pipe() {
        pending.sort(
                Comparator.comparingLong(r -> java.nio.ByteBuffer.wrap(r[1]).getLong()));
        for (byte[][] r : pending) {
            (r[2] == null ? raw : acme)
                    .pipeInput(null, r[0], java.nio.ByteBuffer.wrap(r[1]).getLong());
        }
        pending.clear();
    }

    private List<Alert> concurrencyAlerts() {
        return alerts.readValuesToList().stream()
                .filter(a -> a.type() == AlertType.CONCURRENCY_NEAR_LIMIT)
                .toList();
    }

    @Test
    void shouldOpenOnceWhenThreeFunctionsAt30PercentEachCrossTheAccountShareAndThenResolve() {
        start();
        for (String f : List.of("orders", "billing", "mailer")) {
            calls(A, f, T0, T0 + 5 * MINUTE, 6_000); // 6 at once each: 30 % of 20
            calls(A, f, T0 + 5 * MINUTE, T0 + 12 * MINUTE, 500); // then 0.5 each
        }
        pipe();
        List<Alert> out = concurrencyAlerts();
        assertThat(out).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        Alert open = out.get(0);
        assertThat(open.function()).isEqualTo("*");
        assertThat(open.account()).isEqualTo(A);
        assertThat(open.region()).isEqualTo("us-east-1");
        assertThat(open.id()).isEqualTo(out.get(1).id());
        assertThat(open.observed()).isGreaterThanOrEqualTo(16);
        assertThat(open.evidence())
                .containsEntry("limit", 20)
                .containsEntry("limitSource", "accountLimit")
                .containsEntry("functionsInSlice", 3)
                .containsKeys("peakConcurrency", "meanConcurrency", "topFunctions");
        assertThat((List<?>) open.evidence().get("topFunctions")).hasSize(3);
        // opened when the functions' first slice closed (its end plus the hold, on the next 10-second tick)
        assertThat(open.detectedAt().toEpochMilli()).isBetween(T0 + MINUTE, T0 + 2 * MINUTE);
    }

    @Test
    void shouldKeepAccountsAndTenantsApart() {
        start();
        calls(A, "orders", T0, T0 + 5 * MINUTE, 6_000);
        calls(A, "billing", T0, T0 + 5 * MINUTE, 6_000);
        calls(B, "mailer", T0, T0 + 5 * MINUTE, 6_000); // another account: 12 + 6 would cross, 12 alone does not
        calls(A, "mailer", T0, T0 + 5 * MINUTE, 6_000, true); // the same account id of another tenant
        pipe();
        assertThat(concurrencyAlerts()).isEmpty();
        // and the third function in the default tenant's account takes it over
        calls(A, "mailer", T0 + 5 * MINUTE, T0 + 8 * MINUTE, 6_000);
        calls(A, "orders", T0 + 5 * MINUTE, T0 + 8 * MINUTE, 6_000);
        calls(A, "billing", T0 + 5 * MINUTE, T0 + 8 * MINUTE, 6_000);
        pipe();
        assertThat(concurrencyAlerts())
                .singleElement()
                .satisfies(a -> assertThat(a.tenant()).isEqualTo("default"))
                .satisfies(a -> assertThat(a.account()).isEqualTo(A));
    }

    @Test
    void shouldCountSlicesThatArriveLateWithinTheGrace() {
        start();
        calls(A, "orders", T0, T0 + 4 * MINUTE, 6_000);
        calls(A, "billing", T0, T0 + 4 * MINUTE, 6_000);
        pipe(); // 60 %: quiet
        assertThat(concurrencyAlerts()).isEmpty();
        calls(A, "mailer", T0, T0 + 4 * MINUTE, 6_000); // its slices reach the account minutes after the others'
        pipe();
        List<Alert> out = concurrencyAlerts();
        assertThat(out).extracting(Alert::state).containsExactly(AlertState.OPEN);
        assertThat(out.get(0).windowStart().toEpochMilli()).isLessThan(T0 + 4 * MINUTE);
    }

    @Test
    void shouldDropSlicesLaterThanTheGrace() {
        start();
        calls(A, "orders", T0, T0 + 8 * MINUTE, 6_000);
        calls(A, "billing", T0, T0 + 8 * MINUTE, 6_000);
        pipe(); // the account's clock is at 7:20, its slices from 0:00 still held
        calls(A, "mailer", T0, T0 + 2 * MINUTE, 6_000); // its slice 0:00 ends 7 minutes before: past the 5m grace
        pipe();
        assertThat(concurrencyAlerts()).isEmpty();
        // not silently: the operator sees slices left out of the sum
        assertThat(registry.counter("fnwatch.concurrency.slices.dropped").count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldKeepTheDecisionAcrossARestartWithTheStoredState() {
        start();
        for (String f : List.of("orders", "billing", "mailer")) {
            calls(A, f, T0, T0 + 3 * MINUTE, 6_000);
        }
        pipe();
        List<Alert> before = concurrencyAlerts();
        assertThat(before).extracting(Alert::state).containsExactly(AlertState.OPEN);
        List<KeyValue<String, byte[]>> saved = new ArrayList<>();
        AccountStore store = (AccountStore) driver.getAllStateStores().get(AccountProcessor.STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(saved::add);
        }
        driver.close();
        driver = null;
        // a new task restores the account store (its changelog) and goes on: the same incident, no second OPEN
        start();
        AccountStore restored = (AccountStore) driver.getAllStateStores().get(AccountProcessor.STORE);
        saved.forEach(kv -> restored.restore(kv.key, kv.value));
        for (String f : List.of("orders", "billing", "mailer")) {
            calls(A, f, T0 + 3 * MINUTE, T0 + 5 * MINUTE, 6_000);
            calls(A, f, T0 + 5 * MINUTE, T0 + 12 * MINUTE, 500);
        }
        pipe();
        List<Alert> after = concurrencyAlerts();
        assertThat(after).extracting(Alert::state).containsExactly(AlertState.RESOLVED);
        assertThat(after.get(0).id()).isEqualTo(before.get(0).id());
    }

    @Test
    void shouldJudgeAFunctionAgainstTheReservedConcurrencyItsInventorySeedCarries() {
        start();
        TestInputTopic<String, Map<String, Object>> inventory = driver.createInputTopic(
                topics.inventory().name(),
                topics.inventory().keySerde().serializer(),
                topics.inventory().valueSerde().serializer());
        String key = "default/aws/" + A + "/us-east-1/orders";
        Map<String, Object> seed = new java.util.LinkedHashMap<>();
        seed.put("function", "orders");
        seed.put("lastInvoked", "2026-03-01T00:00:00Z");
        seed.put("seededFrom", "import");
        seed.put("reservedConcurrency", 5);
        inventory.pipeInput(key, seed, T0 - MINUTE);
        calls(A, "orders", T0, T0 + 3 * MINUTE, 4_500); // 4.5 at once: 90 % of 5
        pipe();
        List<Alert> out = concurrencyAlerts();
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.function()).isEqualTo("orders");
            assertThat(a.evidence()).containsEntry("limit", 5).containsEntry("limitSource", "inventory");
        });
    }
}
