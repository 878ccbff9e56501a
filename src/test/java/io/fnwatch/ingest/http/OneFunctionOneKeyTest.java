package io.fnwatch.ingest.http;

import static io.fnwatch.ingest.http.SamplePayloads.ACCOUNT;
import static io.fnwatch.ingest.http.SamplePayloads.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.auth.TenantKey;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.ingest.cloudwatch.PulledEvents;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.SourceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * One Lambda function, pulled by the CloudWatch puller in its region and pushed by a subscription filter through
 * Firehose to HTTP ingest, gets one function key: at the ingest's keying and again at the service's parse of the
 * raw record (which reads the region back from the record's header).
 */
class OneFunctionOneKeyTest {

    private static final String TENANT = "acme";
    private static final String STREAM_ARN = "arn:aws:firehose:eu-west-2:" + ACCOUNT + ":deliverystream/fnwatch";
    private static final TenantKey KEY = new TenantKey("acme-1", "0".repeat(64), TENANT, List.of(), false);

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    /** The puller's record of the subscription payload's first event (same group, stream, time, message). */
    private String pulledKey() {
        FilteredLogEvent e = FilteredLogEvent.builder()
                .logStreamName("2026/03/03/[$LATEST]0a1b")
                .timestamp(T0)
                .message("START RequestId: r1 Version: $LATEST\n")
                .eventId("1")
                .ingestionTime(T0 + 5)
                .build();
        // the puller's account comes from the log group's ARN: arn:aws:logs:eu-west-2:ACCOUNT:log-group:NAME:*
        byte[] value = PulledEvents.value("/aws/lambda/orders-api", ACCOUNT, "eu-west-2", e);
        return RawRecords.of("raw", value, parser.parse(value, TENANT)).key();
    }

    /** What HTTP ingest writes for each record of a Firehose request, and the key the service then gives it. */
    private List<ProducerRecord<String, byte[]>> ingested(String sourceArn, TenantKey key) throws IngestProblem {
        String body = SamplePayloads.firehose("req-1", SamplePayloads.subscription(ACCOUNT, "orders-api", T0));
        SourceHints hints = RequestHints.of(sourceArn, key);
        return FirehoseBody.parse(body.getBytes(StandardCharsets.UTF_8), 10).records().stream()
                .map(v -> RawRecords.of("raw", v, parser.parse(v, TENANT, hints), hints))
                .toList();
    }

    /** The service's parse of a raw record: hints from its headers only. */
    private List<String> serviceKeys(ProducerRecord<String, byte[]> r) {
        ParseResult parsed = parser.parse(r.value(), TENANT, SourceHeaders.hints(r.headers()));
        return parsed.events().stream().map(e -> e.key().asString()).distinct().toList();
    }

    @Test
    void shouldKeyThePulledAndTheFirehoseDeliveredFunctionAlike() throws Exception {
        String pulled = pulledKey();
        assertThat(pulled).isEqualTo("acme/aws/123456789012/eu-west-2/orders-api");

        List<ProducerRecord<String, byte[]>> records = ingested(STREAM_ARN, null);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(pulled);
            assertThat(serviceKeys(r)).containsExactly(pulled);
        });
    }

    @Test
    void shouldTakeTheKeysRegionWhenTheRequestNamesNone() throws Exception {
        TenantKey withRegion = new TenantKey("acme-1", "0".repeat(64), TENANT, List.of(), "eu-west-2", false);

        ProducerRecord<String, byte[]> r = ingested(null, withRegion).get(0);

        assertThat(r.key()).isEqualTo(pulledKey());
        assertThat(serviceKeys(r)).containsExactly(pulledKey());
    }

    @Test
    void shouldPreferTheDeliveryStreamsRegionToTheKeys() {
        TenantKey withRegion = new TenantKey("acme-1", "0".repeat(64), TENANT, List.of(), "us-east-1", false);

        assertThat(RequestHints.of(STREAM_ARN, withRegion).region()).isEqualTo("eu-west-2");
        assertThat(RequestHints.of("not an arn", withRegion).region()).isEqualTo("us-east-1");
    }

    @Test
    void shouldKeepTheRegionUnknownWhenNoSourceNamesOne() throws Exception {
        ProducerRecord<String, byte[]> r = ingested(null, KEY).get(0);

        assertThat(r.key()).isEqualTo("acme/aws/123456789012/-/orders-api");
        assertThat(r.headers().toArray()).isEmpty();
        assertThat(serviceKeys(r)).containsExactly(r.key());
    }

    @Test
    void shouldIgnoreHostileSourceArnHeaders() throws Exception {
        for (String arn : List.of(
                "",
                "arn:aws:firehose:" + "x".repeat(10_000) + ":1:deliverystream/a",
                "arn:aws:firehose:../../etc:1:deliverystream/a",
                "arn:aws:firehose:eu-west-2",
                "arn:aws:firehose:EU-WEST-2:1:deliverystream/a",
                "arn:aws:firehose:eu-west-2\n:1:deliverystream/a",
                "a".repeat(RequestHints.MAX_ARN_CHARS + 1))) {
            ProducerRecord<String, byte[]> r = ingested(arn, KEY).get(0);
            assertThat(r.key()).as(arn).isEqualTo("acme/aws/123456789012/-/orders-api");
            assertThat(r.headers().toArray()).as(arn).isEmpty();
        }
    }

    @Test
    void shouldNotLetAHintOverrideTheRegionThePulledRecordNames() {
        byte[] value = PulledEvents.value(
                "/aws/lambda/orders-api",
                ACCOUNT,
                "eu-west-2",
                FilteredLogEvent.builder()
                        .logStreamName("s")
                        .timestamp(T0)
                        .message("x")
                        .eventId("1")
                        .build());
        RecordHeaders headers = new RecordHeaders(SourceHeaders.of(SourceHints.ofRegion("us-east-1")));

        List<FunctionEvent> events =
                parser.parse(value, TENANT, SourceHeaders.hints(headers)).events();

        assertThat(events).singleElement().extracting(FunctionEvent::region).isEqualTo("eu-west-2");
    }
}
