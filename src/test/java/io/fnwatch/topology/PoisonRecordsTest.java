package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.FanOutBomb;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.serde.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, oversized and late records between good ones: the good ones must give exactly the alerts they
 * give alone, and every bad one must reach the dead-letter topic once, with its reason. (The crash tests
 * check the same on a real broker, with poison in their input.)
 */
class PoisonRecordsTest {

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String ORDERS = "default/aws/123456789012/us-east-1/orders-api";
    private static final FnwatchConfig CONFIG = FnwatchConfig.of(Map.of(FnwatchConfig.MAX_RECORD_BYTES, "4096"));

    @TempDir
    Path state;

    record Input(String key, byte[] value, long timestamp, String poison) {}

    private record Result(List<String> alerts, Map<String, Integer> deadLetters) {}

    @Test
    void shouldGiveExactAlertsAndDeadLetterEveryPoisonRecordWithItsReason() {
        List<Input> good = goodRecords();
        List<Input> mixed = interleavePoison(good);

        Result clean = run(good, "clean");
        Result poisoned = run(mixed, "poisoned");

        assertThat(clean.alerts()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(poisoned.alerts()).as("the good records' alerts, exactly").isEqualTo(clean.alerts());
        Map<String, Integer> expected = new TreeMap<>();
        mixed.stream().filter(i -> i.poison() != null).forEach(i -> expected.merge(i.poison(), 1, Integer::sum));
        assertThat(expected.keySet()).containsExactly("BAD_JSON", "LATE", "TOO_LARGE", "UNKNOWN_FORMAT");
        assertThat(poisoned.deadLetters()).isEqualTo(expected);
        assertThat(clean.deadLetters()).isEmpty();
    }

    @Test
    void shouldDeadLetterFanOutBombsOnceAsTooLargeAndKeepTheGoodRecordsAlertsWhenBombsArriveBetweenThem() {
        FnwatchConfig defaults = FnwatchConfig.of(Map.of());
        List<Input> good = goodRecords();
        List<Input> mixed = new ArrayList<>(good);
        long t = good.get(good.size() / 2).timestamp();
        mixed.add(good.size() / 2, new Input(null, FanOutBomb.eventBomb().bytes(), t, "TOO_LARGE"));
        mixed.add(good.size() / 3, new Input(null, FanOutBomb.inflationBomb().bytes(), t, "TOO_LARGE"));

        Result clean = run(good, "clean-bombs", defaults);
        Result bombed = run(mixed, "bombed", defaults);

        assertThat(clean.alerts()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bombed.alerts()).as("the good records' alerts, exactly").isEqualTo(clean.alerts());
        assertThat(bombed.deadLetters()).isEqualTo(Map.of("TOO_LARGE", 2));
    }

    static List<Input> goodRecords() {
        Random random = new Random(11);
        List<Input> out = new ArrayList<>();
        for (long m = 0; m < 180; m++) {
            int perMinute = m >= 130 && m < 140 ? 150 : 5;
            for (int i = 0; i < perMinute; i++) {
                long t = T0 + m * MINUTE + (long) (i * (MINUTE / (double) perMinute));
                out.add(new Input(ORDERS, report(t, 80 + random.nextInt(20)), t, null));
            }
        }
        return out;
    }

    private static List<Input> interleavePoison(List<Input> good) {
        List<Input> out = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            Input g = good.get(i);
            out.add(g);
            if (i % 97 == 50) {
                String poison = switch (i % 4) {
                    case 0 -> "BAD_JSON";
                    case 1 -> "UNKNOWN_FORMAT";
                    case 2 -> "TOO_LARGE";
                    default -> "LATE";
                };
                out.add(poison(poison, g.timestamp()));
            }
        }
        return out;
    }

    private static Input poison(String kind, long t) {
        return switch (kind) {
            case "BAD_JSON" ->
                new Input(null, bytes("{\"logGroup\":\"/aws/lambda/orders-api\",\"timestamp\":"), t, kind);
            case "UNKNOWN_FORMAT" -> new Input(null, bytes("{\"hello\":\"world\"}"), t, kind);
            case "TOO_LARGE" -> new Input(null, line(t, "x".repeat(5_000)), t, kind);
            default -> new Input(ORDERS, report(t - 60 * MINUTE, 90), t - 60 * MINUTE, kind);
        };
    }

    private Result run(List<Input> inputs, String name) {
        return run(inputs, name, CONFIG);
    }

    private Result run(List<Input> inputs, String name, FnwatchConfig config) {
        Topics topics = Topics.from(config);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "fnwatch-poison");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.resolve(name).toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                FnwatchTopology.build(config, DetectorConfig.load(Path.of("detectors"), 5 * MINUTE)), p)) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(
                    topics.raw().name(),
                    topics.raw().keySerde().serializer(),
                    topics.raw().valueSerde().serializer());
            inputs.forEach(i -> raw.pipeInput(i.key(), i.value(), i.timestamp()));
            List<String> alerts = driver
                    .createOutputTopic(
                            topics.alerts().name(),
                            topics.alerts().keySerde().deserializer(),
                            topics.alerts().valueSerde().deserializer())
                    .readValuesToList()
                    .stream()
                    .map(Json::string)
                    .toList();
            Map<String, Integer> dead = new TreeMap<>();
            driver.createOutputTopic(
                            topics.deadLetters().name(),
                            topics.deadLetters().keySerde().deserializer(),
                            topics.deadLetters().valueSerde().deserializer())
                    .readValuesToList()
                    .forEach((DeadLetter d) -> dead.merge(d.reason(), 1, Integer::sum));
            return new Result(alerts, dead);
        }
    }

    private static byte[] report(long t, double ms) {
        return line(
                t,
                "REPORT RequestId: r-" + t + "\\tDuration: " + ms + " ms\\tBilled Duration: " + (long) Math.ceil(ms)
                        + " ms\\tMemory Size: 512 MB\\tMax Memory Used: 90 MB\\t");
    }

    private static byte[] line(long t, String message) {
        return bytes("{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"2026/03/02/[$LATEST]ab\",\"timestamp\":"
                + t + ",\"message\":\"" + message + "\",\"account\":\"123456789012\",\"region\":\"us-east-1\"}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
