package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances (child JVMs, one application id, separate state directories) share the partitions; one is
 * killed mid-stream and the other takes its tasks over. The alerts must equal an uninterrupted single
 * instance's, and the status page must answer on either instance, forwarding to the one holding the key.
 */
@Tag("slow")
class ScaleOutIT extends AgainstReferenceRun {

    private static final String KEY = "default/aws/123456789012/us-east-1/auth-authorizer";

    @Test
    void shouldShareTheWorkAndTakeOverWhenOneInstanceIsKilled() throws Exception {
        Map<String, String> run = harness.settings("scale", "exactly_once_v2");
        // the killed instance's open transaction ends by its timeout (3 min by default, see StreamsSettings);
        // Streams' own 10 s keeps the take-over, not the timeout, what this test waits for
        run.put("kafka.producer.transaction.timeout.ms", "10000");
        Map<String, String> a = harness.instance(run, "a");
        Map<String, String> b = harness.instance(run, "b");
        FnwatchConfig c = harness.config(a);
        TopicAdmin.ensure(c);
        try (ServiceProcess first = harness.start(a, "scale-a");
                ServiceProcess second = harness.start(b, "scale-b");
                KafkaProbe probe = new KafkaProbe(c)) {
            Await.until(
                    "both instances to hold partitions",
                    CrashHarness.STEP,
                    () -> probe.membersWithPartitions() == 2,
                    () -> first.tail() + "\n" + second.tail());
            long records = harness.replay(c);
            Await.until(
                    "a third processed", CrashHarness.STEP, () -> probe.committedInput() >= records / 3, second::tail);
            String owner = assertBothInstancesAnswerFor(KEY, port(a), port(b));

            first.kill();
            long killedAt = probe.committedInput();
            CrashHarness.awaitDone(c, probe, second);

            RunOutput out = RunOutput.read(c);
            AlertsDiff d = AlertsDiff.of(reference.alertsByFunction(), out.alertsByFunction());
            System.out.printf(
                    "scale-out: %d records, first instance killed at committed %d, owner of %s was %s: %s%n",
                    records, killedAt, KEY, owner, d);
            assertThat(d.identical())
                    .as(() -> d + AlertsDiff.differences(reference.alertsByFunction(), out.alertsByFunction(), 5))
                    .isTrue();
            assertThat(out.deadLetters())
                    .as(() -> reference.deadLettersDiff(out))
                    .isEqualTo(reference.deadLetters());
            assertSurvivorAnswersAlone(b);
        }
    }

    /** Each instance answers for the key, one locally and one by forwarding; returns the owner. */
    private static String assertBothInstancesAnswerFor(String key, int portA, int portB) throws Exception {
        String path = FunctionsPath.of(key);
        Await.until(
                "both instances to answer for " + key,
                Duration.ofMinutes(1),
                () -> HttpProbe.get(portA, path, CrashHarness.TENANT_KEY).status() == 200
                        && HttpProbe.get(portB, path, CrashHarness.TENANT_KEY).status() == 200);
        JsonNode fromA = Json.MAPPER.readTree(
                HttpProbe.get(portA, path, CrashHarness.TENANT_KEY).body());
        JsonNode fromB = Json.MAPPER.readTree(
                HttpProbe.get(portB, path, CrashHarness.TENANT_KEY).body());
        assertThat(fromA.path("servedBy").asText())
                .isEqualTo(fromB.path("servedBy").asText());
        assertThat(fromA.path("function").asText()).isEqualTo("auth-authorizer");
        assertThat(fromA.path("baselines").path("traffic").has("expectedPerBucket"))
                .isTrue();
        assertThat(HttpProbe.get(portA, path, null).status()).isEqualTo(401);
        assertThat(HttpProbe.get(portB, path, "not-a-key").status()).isEqualTo(401);
        assertThat(HttpProbe.get(portA, path, CrashHarness.OTHER_TENANT_KEY).status())
                .isEqualTo(403);
        assertThat(HttpProbe.get(portB, "/functions/not-a-key", CrashHarness.TENANT_KEY)
                        .status())
                .isEqualTo(400);
        return fromA.path("servedBy").asText();
    }

    private static void assertSurvivorAnswersAlone(Map<String, String> survivor) throws Exception {
        int api = port(survivor);
        int internal = Integer.parseInt(survivor.get(OpsSettings.INTERNAL_PORT));
        HttpProbe.Response status = HttpProbe.get(api, FunctionsPath.of(KEY), CrashHarness.TENANT_KEY);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(status.body()).path("servedBy").asText())
                .endsWith(":" + api);
        assertThat(HttpProbe.get(internal, "/readyz").status()).isEqualTo(200);
        String metrics = HttpProbe.get(internal, "/metrics").body();
        assertThat(metrics)
                .contains(
                        "fnwatch_records_in_total{topic=\"scale-logs-raw\"}",
                        "fnwatch_alerts_total{",
                        "fnwatch_dead_letters_total{reason=\"TOO_LARGE\"}",
                        "fnwatch_events_total{kind=\"INVOCATION\"",
                        "fnwatch_consumer_lag{topic=\"scale-logs-raw\"}",
                        "fnwatch_state_restore_records_total",
                        "kafka_stream_");
        assertThat(counter(metrics, "fnwatch_parse_records_total{where=\"parser-thread\"}"))
                .as("records parsed ahead by the parser thread")
                .isPositive();
    }

    /** A counter's value in Prometheus text, or -1 when absent. */
    private static double counter(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(-1);
    }

    private static int port(Map<String, String> instance) {
        return Integer.parseInt(instance.get(OpsSettings.HTTP_PORT));
    }

    /** The status path of a function key, URL-encoded as a client would send it. */
    static final class FunctionsPath {
        static String of(String key) {
            return "/functions/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        }
    }
}
