package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogParserTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private static String cw(String message) {
        return "{\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"2026/03/03/[42]0a1b2c3d\","
                + "\"timestamp\":1772546400123,\"message\":" + quote(message) + ",\"account\":\"123456789012\","
                + "\"region\":\"eu-west-1\",\"eventId\":\"3782\",\"ingestionTime\":1772546401000}";
    }

    private static String quote(String s) {
        return "\""
                + s.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\t", "\\t")
                        .replace("\n", "\\n") + "\"";
    }

    private FunctionEvent one(String message) {
        ParseResult r = parser.parse(cw(message).getBytes(StandardCharsets.UTF_8));
        assertThat(r.skipped()).isZero();
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    @Test
    void shouldGiveEveryEventTheSendersTenantAndNeverThePayloadsClaim() {
        String claims = cw("START RequestId: a Version: 1").replace("\"region\"", "\"tenant\":\"victim\",\"region\"");
        String subscription = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"tenant\":\"victim\","
                + "\"logGroup\":\"/aws/lambda/orders-api\",\"logStream\":\"s\",\"logEvents\":[{\"id\":\"1\","
                + "\"timestamp\":1700000000000,\"message\":\"START RequestId: a Version: 1\"}]}";

        ParseResult forced = parser.parse(claims.getBytes(StandardCharsets.UTF_8), "acme");
        ParseResult free = parser.parse(claims.getBytes(StandardCharsets.UTF_8));
        ParseResult nested = parser.parse(subscription.getBytes(StandardCharsets.UTF_8));

        assertThat(forced.events()).extracting(FunctionEvent::tenant).containsExactly("acme");
        assertThat(free.events()).extracting(FunctionEvent::tenant).containsExactly("default");
        assertThat(nested.events()).extracting(FunctionEvent::tenant).containsExactly("default");
    }

    @Test
    void shouldReadEveryFieldWhenReportLineIsACurrentFormatTimeout() {
        FunctionEvent e = one("REPORT RequestId: 595492f6-5916-4b98-94e5-a1079dfab87b\tDuration: 5000.00 ms\t"
                + "Billed Duration: 5579 ms\tMemory Size: 3008 MB\tMax Memory Used: 113 MB\tInit Duration: 578.07 ms\t"
                + "Status: timeout\n");

        assertThat(e.kind()).isEqualTo(EventKind.INVOCATION);
        assertThat(e.requestId()).isEqualTo("595492f6-5916-4b98-94e5-a1079dfab87b");
        assertThat(e.durationMs()).isEqualTo(5000.00);
        assertThat(e.billedDurationMs()).isEqualTo(5579.0);
        assertThat(e.memorySizeMb()).isEqualTo(3008);
        assertThat(e.maxMemoryUsedMb()).isEqualTo(113);
        assertThat(e.initDurationMs()).isEqualTo(578.07);
        assertThat(e.coldStart()).isTrue();
        assertThat(e.status()).isEqualTo(FunctionEvent.TIMEOUT);
        assertThat(e.function()).isEqualTo("orders-api");
        assertThat(e.version()).isEqualTo("42");
        assertThat(e.account()).isEqualTo("123456789012");
        assertThat(e.region()).isEqualTo("eu-west-1");
        assertThat(e.timestamp().toEpochMilli()).isEqualTo(1772546400123L);
        assertThat(e.key().asString()).isEqualTo("default/aws/123456789012/eu-west-1/orders-api");
    }

    @Test
    void shouldReadWarmReportWithSpacesAndErrorStatus() {
        FunctionEvent e = one("REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95 Duration: 15.74 ms "
                + "Billed Duration: 16 ms Memory Size: 128 MB Max Memory Used: 56 MB\tStatus: error\t"
                + "Error Type: Runtime.ExitError");

        assertThat(e.durationMs()).isEqualTo(15.74);
        assertThat(e.coldStart()).isFalse();
        assertThat(e.status()).isEqualTo("error");
        assertThat(e.errorType()).isEqualTo("Runtime.ExitError");
    }

    @Test
    void shouldReadRuntimeFromInitStartAndVersionFromStart() {
        FunctionEvent init = one("INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: "
                + "arn:aws:lambda:us-east-1::runtime:abc\n");
        FunctionEvent start = one("START RequestId: 9d2f4c1e-0b7a-4c1e-9d2f-0b7a4c1e9d2f Version: 7\n");

        assertThat(init.kind()).isEqualTo(EventKind.INIT);
        assertThat(init.runtime()).isEqualTo("python:3.12.v38");
        assertThat(start.kind()).isEqualTo(EventKind.START);
        assertThat(start.requestId()).isEqualTo("9d2f4c1e-0b7a-4c1e-9d2f-0b7a4c1e9d2f");
        assertThat(start.version()).isEqualTo("7");
    }

    @Test
    void shouldMarkOlderTimeoutLineAsTimeoutError() {
        FunctionEvent e = one("2020-11-10T05:46:57.874Z 160788cd-45ff-4583-809f-c7e31127cb95 Task timed out after "
                + "3.07 seconds\n");

        assertThat(e.kind()).isEqualTo(EventKind.ERROR);
        assertThat(e.status()).isEqualTo(FunctionEvent.TIMEOUT);
        // the same id as the REPORT line's, so DurationModel counts the timeout once
        assertThat(e.requestId()).isEqualTo("160788cd-45ff-4583-809f-c7e31127cb95");
    }

    @Test
    void shouldExtractPrincipalActionAndResourceWhenBotocoreReportsAccessDenied() {
        FunctionEvent e = one("[ERROR] ClientError: An error occurred (AccessDenied) when calling the AssumeRole "
                + "operation: User: arn:aws:sts::111122223333:assumed-role/costbuddy_lambda_role/cost_buddy is not "
                + "authorized to perform: sts:AssumeRole on resource: arn:aws:iam::None:role/costbuddy_access_role");

        assertThat(e.kind()).isEqualTo(EventKind.PERMISSION_DENIED);
        assertThat(e.principal()).isEqualTo("arn:aws:sts::111122223333:assumed-role/costbuddy_lambda_role/cost_buddy");
        assertThat(e.action()).isEqualTo("sts:AssumeRole");
        assertThat(e.resource()).isEqualTo("arn:aws:iam::None:role/costbuddy_access_role");
    }

    @Test
    void shouldRecogniseNodeSdkErrorObjectAsDenial() {
        FunctionEvent e = one("2023-04-15T02:49:28.972Z\t0696baa3-3d05-49ad-9758-495f33defbdd\tINFO\t{ \"message\": "
                + "\"User: arn:aws:sts::1:assumed-role/r/fn is not authorized to perform: sts:AssumeRole on resource: "
                + "arn:aws:iam::1:role/x\", \"code\": \"AccessDenied\", \"statusCode\": 403 }");

        assertThat(e.kind()).isEqualTo(EventKind.PERMISSION_DENIED);
        assertThat(e.requestId()).isEqualTo("0696baa3-3d05-49ad-9758-495f33defbdd");
        assertThat(e.action()).isEqualTo("sts:AssumeRole");
        assertThat(e.resource()).isEqualTo("arn:aws:iam::1:role/x");
    }

    @Test
    void shouldKeepOrdinaryLinesAsLogWithTruncatedMessage() {
        LogParser small = new LogParser(new ParserSettings("acme", 1 << 20, 64, 1 << 20, 100));
        String message = "x".repeat(500);
        FunctionEvent e = small.parse(cw(message).getBytes(StandardCharsets.UTF_8))
                .events()
                .get(0);

        assertThat(e.kind()).isEqualTo(EventKind.LOG);
        assertThat(e.message()).hasSize(64);
        assertThat(e.tenant()).isEqualTo("acme");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"logGroup\":\"/aws/lambda/f\",\"timestamp\":1,\"message\":\"REPORT|BAD_JSON",
                "plain text from a forwarder|UNKNOWN_FORMAT",
                "[1]|UNKNOWN_FORMAT",
                "\"a JSON string\"|UNKNOWN_FORMAT",
                "{}|UNKNOWN_FORMAT",
                "{\"logGroup\":\"/aws/lambda/f\",\"message\":\"x\"}|MISSING_FIELD",
                "{\"logGroup\":\"/aws/lambda/f\",\"timestamp\":\"soon\",\"message\":\"x\"}|MISSING_FIELD",
                "{\"timestamp\":1,\"message\":\"x\"}|MISSING_FIELD",
                "{\"logGroup\":\"/aws/lambda/f\",\"timestamp\":1}|MISSING_FIELD"
            })
    void shouldRejectWithReasonWhenInputIsMalformed(String input, Reason reason) {
        ParseResult r = parser.parse(input.getBytes(StandardCharsets.UTF_8));

        assertThat(r.events()).isEmpty();
        assertThat(r.rejections()).singleElement().extracting(Rejection::reason).isEqualTo(reason);
    }

    @Test
    void shouldRejectAsTooLargeWithoutParsingWhenRecordExceedsTheLimit() {
        LogParser small = new LogParser(new ParserSettings("default", 1024, 64, 1 << 20, 100));
        ParseResult r = small.parse(cw("y".repeat(2000)).getBytes(StandardCharsets.UTF_8));

        assertThat(r.rejections()).singleElement().extracting(Rejection::reason).isEqualTo(Reason.TOO_LARGE);
    }
}
