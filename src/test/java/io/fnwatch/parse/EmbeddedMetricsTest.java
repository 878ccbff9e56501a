package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.MetricSample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CloudWatch Embedded Metric Format records in Lambda logs become METRIC events with their samples. */
class EmbeddedMetricsTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private static String cw(String message) {
        return "{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"2026/03/03/[42]0a1b2c3d\","
                + "\"timestamp\":1772546400123,\"message\":" + quote(message) + ",\"account\":\"123456789012\","
                + "\"region\":\"eu-west-1\",\"eventId\":\"3782\",\"ingestionTime\":1772546401000}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private FunctionEvent one(String message) {
        ParseResult r = parser.parse(cw(message).getBytes(StandardCharsets.UTF_8));
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    /** What Powertools for AWS Lambda (Python) flushes: one directive, a dimension set, a service dimension. */
    private static final String POWERTOOLS = "{\"_aws\":{\"Timestamp\":1772546400100,\"CloudWatchMetrics\":[{"
            + "\"Namespace\":\"ServerlessAirline\",\"Dimensions\":[[\"service\"]],"
            + "\"Metrics\":[{\"Name\":\"SuccessfulBooking\",\"Unit\":\"Count\"},"
            + "{\"Name\":\"BookingLatency\",\"Unit\":\"Milliseconds\"}]}]},"
            + "\"service\":\"booking\",\"SuccessfulBooking\":[1.0,1.0,1.0],\"BookingLatency\":42.5}";

    @Test
    void shouldReadEachMetricOfAPowertoolsRecordAsASample() {
        FunctionEvent e = one(POWERTOOLS);
        assertThat(e.kind()).isEqualTo(EventKind.METRIC);
        assertThat(e.function()).isEqualTo("orders-api");
        assertThat(e.metrics())
                .containsExactly(
                        new MetricSample("ServerlessAirline", "SuccessfulBooking", "Count", "service=booking", 3, 3),
                        new MetricSample(
                                "ServerlessAirline", "BookingLatency", "Milliseconds", "service=booking", 42.5, 1));
        assertThat(e.metrics().get(0).isCount()).isTrue();
        assertThat(e.metrics().get(1).series()).isEqualTo("ServerlessAirline/BookingLatency{service=booking}");
    }

    @Test
    void shouldUseEveryDimensionSetsNamesSortedAndDefaultTheUnitToNone() {
        FunctionEvent e = one("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"app\","
                + "\"Dimensions\":[[\"op\"],[\"op\",\"env\"],[\"absent\"]],\"Metrics\":[{\"Name\":\"m\"}]}]},"
                + "\"op\":\"put\",\"env\":\"prod\",\"m\":7}");
        assertThat(e.metrics()).containsExactly(new MetricSample("app", "m", "None", "env=prod,op=put", 7, 1));
    }

    @Test
    void shouldLeaveOutValuesCloudWatchWouldReject() {
        FunctionEvent e = one("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"app\","
                + "\"Dimensions\":[],\"Metrics\":[{\"Name\":\"a\"},{\"Name\":\"b\"},{\"Name\":\"c\"},{\"Name\":\"d\"},"
                + "{\"Name\":5},{\"Name\":\"\"}]}]},"
                + "\"a\":\"12\",\"b\":[1,\"x\",2,null],\"c\":1e999,\"d\":{\"v\":1}}");
        // a is a string, c overflows to infinity, d is an object: only b's two numbers count
        assertThat(e.metrics()).containsExactly(new MetricSample("app", "b", "None", "", 3, 2));
    }

    @Test
    void shouldTakeARecordWithoutUsableMetricsForAnOrdinaryLine() {
        FunctionEvent e =
                one("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"app\",\"Metrics\":[{\"Name\":\"x\"}]}]},"
                        + "\"level\":\"ERROR\",\"message\":\"boom\"}");
        assertThat(e.kind()).isEqualTo(EventKind.ERROR);
        assertThat(e.metrics()).isNull();
        assertThat(one("{\"_aws\":{\"CloudWatchMetrics\":{}},\"x\":1}").kind()).isEqualTo(EventKind.LOG);
    }

    @Test
    void shouldBoundSamplesValuesAndNames() {
        StringBuilder metrics = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            metrics.append(i == 0 ? "" : ",").append("{\"Name\":\"m").append(i).append("\"}");
            values.append(",\"m").append(i).append("\":[");
            for (int j = 0; j < 500; j++) {
                values.append(j == 0 ? "" : ",").append(1);
            }
            values.append(']');
        }
        String longName = "n".repeat(5000);
        FunctionEvent e = one("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"" + longName + "\",\"Dimensions\":[],"
                + "\"Metrics\":[" + metrics + "]}]}" + values + "}");
        assertThat(e.metrics()).hasSize(EmbeddedMetrics.MAX_SAMPLES);
        assertThat(e.metrics()).allSatisfy(m -> {
            assertThat(m.count()).isEqualTo(EmbeddedMetrics.MAX_VALUES);
            assertThat(m.namespace()).hasSize(EmbeddedMetrics.MAX_NAME);
        });
    }

    @Test
    void shouldMaskSecretsInDimensionValuesAndNames() {
        String key = "AKIAIOSFODNN7EXAMPLE";
        FunctionEvent e = one("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"app\",\"Dimensions\":[[\"caller\"]],"
                + "\"Metrics\":[{\"Name\":\"calls " + key + "\"}]}]},\"caller\":\"" + key + "\",\"calls " + key
                + "\":1}");
        assertThat(e.metrics()).hasSize(1);
        assertThat(e.metrics().get(0).dimensions()).doesNotContain(key).startsWith("caller=");
        assertThat(e.metrics().get(0).name()).doesNotContain(key);
        assertThat(e.message()).doesNotContain(key);
        assertThat(e.secrets()).isNotEmpty();
    }
}
