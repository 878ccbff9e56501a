package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.parse.ParserSettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    private final Payloads payloads = new Payloads(
            3, new ParserSettings("default", 1024, 1024, 1 << 20, 10_000), new BodyReader(1 << 20, 1 << 20));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(Payloads.Split s) {
        return s.records().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void shouldDecodeEachFirehoseRecordAndKeepTheRequestIdWhenBodyIsValid() throws IngestProblem {
        String b64 = Base64.getEncoder().encodeToString(utf8("{\"x\":1}"));
        Payloads.Split s = payloads.split(
                Endpoint.FIREHOSE,
                utf8("{\"requestId\":\"r-1\",\"timestamp\":1," + "\"records\":[{\"data\":\"" + b64 + "\"},{\"data\":\""
                        + b64 + "\"}]}"));

        assertThat(s.requestId()).isEqualTo("r-1");
        assertThat(texts(s)).containsExactly("{\"x\":1}", "{\"x\":1}");
    }

    @Test
    void shouldSplitNdjsonIntoLinesSkippingBlankOnesWhenLinesEndInCrLf() throws IngestProblem {
        Payloads.Split s = payloads.split(Endpoint.NDJSON, utf8("{\"a\":1}\r\n\r\n{\"b\":2}\n  \n{\"c\":3}"));

        assertThat(texts(s)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void shouldReadAnNdjsonBodyThatIsOnePrettyPrintedDocumentAsThatDocumentsRecords() throws IngestProblem {
        Payloads.Split s =
                payloads.split(Endpoint.NDJSON, utf8("{\n  \"Records\": [\n    {\"n\": 1},\n    {\"n\": 2}\n  ]\n}\n"));

        assertThat(texts(s)).containsExactly("{\"Records\":[{\"n\":1}]}", "{\"Records\":[{\"n\":2}]}");
    }

    @Test
    void shouldAnswer413WhenOneDocumentHoldsMoreRecordsThanARequestMay() {
        assertThatThrownBy(() -> payloads.split(Endpoint.NDJSON, utf8("{\"Records\": [{}, {}, {}, {}]}")))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(413));
    }

    @Test
    void shouldReadAHostileDocumentNestedPastTheLimitAsLinesWithoutThrowing() throws IngestProblem {
        String deep = "[".repeat(1000) + "\n" + "]".repeat(1000);

        // past the parser's nesting limit: read as two lines, each a record that the parser dead-letters
        assertThat(texts(payloads.split(Endpoint.NDJSON, utf8(deep))))
                .containsExactly("[".repeat(1000), "]".repeat(1000));
        assertThat(texts(payloads.split(Endpoint.NDJSON, utf8("[[[\n]]]")))).containsExactly("[[]]");
    }

    @Test
    void shouldGiveEachAzureRecordItsOwnDocumentWhenTheBodyHoldsSeveral() throws IngestProblem {
        Payloads.Split s = payloads.split(Endpoint.AZURE, utf8("{\"records\":[{\"n\":1},{\"n\":2}]}"));

        assertThat(texts(s)).containsExactly("{\"records\":[{\"n\":1}]}", "{\"records\":[{\"n\":2}]}");
    }

    @Test
    void shouldAnswer413WhenARequestHoldsMoreRecordsThanAllowed() {
        assertThatThrownBy(() -> payloads.split(Endpoint.NDJSON, utf8("1\n2\n3\n4\n")))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(413));
    }

    @Test
    void shouldAnswer413WhenOneRecordIsLargerThanAKafkaRecordMayBe() {
        String line = "{\"m\":\"" + "x".repeat(2000) + "\"}";

        assertThatThrownBy(() -> payloads.split(Endpoint.NDJSON, utf8(line)))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.getMessage()).contains("record 1"));
    }

    @Test
    void shouldAnswer400WhenAFirehoseBodyHasNoRecords() {
        assertThatThrownBy(() -> payloads.split(Endpoint.FIREHOSE, utf8("{\"requestId\":\"r\"}")))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> payloads.split(Endpoint.FIREHOSE, utf8("not json")))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }
}
