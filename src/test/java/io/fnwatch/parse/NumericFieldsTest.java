package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.bench.RecordCost;
import io.fnwatch.model.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers in log text are read only up to a length, and a value no provider writes (too long, infinite,
 * negative, beyond a month or a terabyte) rejects its event as BAD_FIELD instead of reaching the models.
 */
class NumericFieldsTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private static String cloudRun(String latency) {
        return "{\"logName\":\"projects/p/logs/run.googleapis.com%2Frequests\",\"resource\":{\"type\":"
                + "\"cloud_run_revision\",\"labels\":{\"service_name\":\"orders\",\"location\":\"us-central1\"}},"
                + "\"timestamp\":\"2026-03-02T00:00:00Z\",\"httpRequest\":{\"status\":200,\"latency\":\"" + latency
                + "\"}}";
    }

    private static String cw(String message) {
        return "{\"logGroup\":\"/aws/lambda/orders\",\"timestamp\":1772409600000,\"message\":\""
                + message.replace("\"", "\\\"") + "\"}";
    }

    private ParseResult parse(String s) {
        return parser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBadField(ParseResult r, String field) {
        assertThat(r.events()).isEmpty();
        assertThat(r.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(Reason.BAD_FIELD);
            assertThat(x.detail()).startsWith(field).hasSizeLessThan(200);
        });
    }

    @Test
    void shouldRejectQuicklyWhenACloudRunLatencyHas900000Digits() {
        String huge = cloudRun("1" + "0".repeat(900_000) + ".5s");
        parse(huge);

        RecordCost<ParseResult> cost = RecordCost.of(() -> parse(huge), false);

        assertBadField(cost.result(), "durationMs");
        assertThat(cost.cpuNanos()).as("CPU ns").isLessThan(200_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "-0.5s", "99999999999s", "12345678901234567890123456789012345s"})
    void shouldRejectTheEventWhenALatencyIsNegativeOrAbsurd(String latency) {
        assertBadField(parse(cloudRun(latency)), "durationMs");
    }

    @Test
    void shouldKeepReadingOrdinaryLatenciesAndLeaveUnreadableOnesAbsent() {
        assertThat(parse(cloudRun("0.25s")).events())
                .singleElement()
                .satisfies(e -> assertThat(e.durationMs()).isEqualTo(250.0));
        assertThat(parse(cloudRun("12ms")).events())
                .singleElement()
                .satisfies(e -> assertThat(e.durationMs()).isNull());
    }

    @Test
    void shouldRejectAReportLineWhoseDurationHasMoreThan15Digits() {
        ParseResult r =
                parse(cw("REPORT RequestId: r\\tDuration: " + "9".repeat(40) + " ms\\tBilled Duration: 1 ms\\t"));

        assertBadField(r, "durationMs");
    }

    @Test
    void shouldRejectAReportLineWhoseMemoryIsAbsurd() {
        ParseResult r = parse(cw("REPORT RequestId: r\\tDuration: 1.0 ms\\tBilled Duration: 1 ms\\t"
                + "Memory Size: 99999999999 MB\\tMax Memory Used: 1 MB\\t"));

        assertBadField(r, "memorySizeMb");
    }

    @Test
    void shouldRejectAJsonReportWhoseDurationIsInfinite() {
        String report = "{\\\"type\\\":\\\"platform.report\\\",\\\"record\\\":{\\\"requestId\\\":\\\"r\\\","
                + "\\\"metrics\\\":{\\\"durationMs\\\":1e400,\\\"billedDurationMs\\\":1,\\\"memorySizeMB\\\":128,"
                + "\\\"maxMemoryUsedMB\\\":1},\\\"status\\\":\\\"success\\\"}}";
        String doc = "{\"logGroup\":\"/aws/lambda/orders\",\"timestamp\":1772409600000,\"message\":\"" + report + "\"}";

        assertBadField(parse(doc), "durationMs");
    }

    @Test
    void shouldRejectAnAzureExecutedLineWhoseDurationHasThousandsOfDigits() {
        String doc = "{\"records\":[{\"time\":\"2026-03-02T00:00:00Z\",\"resourceId\":\"/SUBSCRIPTIONS/S/RG\","
                + "\"category\":\"FunctionAppLogs\",\"properties\":{\"functionName\":\"Functions.F\",\"message\":"
                + "\"Executed 'Functions.F' (Succeeded, Id=abc, Duration=" + "7".repeat(100_000) + "ms)\"}}]}";

        RecordCost<ParseResult> cost = RecordCost.of(() -> parse(doc), false);

        assertBadField(cost.result(), "durationMs");
        assertThat(cost.cpuNanos()).isLessThan(500_000_000L);
    }

    @Test
    void shouldShowOnlyTheStartOfAHugeTimestampWhenRejectingIt() {
        String doc = cloudRun("1s").replace("2026-03-02T00:00:00Z", "2".repeat(500_000));

        ParseResult r = parse(doc);

        assertThat(r.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(Reason.BAD_FIELD);
            assertThat(x.detail()).hasSizeLessThan(200).contains("500000 chars");
        });
    }
}
