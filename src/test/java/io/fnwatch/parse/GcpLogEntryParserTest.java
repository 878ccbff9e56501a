package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.EventKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
