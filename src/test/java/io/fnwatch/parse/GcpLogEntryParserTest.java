package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GcpLogEntryParserTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private ParseResult parse(String doc) {
        return parser.parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    private static String gen1(String timestamp, String text) {
        return "{\"logName\":\"projects/acme-prod/logs/cloudfunctions.googleapis.com%2Fcloud-functions\","
                + "\"resource\":{\"type\":\"cloud_function\",\"labels\":{\"function_name\":\"resize-image\","
                + "\"project_id\":\"acme-prod\",\"region\":\"europe-west1\"}},\"severity\":\"INFO\","
                + "\"timestamp\":\"" + timestamp + "\",\"textPayload\":\"" + text + "\"}";
    }

    @ParameterizedTest
    @CsvSource({
        "200,success",
        "204,success",
        "404,success",
        "500,error",
        "OK,success",
        "timeout,timeout",
        "crash,error",
        "connection error,error"
    })
    void shouldCountCompletionCodesLikeRequestLogsWhenTheFunctionAnswered(String code, String status) {
        assertThat(GcpLogEntryParser.completionStatus(code)).isEqualTo(status);
    }

    @ParameterizedTest
    @CsvSource({"0.123s,123.0", "3s,3000.0", "1.000340s,1000.34", "0.000981s,0.981", "12ms,", "abc,", ","})
    void shouldReadLatencyInMillisecondsWhenItIsAProtobufDuration(String latency, Double ms) {
        assertThat(GcpLogEntryParser.milliseconds(latency)).isEqualTo(ms);
    }

    @Test
    void shouldConvertTheTimestampToUtcMillisWhenItCarriesAnOffsetAndNanos() {
        ParseResult r = parse(gen1("2026-03-03T10:00:00.123456789+01:00", "hello"));

        assertThat(r.events())
                .singleElement()
                .satisfies(e -> assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-03T09:00:00.123Z")));
    }

    @Test
    void shouldRejectWithTheTimestampInTheDetailWhenItIsNotRfc3339() {
        ParseResult r = parse(gen1("yesterday", "hello"));

        assertThat(r.rejections())
                .singleElement()
                .isEqualTo(new Rejection(
                        Reason.BAD_FIELD,
                        "timestamp is not RFC 3339: yesterday",
                        "projects/acme-prod/logs/cloudfunctions.googleapis.com%2Fcloud-functions"));
    }

    @Test
    void shouldClassifyAGoDenialWhenTheClientLibrarySaysPermissionDenied() {
        ParseResult r = parse(gen1(
                "2026-03-03T10:00:00Z",
                "rpc error: code = PermissionDenied desc = Permission "
                        + "'pubsub.topics.publish' denied on resource 'projects/acme-prod/topics/orders' "
                        + "(or it may not exist)."));

        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.PERMISSION_DENIED);
            assertThat(e.action()).isEqualTo("pubsub.topics.publish");
            assertThat(e.resource()).isEqualTo("projects/acme-prod/topics/orders");
        });
    }

    @Test
    void shouldNameSubscriptionAndMessageWhenPubSubDataIsNotBase64() {
        ParseResult r = parse("{\"message\":{\"data\":\"%%%\",\"messageId\":\"104829\"},"
                + "\"subscription\":\"projects/acme-ops/subscriptions/fnwatch\"}");

        assertThat(r.rejections()).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(Reason.BAD_BASE64);
            assertThat(x.source()).isEqualTo("pubsub:projects/acme-ops/subscriptions/fnwatch:104829");
        });
    }

    private static final String RUN_RESOURCE = "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{"
            + "\"service_name\":\"checkout-webhook\",\"location\":\"europe-west1\",\"project_id\":\"acme-prod\","
            + "\"revision_name\":\"checkout-webhook-00012-vaz\",\"configuration_name\":\"checkout-webhook\"}}";

    /** A Cloud Run request log whose httpRequest is {@code http}, or none when null. */
    private static String request(String http) {
        return "{\"logName\":\"projects/acme-prod/logs/run.googleapis.com%2Frequests\"," + RUN_RESOURCE
                + ",\"timestamp\":\"2026-03-03T10:00:01.482913Z\","
                + "\"trace\":\"projects/acme-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736\""
                + (http == null ? "" : ",\"httpRequest\":" + http) + "}";
    }

    /** Shapes no documented entry has, each of which an exporter, a proxy or an attacker can send. */
    static Stream<String> hostileEntries() {
        return Stream.of(
                request(null),
                request("null"),
                request("\"GET / 200\""),
                request("[]"),
                request("{}"),
                request("{\"status\":null,\"latency\":null}"),
                request("{\"status\":200,\"latency\":\"abc\"}"),
                request("{\"status\":200,\"latency\":\"s\"}"),
                request("{\"status\":200,\"latency\":\"-s\"}"),
                request("{\"status\":200,\"latency\":{\"seconds\":\"x\",\"nanos\":[]}}"),
                request("{\"status\":200,\"latency\":{\"seconds\":null}}"),
                request("{\"status\":200,\"latency\":{}}"),
                request("{\"status\":200,\"latency\":12.5}"),
                request("{\"status\":\"abc\"}"),
                request("{\"status\":\"\"}"),
                request("{\"status\":1e300}"),
                request("{\"status\":99999999999}"),
                request("{\"status\":{\"code\":500}}"),
                request("{\"status\":true,\"requestMethod\":null,\"requestUrl\":[]}"),
                "{\"logName\":\"x\",\"resource\":null,\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"hi\"}",
                "{\"logName\":\"x\",\"resource\":{\"type\":\"cloud_run_revision\"},\"timestamp\":\"2026-03-03T10:00:00Z\"}",
                "{\"logName\":\"x\",\"resource\":{\"type\":null,\"labels\":null},\"timestamp\":\"2026-03-03T10:00:00Z\"}",
                "{\"logName\":\"x\",\"resource\":{\"labels\":[\"a\"]},\"timestamp\":\"2026-03-03T10:00:00Z\"}",
                "{\"logName\":null,\"resource\":{\"type\":\"t\"},\"timestamp\":\"2026-03-03T10:00:00Z\",\"labels\":\"x\"}",
                "{\"logName\":\"x\",\"timestamp\":null,\"receiveTimestamp\":null}",
                "{\"logName\":\"x\",\"timestamp\":123}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"\"}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"x\","
                        + "\"severity\":null,\"trace\":\"\"}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"x\","
                        + "\"severity\":{\"level\":500},\"trace\":[]}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"x\","
                        + "\"severity\":99999999999}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"jsonPayload\":null}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"jsonPayload\":"
                        + "{\"message\":null,\"@type\":null,\"stack_trace\":{},\"severity\":[]}}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"jsonPayload\":"
                        + "{\"@type\":\"type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent\"}}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"severity\":\"ERROR\","
                        + "\"textPayload\":\"Traceback (most recent call last):\\n\"}",
                "{\"logName\":\"x\"," + RUN_RESOURCE + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"protoPayload\":null}",
                "{\"logName\":\"x\",\"timestamp\":\"2026-03-03T10:00:00Z\",\"protoPayload\":"
                        + "{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\"}}",
                "{\"logName\":\"x\",\"timestamp\":\"2026-03-03T10:00:00Z\",\"protoPayload\":"
                        + "{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"status\":null,"
                        + "\"authenticationInfo\":null,\"authorizationInfo\":null,\"resourceName\":null}}",
                "{\"logName\":\"x\",\"timestamp\":\"2026-03-03T10:00:00Z\",\"protoPayload\":"
                        + "{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"serviceName\":\"run.googleapis.com\","
                        + "\"status\":{\"code\":\"7\"},\"authorizationInfo\":[null,1,{\"granted\":\"no\"}],"
                        + "\"resourceName\":\"namespaces//services/\"}}",
                "{\"logName\":\"x\",\"timestamp\":\"2026-03-03T10:00:00Z\",\"protoPayload\":"
                        + "{\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"serviceName\":\"run.googleapis.com\","
                        + "\"status\":{\"code\":7.5,\"message\":{}},\"authorizationInfo\":{\"permission\":1},"
                        + "\"resourceName\":\"/services//x//\"}}");
    }

    @ParameterizedTest
    @MethodSource("hostileEntries")
    void shouldNeverThrowWhenAFieldIsNullAbsentOrOfAnotherType(String doc) {
        ParseResult r = parse(doc);

        // LogParser turns a parser's exception into a BAD_FIELD naming its class: none may appear
        assertThat(r.rejections()).noneSatisfy(x -> assertThat(x.detail()).containsPattern("^\\w+(Exception|Error):"));
        assertThat(r.events().size() + r.rejections().size()).isEqualTo(1);
    }

    @Test
    void shouldClassifyAStdoutLineWithoutSeverityWhenItIsDefault() {
        // DEFAULT severity is omitted from the JSON; this shape made the parser throw a NullPointerException
        ParseResult r = parse("{\"logName\":\"projects/acme-prod/logs/run.googleapis.com%2Fstderr\"," + RUN_RESOURCE
                + ",\"timestamp\":\"2026-03-03T10:00:00Z\",\"textPayload\":\"[INFO] Starting gunicorn 23.0.0\"}");

        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.LOG);
            assertThat(e.function()).isEqualTo("checkout-webhook");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "'{\"status\":200,\"latency\":{\"seconds\":1,\"nanos\":500000000}}',INVOCATION,success,1500.0",
        "'{\"status\":\"503\",\"latency\":{\"seconds\":\"2\"}}',INVOCATION,error,2000.0",
        "'{\"status\":429,\"latency\":{\"nanos\":981000}}',INVOCATION,success,0.981",
        "'{\"status\":404,\"latency\":\"abc\"}',INVOCATION,success,",
        "'{\"status\":\"abc\",\"latency\":\"1s\"}',LOG,,",
    })
    void shouldReadStatusAndLatencyInEveryShapeExportersWrite(String http, EventKind kind, String status, Double ms) {
        ParseResult r = parse(request(http));

        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.durationMs()).isEqualTo(ms);
            assertThat(e.requestId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "'ValueError: invalid literal for int() with base 10: \"x\"',ValueError",
        "'Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect',Error",
        "'java.lang.IllegalStateException: closed\n\tat com.acme.Foo.bar(Foo.java:12)',java.lang.IllegalStateException",
        "'Traceback (most recent call last):\n  File \"main.py\", line 3, in h\nKeyError: \"id\"\n',KeyError",
        "'panic: runtime error: index out of range [3] with length 3',panic",
        "'KeyboardInterrupt',KeyboardInterrupt",
        "'Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException : Result: Failure\\nException: ValueError: bad\\nStack: x',ValueError",
        "'System.AggregateException : One or more errors occurred.',System.AggregateException",
        "'order 17 failed: card declined',",
        "'Error handling request',",
        "'',",
        "'a.b..c: x',",
    })
    void shouldNameTheExceptionClassWhenTheTextStartsWithAStackTraceHeader(String text, String type) {
        assertThat(ExceptionNames.of(text.replace("\\n", "\n").replace("\\t", "\t")))
                .isEqualTo(type);
    }

    @Test
    void shouldGiveATimeoutLineAnErrorTypeWhenItHasNoRequestLog() {
        ParseResult r =
                parse("{\"logName\":\"projects/acme-prod/logs/run.googleapis.com%2Fvarlog%2Fsystem\"," + RUN_RESOURCE
                        + ",\"timestamp\":\"2026-03-03T10:05:00Z\",\"severity\":\"ERROR\",\"textPayload\":\"The request has been "
                        + "terminated because it has reached the maximum request timeout.\"}");

        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.ERROR);
            assertThat(e.status()).isEqualTo("timeout");
            assertThat(e.errorType()).isEqualTo("DEADLINE_EXCEEDED");
        });
    }

    @ParameterizedTest
    @CsvSource({"ERROR,ERROR", "error,ERROR", "CRITICAL,CRITICAL", "EMERGENCY,EMERGENCY", "WARNING,", "DEFAULT,"})
    void shouldTreatErrorAndWorseAsSevereWhenNamed(String severity, String expected) {
        assertThat(GcpLogEntryParser.severity(Json.MAPPER.createObjectNode().put("severity", severity)))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"500,ERROR", "600,CRITICAL", "800,EMERGENCY", "400,", "550,"})
    void shouldTreatErrorAndWorseAsSevereWhenNumbered(int severity, String expected) {
        assertThat(GcpLogEntryParser.severity(Json.MAPPER.createObjectNode().put("severity", severity)))
                .isEqualTo(expected);
    }
}
