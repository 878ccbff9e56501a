package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudTrailParserTest {

    private static final String LAMBDA_AGENT =
            "aws-sdk-js/3.515.0 ua/2.0 os/linux lang/js md/nodejs#20.11.1 " + "exec-env/AWS_Lambda_nodejs20.x";

    private static String record(String eventId, String session, String userAgent, String errorCode) {
        return "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::"
                + "123456789012:assumed-role/app-role/" + session + "\",\"accountId\":\"123456789012\"},"
                + "\"eventTime\":\"2026-03-03T08:15:02Z\","
                + "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\","
                + "\"awsRegion\":\"eu-west-1\",\"userAgent\":\"" + userAgent + "\","
                + (errorCode == null ? "" : "\"errorCode\":\"" + errorCode + "\",")
                + "\"eventID\":\"" + eventId + "\",\"recipientAccountId\":\"123456789012\"}";
    }

    private static ParseResult parse(ParserSettings settings, String doc) {
        return new LogParser(settings).parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectTheWholeFileOnceWhenItHoldsMoreRecordsThanAllowed() {
        ParserSettings two = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 2);
        String r = record("e1", "orders-fn", LAMBDA_AGENT, null);

        ParseResult result = parse(two, "{\"Records\":[" + r + "," + r + "," + r + "]}");

        assertThat(result.events()).isEmpty();
        assertThat(result.rejections())
                .singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void shouldCountAsSkippedWhenTheCallerIsNoLambdaFunction() {
        ParseResult result = parse(ParserSettings.DEFAULTS, record("e2", "jane.doe@example.com", "AWS Internal", null));

        assertThat(result.events()).isEmpty();
        assertThat(result.rejections()).isEmpty();
        assertThat(result.skipped()).isEqualTo(1);
    }

    @Test
    void shouldTrustTheLambdaUserAgentWhenTheSessionNameLooksGenerated() {
        ParseResult result = parse(
                ParserSettings.DEFAULTS,
                record("e3", "botocore-session-1709460000", LAMBDA_AGENT, "AccessDeniedException"));

        assertThat(result.events()).singleElement().satisfies(e -> {
            assertThat(e.function()).isEqualTo("botocore-session-1709460000");
            assertThat(e.kind()).isEqualTo(EventKind.PERMISSION_DENIED);
            assertThat(e.action()).isEqualTo("kms:Decrypt");
            assertThat(e.message()).isEqualTo("AccessDeniedException");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "i-0a1b2c3d4e5f60718",
                "botocore-session-1709460000",
                "aws-go-sdk-1709460000123",
                "1709460000123",
                "0123456789abcdef0123456789abcdef",
                "jane.doe@example.com"
            })
    void shouldNotTakeASessionForAFunctionWhenSdkEc2OrPeopleNamedIt(String session) {
        assertThat(CloudTrailParser.lambdaFunction(
                        "arn:aws:sts::123456789012:assumed-role/r/" + session, "aws-cli/2.15.0 Python/3.11.6"))
                .isNull();
    }

    @Test
    void shouldNotTakeIamUsersOrRolesForFunctions() {
        assertThat(CloudTrailParser.lambdaFunction("arn:aws:iam::123456789012:user/deploy-bot", LAMBDA_AGENT))
                .isNull();
        assertThat(CloudTrailParser.lambdaFunction("arn:aws:sts::123456789012:assumed-role/app-role/", LAMBDA_AGENT))
                .isNull();
        assertThat(CloudTrailParser.lambdaFunction(null, LAMBDA_AGENT)).isNull();
    }

    @Test
    void shouldReadTheRecordWhenItArrivesThroughACloudTrailLogGroup() {
        String record = record("e4", "orders-fn", LAMBDA_AGENT, "AccessDenied").replace("\"", "\\\"");
        String cw = "{\"logGroup\":\"aws-cloudtrail-logs-123456789012\",\"logStream\":\"123456789012_CloudTrail_"
                + "eu-west-1\",\"timestamp\":1772525702000,\"message\":\"" + record + "\"}";

        ParseResult result = parse(ParserSettings.DEFAULTS, cw);

        assertThat(result.rejections()).isEmpty();
        FunctionEvent e = result.events().get(0);
        assertThat(e.function()).isEqualTo("orders-fn");
        assertThat(e.runtime()).isEqualTo("nodejs20.x");
        assertThat(e.principal()).isEqualTo("arn:aws:sts::123456789012:assumed-role/app-role/orders-fn");
        assertThat(e.source()).isEqualTo("cloudtrail:e4");
    }
}
