package io.fnwatch.ingest.pull;

import static io.fnwatch.ingest.pull.PulledLogs.azure;
import static io.fnwatch.ingest.pull.PulledLogs.azureRecord;
import static io.fnwatch.ingest.pull.PulledLogs.gcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PulledRecordsTest {

    private static final String SUB = "12cabcb4-86e8-404f-a3d2-1dc9982f45ca";
    private final FnwatchConfig config = FnwatchConfig.of(Map.of("tenant.default", "default"));
    private final PulledRecords records = new PulledRecords(config, () -> PulledLogs.T0);
    private final PullSource acme = new PullSource("eventhubs", "fn-logs", "acme", List.of());

    @Test
    void shouldWriteOneFunctionsEntryAsItIsKeyedByItsFunctionOnTheSourcesTenantsTopic() {
        byte[] entry = gcp("acme-prod", "checkout", "i1", 5);
        PulledRecords.Batch b =
                records.convert(new PullSource("pubsub", "projects/p/subscriptions/s", "acme", List.of()), entry);

        assertThat(b.records()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("fnwatch-logs-raw.acme");
            assertThat(r.key()).isEqualTo("acme/gcp/acme-prod/us-central1/checkout");
            assertThat(r.value()).isEqualTo(entry);
            assertThat(r.timestamp()).isEqualTo(PulledLogs.T0 + 5_000);
        });
        assertThat(b.events()).isEqualTo(1);
        assertThat(b.entries()).isEqualTo(1);
    }

    @Test
    void shouldSplitAnAzureEventOfSeveralFunctionsIntoOneRecordPerFunctionAndDeadLetterTheUnreadable() {
        byte[] event = azure(List.of(
                azureRecord(SUB, "shop", "Checkout", 1, "a"),
                azureRecord(SUB, "shop", "Refund", 2, "b"),
                "{\"time\":\"not a time\",\"category\":\"FunctionAppLogs\",\"resourceId\":\"/SUBSCRIPTIONS/X\"}",
                azureRecord(SUB, "shop", "Checkout", 3, "c"),
                "42"));

        PulledRecords.Batch b = records.convert(acme, event);

        List<ProducerRecord<String, byte[]>> raw = b.records().stream()
                .filter(r -> r.topic().equals("fnwatch-logs-raw.acme"))
                .toList();
        List<ProducerRecord<String, byte[]>> dead = b.records().stream()
                .filter(r -> r.topic().equals("fnwatch-dead-letters"))
                .toList();
        assertThat(raw)
                .extracting(ProducerRecord::key)
                .containsExactly("acme/azure/" + SUB + "/-/shop/Checkout", "acme/azure/" + SUB + "/-/shop/Refund");
        // each written record is that function's records only, and the service parses it to the same key
        LogParser parser = new LogParser(config.parserSettings());
        for (ProducerRecord<String, byte[]> r : raw) {
            var parsed = parser.parse(r.value(), "acme");
            assertThat(parsed.rejections()).isEmpty();
            assertThat(parsed.events())
                    .allSatisfy(e -> assertThat(e.key().asString()).isEqualTo(r.key()));
        }
        assertThat(parser.parse(raw.get(0).value(), "acme").events()).hasSize(2);
        assertThat(dead)
                .hasSize(2)
                .allSatisfy(
                        r -> assertThat(Json.read(r.value(), DeadLetter.class).reason())
                                .isIn("BAD_FIELD", "UNKNOWN_FORMAT"));
        assertThat(b.events()).isEqualTo(3);
        assertThat(b.deadLetters()).isEqualTo(2);
        assertThat(b.entries()).isEqualTo(5);
    }

    @Test
    void shouldDeadLetterWhatIsNoLogAtAllAndCountItOnce() {
        for (byte[] poison : List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "{\"records\":[]}".getBytes(StandardCharsets.UTF_8),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8))) {
            PulledRecords.Batch b = records.convert(acme, poison);
            assertThat(b.records()).singleElement().satisfies(r -> {
                assertThat(r.topic()).isEqualTo("fnwatch-dead-letters");
                assertThat(r.key()).isEqualTo("eventhubs:fn-logs");
            });
            assertThat(b.entries()).isEqualTo(1);
            assertThat(b.deadLetters()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeadLetterLogsOfAnAccountTheSourceMayNotSend() {
        PullSource bound = new PullSource("pubsub", "projects/p/subscriptions/s", "acme", List.of("ACME-prod"));
        assertThat(records.convert(bound, gcp("acme-prod", "checkout", "i1", 1)).records())
                .singleElement()
                .extracting(ProducerRecord::topic)
                .isEqualTo("fnwatch-logs-raw.acme");

        PulledRecords.Batch other = records.convert(bound, gcp("rival-prod", "checkout", "i2", 1));

        assertThat(other.records()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("fnwatch-dead-letters");
            assertThat(Json.read(r.value(), DeadLetter.class).detail()).contains("rival-prod", "not allowed");
        });
        assertThat(other.events()).isZero();
        assertThat(other.deadLetters()).isEqualTo(1);

        PullSource hub = new PullSource("eventhubs", "h", "acme", List.of(SUB));
        PulledRecords.Batch mixed = records.convert(
                hub,
                azure(List.of(
                        azureRecord(SUB, "shop", "Checkout", 1, "ours"),
                        azureRecord("99999999-0000-0000-0000-000000000000", "shop", "Checkout", 2, "theirs"))));
        assertThat(mixed.records())
                .extracting(ProducerRecord::topic)
                .containsExactly("fnwatch-logs-raw.acme", "fnwatch-dead-letters");
        assertThat(mixed.events()).isEqualTo(1);
        assertThat(mixed.deadLetters()).isEqualTo(1);
    }
}
