package io.fnwatch.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: an HTTP rejection quotes the body it could not read (Jackson echoes tokens), and Firehose logs the
 * response of a failed delivery: the error message is masked like a dead letter's detail.
 */
class ResponsesTest {

    private static String error(String message) {
        return new String(Responses.error(Endpoint.FIREHOSE, "r-1", message, 0L), StandardCharsets.UTF_8);
    }

    @Test
    void anEchoedTokenIsDropped() {
        assertThat(error("body is not valid JSON: Unrecognized token 'hunter2': was expecting (JSON String)"))
                .doesNotContain("hunter2")
                .contains("[REDACTED:UNPARSED_TOKEN]");
    }

    @Test
    void aQuotedSecretAndAnEncodedOneAreMasked() {
        String encoded =
                java.util.Base64.getEncoder().encodeToString("password=Hunter2xyz!9".getBytes(StandardCharsets.UTF_8));
        String out = error("record 1: key AKIAIOSFODNN7EXAMPLE in {\"data\":\"" + encoded + "\"}");
        assertThat(out).doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain(encoded);
    }

    @Test
    void anOrdinaryMessageIsKept() {
        assertThat(error("more than 500 records in one request")).contains("more than 500 records in one request");
    }
}
