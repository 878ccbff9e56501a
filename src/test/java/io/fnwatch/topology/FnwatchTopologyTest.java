package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.serde.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FnwatchTopologyTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String ORDERS = "default/aws/123456789012/us-east-1/orders-api";

    @TempDir
    Path state;

    private final FnwatchConfig config = FnwatchConfig.of(Map.of());
    private final Topics topics = Topics.from(config);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, Map<String, Object>> inventory;

    private static Topology topology(FnwatchConfig c) {
        return FnwatchTopology.build(c, DetectorConfig.load(Path.of("detectors"), 5 * MINUTE));
    }

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(topology(config), p);
        raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        alerts = driver.createOutputTopic(
                topics.alerts().name(),
                topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(
                topics.deadLetters().name(),
                topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
        inventory = driver.createOutputTopic(
                topics.inventory().name(),
                topics.inventory().keySerde().deserializer(),
                topics.inventory().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static byte[] line(String function, long t, String message) {
        String json = "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + t + ",\"message\":\"" + message + "\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] report(String function, long t, double ms) {
        return line(
                function,
                t,
                "REPORT RequestId: r-" + t + "\\tDuration: " + ms + " ms\\tBilled Duration: " + (long) Math.ceil(ms)
                        + " ms\\tMemory Size: 512 MB\\tMax Memory Used: 90 MB\\t");
    }

    private void send(String key, byte[] value, long t) {
        raw.pipeInput(key, value, t);
    }

    @Test
    void shouldPinProcessorStoreAndTopicNamesBecauseRenamingDiscardsState() {
        TopologyDescription d = topology(config).describe();
        Set<String> nodes = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        Set<String> sinks = new TreeSet<>();
        for (TopologyDescription.Subtopology s : d.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                nodes.add(n.name());
                if (n instanceof TopologyDescription.Processor proc) {
                    stores.addAll(proc.stores());
                }
                if (n instanceof TopologyDescription.Sink sink) {
                    sinks.add(sink.topic());
                }
            }
        }

        // the account aggregation of concurrency is a second subtopology (tasks 1_p): the detectors' stay 0_p
        assertThat(d.subtopologies()).hasSize(2);
        assertThat(stores)
                .containsExactly(
                        "concurrency-accounts-store",
                        "detectors-deadlines-store",
                        "detectors-history-store",
                        "detectors-state-store");
        assertThat(sinks)
                .containsExactlyInAnyOrder(
                        "fnwatch-alerts",
                        "fnwatch-dead-letters",
                        "fnwatch-inventory",
                        "events-by-function-repartition",
                        "concurrency-by-account-repartition");
        assertThat(nodes)
                .containsExactlyInAnyOrder(
                        "normalize-source",
                        "normalize-parse",
                        "normalize-",
                        "normalize-dead-letters",
                        "normalize-unkeyed",
                        "normalize-detected",
                        "normalize-dead-letter-values",
                        "normalize-dead-letters-sink",
                        "normalize-unkeyed-events",
                        "events-by-function-repartition-filter",
                        "events-by-function-repartition-sink",
                        "events-by-function-repartition-source",
                        "detectors-detect",
                        "detectors-merge",
                        "detectors-",
                        "detectors-alerts",
                        "detectors-inventory",
                        "detectors-dead-letters",
                        "detectors-alert-values",
                        "alerts-sink",
                        "detectors-inventory-values",
                        "inventory-sink",
                        "detectors-dead-letter-values",
                        "detectors-dead-letters-sink",
                        "inventory-source",
                        "detectors-seed",
                        "detectors-slices",
                        "concurrency-slice-values",
                        "concurrency-by-account-repartition-filter",
                        "concurrency-by-account-repartition-sink",
                        "concurrency-by-account-repartition-source",
                        "concurrency-accounts",
                        "concurrency-alerts-sink");
    }

    @Test
    void shouldEmitOneOpenAndOneResolvedWhenTrafficSpikesAndNothingPerRecord() {
        Random random = new Random(7);
        int records = 0;
        for (long m = 0; m < 180; m++) {
            int perMinute = m >= 120 && m < 130 ? 150 : 5;
            for (int i = 0; i < perMinute; i++) {
                long t = T0 + m * MINUTE + (long) (i * (MINUTE / (double) perMinute));
                send(ORDERS, report("orders-api", t, 80 + random.nextInt(20)), t);
                records++;
            }
        }

        List<Alert> out = alerts.readValuesToList();
        assertThat(records).isGreaterThan(2000);
        // one incident: OPEN when confirmed, one update as its severity rises, one RESOLVED
        assertThat(out)
                .extracting(Alert::type, Alert::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertType.TRAFFIC_SPIKE, AlertState.OPEN),
                        org.assertj.core.groups.Tuple.tuple(AlertType.TRAFFIC_SPIKE, AlertState.OPEN),
                        org.assertj.core.groups.Tuple.tuple(AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED));
        assertThat(out).extracting(Alert::id).containsOnly(out.get(0).id());
        assertThat(out.get(1).severity()).isGreaterThan(out.get(0).severity());
        assertThat(out.get(0).function()).isEqualTo("orders-api");
        assertThat(out.get(0).account()).isEqualTo("123456789012");
        assertThat(out.get(0).detectedAt().toEpochMilli()).isBetween(T0 + 121 * MINUTE, T0 + 122 * MINUTE);
        assertThat(inventory.readKeyValuesToMap()).containsKey(ORDERS);
    }

    @Test
    void shouldDeadLetterMalformedRecordsWithReasonAndOriginalBytes() {
        byte[] bad = "not a log line".getBytes(StandardCharsets.UTF_8);
        send(null, bad, T0);
        send(ORDERS, line("orders-api", T0, "START RequestId: x Version: 1"), T0);

        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("UNKNOWN_FORMAT");
            assertThat(d.topic()).isEqualTo("fnwatch-logs-raw");
            assertThat(d.offset()).isZero();
            assertThat(Base64.getDecoder().decode(d.payloadBase64())).isEqualTo(bad);
        });
    }

    @Test
    void shouldGiveEventsTheTenantOfTheirRawTopicWhateverTheHeaderAndPayloadClaim() {
        byte[] claimsOther = ("{\"logGroup\":\"/aws/lambda/orders-api\",\"timestamp\":" + T0 + ",\"message\":"
                        + "\"START RequestId: a Version: 1\",\"tenant\":\"victim\",\"account\":\"123456789012\","
                        + "\"region\":\"us-east-1\"}")
                .getBytes(StandardCharsets.UTF_8);
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("fnwatch-tenant", "victim".getBytes(StandardCharsets.UTF_8));
        TestInputTopic<String, byte[]> acme = driver.createInputTopic(
                topics.raw().name() + ".acme",
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        acme.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, claimsOther, headers, T0));
        raw.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, claimsOther, headers, T0 + 1));

        Map<String, Map<String, Object>> inv = inventory.readKeyValuesToMap();
        assertThat(inv)
                .containsOnlyKeys(
                        "acme/aws/123456789012/us-east-1/orders-api", "default/aws/123456789012/us-east-1/orders-api");
        assertThat(inv.values()).extracting(m -> m.get("tenant")).containsExactlyInAnyOrder("acme", "default");
    }

    @Test
    void shouldKeyASubscriptionPayloadWithTheRegionHeaderIngestWroteAndIgnoreAHostileOne() {
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":"
                + "\"/aws/lambda/orders-api\",\"logStream\":\"2026/03/02/[1]ab\",\"logEvents\":[{\"id\":\"1\","
                + "\"timestamp\":" + T0 + ",\"message\":\"START RequestId: a Version: 1\"}]}";
        byte[] value = payload.getBytes(StandardCharsets.UTF_8);
        org.apache.kafka.common.header.internals.RecordHeaders region =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        region.add("fnwatch.region", "us-east-1".getBytes(StandardCharsets.UTF_8));
        org.apache.kafka.common.header.internals.RecordHeaders hostile =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        hostile.add("fnwatch.region", "../us-east-1".getBytes(StandardCharsets.UTF_8));

        raw.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(ORDERS, value, region, T0));
        raw.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, value, hostile, T0 + 1));

        assertThat(inventory.readKeyValuesToMap()).containsOnlyKeys(ORDERS, "default/aws/123456789012/-/orders-api");
        assertThat(deadLetters.readValuesToList()).isEmpty();
    }

    @Test
    void shouldDetectRecordsThatArriveWithoutAFunctionKey() {
        send(null, line("sleepy", T0, "START RequestId: a Version: $LATEST"), T0);
        long wake = T0 + 40L * 24 * 60 * MINUTE;
        send(null, line("sleepy", wake, "START RequestId: b Version: $LATEST"), wake);

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALE_FUNCTION_INVOKED);
            assertThat(a.function()).isEqualTo("sleepy");
        });
    }

    @Test
    void shouldAlertOnTheFirstInvocationOfAFunctionTheInventorySeedsAsDormantAndIgnoreItsOwnEntries() {
        String sleepy = "default/aws/123456789012/us-east-1/sleepy";
        String busy = "default/aws/123456789012/us-east-1/busy";
        TestInputTopic<String, Map<String, Object>> seeds = driver.createInputTopic(
                topics.inventory().name(),
                topics.inventory().keySerde().serializer(),
                topics.inventory().valueSerde().serializer());
        long monthsAgo = T0 - 200L * 24 * 60 * MINUTE;
        Map<String, Object> seed = new java.util.HashMap<>(Map.of(
                "function", "sleepy",
                "lastInvoked", Instant.ofEpochMilli(monthsAgo).toString(),
                "runtime", "aws:python3.12",
                "seededFrom", "cloudwatch"));
        seeds.pipeInput(sleepy, seed, T0 - 1);
        // an entry the service wrote itself (no seededFrom) teaches nothing
        seeds.pipeInput(
                busy, Map.of("lastInvoked", Instant.ofEpochMilli(monthsAgo).toString()), T0 - 1);

        send(null, line("sleepy", T0, "START RequestId: a Version: $LATEST"), T0);
        send(null, line("busy", T0, "START RequestId: b Version: $LATEST"), T0);

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALE_FUNCTION_INVOKED);
            assertThat(a.function()).isEqualTo("sleepy");
            assertThat(a.evidence())
                    .containsEntry(
                            "lastInvokedBefore", Instant.ofEpochMilli(monthsAgo).toString());
            assertThat(a.evidence()).containsEntry("runtime", "aws:python3.12");
        });
    }

    @Test
    void shouldResolveAnIncidentOnStreamTimeWhileItsFunctionIsSilentThroughTheDeadlineIndex() {
        String legacy = "default/aws/123456789012/us-east-1/legacy-job";
        long hour = 60 * MINUTE;
        long day = 24 * hour;
        send(legacy, line("legacy-job", T0, "INIT_START Runtime Version: python:3.8.v52\\tRuntime Version ARN: x"), T0);
        send(legacy, report("legacy-job", T0 + 1_000, 50), T0 + 1_000);
        KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(DeadlineIndex.STORE);
        // filed at the earliest deadline seen (the INIT_START's dormancy end); the later one is filed when it is due
        Bytes filed = DeadlineIndex.key(T0 + 30 * day, legacy);
        assertThat(index.get(filed)).isNotNull();

        // legacy-job stays silent; orders-api's hourly calls move stream time on for 31 days
        for (long t = T0 + hour; t <= T0 + 31 * day; t += hour) {
            send(ORDERS, report("orders-api", t, 40), t);
        }

        List<Alert> legacyAlerts = alerts.readValuesToList().stream()
                .filter(a -> a.function().equals("legacy-job"))
                .toList();
        assertThat(legacyAlerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        Alert resolved = legacyAlerts.get(1);
        assertThat(resolved.type()).isEqualTo(AlertType.OUTDATED_RUNTIME_INVOKED);
        // resolved at the first event after the deadline (calls are an hour apart), not at legacy-job's next call
        assertThat(resolved.detectedAt().toEpochMilli())
                .isGreaterThanOrEqualTo(T0 + 1_000 + 30 * day)
                .isLessThanOrEqualTo(T0 + 1_000 + 30 * day + hour);
        assertThat(index.get(filed)).isNull(); // taken when due; nothing pending after the resolution
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            all.forEachRemaining(kv -> assertThat(
                            new String(kv.key.get(), 8, kv.key.get().length - 8, StandardCharsets.UTF_8))
                    .isNotEqualTo(legacy));
        }
    }

    /**
     * What a silent function's detectors conclude, and when they say they did, must not depend on how other
     * functions' events move stream time: those interleave differently when a task reads two inputs or moves to
     * another instance. The incident resolves at its own deadline whether stream time moves hourly or in one jump.
     */
    @ParameterizedTest
    @ValueSource(longs = {60 * MINUTE, 6 * 60 * MINUTE, 31 * 24 * 60 * MINUTE})
    void shouldResolveASilentFunctionsIncidentAtItsOwnDeadlineHoweverOthersMoveStreamTime(long step) {
        String legacy = "default/aws/123456789012/us-east-1/legacy-job";
        long day = 24 * 60 * MINUTE;
        send(legacy, line("legacy-job", T0, "INIT_START Runtime Version: python:3.8.v52\\tRuntime Version ARN: x"), T0);
        send(legacy, report("legacy-job", T0 + 1_000, 50), T0 + 1_000);

        for (long t = T0 + step; t <= T0 + 31 * day; t += step) {
            send(ORDERS, report("orders-api", t, 40), t);
        }

        List<Alert> legacyAlerts = alerts.readValuesToList().stream()
                .filter(a -> a.function().equals("legacy-job"))
                .toList();
        assertThat(legacyAlerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        long tick = 10_000;
        long deadline = T0 + 1_000 + 30 * day;
        assertThat(legacyAlerts.get(1).detectedAt())
                .isEqualTo(Instant.ofEpochMilli((deadline + tick - 1) / tick * tick));
    }

    @Test
    void shouldDeadLetterEventsThatArriveLaterThanTheGrace() {
        send(ORDERS, report("orders-api", T0 + 60 * MINUTE, 10), T0 + 60 * MINUTE);
        send(ORDERS, report("orders-api", T0 + 50 * MINUTE, 10), T0 + 50 * MINUTE);
        send(ORDERS, report("orders-api", T0 + 58 * MINUTE, 10), T0 + 58 * MINUTE);

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::reason)
                .containsExactly("LATE");
    }

    @Test
    void shouldGiveAlertsTheSameIdsWhenTheSameInputIsReplayedFromScratch() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            for (int i = 0; i < 12; i++) {
                long t = T0 + i * 5_000;
                send(
                        ORDERS,
                        line(
                                "orders-api",
                                t,
                                "User: arn:aws:sts::1:assumed-role/r/f is not authorized to "
                                        + "perform: s3:GetObject on resource: arn:aws:s3:::b/k"),
                        t);
            }
            runs.add(alerts.readValuesToList().stream().map(Alert::id).toList());
            driver.close();
            start();
        }

        assertThat(runs.get(0)).hasSize(1).isEqualTo(runs.get(1));
    }

    @Test
    void shouldMaskSecretsInEventsAlertsAndDeadLettersAndRaiseOneSecretAlert() {
        String secret = "hunter2-Zq81";
        send(ORDERS, line("orders-api", T0, "db url postgres://app:" + secret + "@db:5432/x"), T0);
        byte[] broken = ("{\"logGroup\":\"/aws/lambda/orders-api\",\"message\":\"password=" + secret + "\"")
                .getBytes(StandardCharsets.UTF_8);
        send(null, broken, T0);

        List<Alert> out = alerts.readValuesToList();
        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.SECRET_IN_LOGS);
            assertThat(a.evidence()).containsEntry("kinds", List.of("URL_CREDENTIALS"));
        });
        assertThat(dead)
                .singleElement()
                .satisfies(d -> assertThat(
                                new String(Base64.getDecoder().decode(d.payloadBase64()), StandardCharsets.UTF_8))
                        .contains("password=[REDACTED:SECRET_PAIR]")
                        .doesNotContain(secret));
        assertThat(io.fnwatch.model.Json.string(out)).doesNotContain(secret);
    }

    @Test
    void shouldMaskEscapedSecretsInEventsAlertsAndDeadLetters() {
        String secret = "hunter2-Zq81";
        // an API Gateway event logged as JSON in a JSON string: the message holds \"password\":\"...\"
        send(
                ORDERS,
                line(
                        "orders-api",
                        T0,
                        "{\\\"body\\\":\\\"{\\\\\\\"password\\\\\\\":\\\\\\\"" + secret + "\\\\\\\"}\\\"}"),
                T0);
        byte[] broken = ("{\"logGroup\":\"/aws/lambda/orders-api\",\"message\":\"{\\\"password\\\":\\\"" + secret
                        + "\\\"}\"")
                .getBytes(StandardCharsets.UTF_8);
        send(null, broken, T0);

        List<Alert> out = alerts.readValuesToList();
        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertThat(out)
                .singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsEntry("kinds", List.of("SECRET_PAIR")));
        assertThat(io.fnwatch.model.Json.string(out)).doesNotContain(secret);
        assertThat(dead)
                .singleElement()
                .satisfies(d -> assertThat(
                                new String(Base64.getDecoder().decode(d.payloadBase64()), StandardCharsets.UTF_8))
                        .contains("[REDACTED:SECRET_PAIR]")
                        .doesNotContain(secret));
    }

    private int steadyTraffic(
            String function, long fromMinute, long toMinute, java.util.function.LongToDoubleFunction ms) {
        String key = "default/aws/123456789012/us-east-1/" + function;
        Random random = new Random(11);
        int sent = 0;
        for (long m = fromMinute; m < toMinute; m++) {
            for (int i = 0; i < 4; i++) {
                long t = T0 + m * MINUTE + i * 15_000L + random.nextInt(1000);
                send(key, report(function, t, ms.applyAsDouble(m) * Math.exp(0.2 * random.nextGaussian())), t);
                sent++;
            }
        }
        return sent;
    }

    @Test
    void shouldEmitNothingWhenTrafficAndDurationsAreSteady() {
        int sent = steadyTraffic("steady-fn", 0, 6 * 60, m -> 120);

        assertThat(sent).isGreaterThan(1000);
        assertThat(alerts.readValuesToList()).isEmpty();
        assertThat(deadLetters.readValuesToList()).isEmpty();
    }

    @Test
    void shouldEmitOneDurationIncidentWhenWarmInvocationsTripleForHalfAnHour() {
        steadyTraffic("slow-fn", 0, 5 * 60, m -> m >= 240 && m < 270 ? 360 : 120);

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).isNotEmpty().allSatisfy(a -> assertThat(a.type()).isEqualTo(AlertType.DURATION_ANOMALY));
        assertThat(out).extracting(Alert::id).containsOnly(out.get(0).id());
        assertThat(out.get(0).state()).isEqualTo(AlertState.OPEN);
        assertThat(out.get(0).detectedAt().toEpochMilli()).isBetween(T0 + 240 * MINUTE, T0 + 250 * MINUTE);
        assertThat(out.get(out.size() - 1).state()).isEqualTo(AlertState.RESOLVED);
    }
}
