package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Dead letters keep the payload readable but never a secret, also one that JSON escapes hid (finding 7). */
class DeadLettersTest {

    private static String payload(DeadLetter d) {
        return new String(Base64.getDecoder().decode(d.payloadBase64()), StandardCharsets.UTF_8);
    }

    @Test
    void aBombsDeadLetterStaysWithinTheCapAfterMaskingOpensItsEnvelopes() {
        for (byte[] bomb : new byte[][] {
            io.fnwatch.bench.FanOutBomb.inflationBomb().bytes(),
            io.fnwatch.bench.FanOutBomb.eventBomb().bytes()
        }) {
            DeadLetters.Payload p = DeadLetters.payload(bomb);

            // a Kafka record holds at most 1 MiB: the dead letter of any record must fit, whatever it unpacks to
            assertThat(Base64.getDecoder().decode(p.base64())).hasSizeLessThanOrEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
            assertThat(p.bytes()).isEqualTo(bomb.length);
        }
    }

    @Test
    void aCutNeverSplitsACharacter() {
        byte[] utf8 = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes

        assertThat(DeadLetters.utf8Prefix(utf8, 10)).isEqualTo(10);
        assertThat(DeadLetters.utf8Prefix(utf8, 9)).isEqualTo(6);
        assertThat(DeadLetters.utf8Prefix(utf8, 5)).isEqualTo(3);
        assertThat(DeadLetters.utf8Prefix(utf8, 2)).isEqualTo(1);
    }

    @Test
    void anEscapedPasswordInABrokenRecordIsMaskedAfterDecoding() {
        String raw = "{\"logGroup\":\"/aws/lambda/api\",\"message\":\"{\\\"password\\\":\\\"hunter2\\\",\\\"key\\\":"
                + "\\\"\\u0041KIAIOSFODNN7EXAMPLE\\\"}"; // cut short: BAD_JSON
        DeadLetter d = DeadLetters.of(
                "BAD_JSON", "Unexpected end-of-input", "x", raw.getBytes(StandardCharsets.UTF_8), Optional.empty(), 0L);
        assertThat(payload(d))
                .doesNotContain("hunter2")
                .doesNotContain("IOSFODNN7EXAMPLE")
                .contains("\\\"password\\\":\\\"[REDACTED:SECRET_PAIR]\\\"");
    }

    @Test
    void aGzipPayloadIsMaskedInflatedAndTheDetailToo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(
                    "{\"logEvents\":[{\"message\":\"redis://:s3cr3t@cache:6379 ghp_16C7e42F292c6912E7710c838347Ae178B4a\"}"
                            .getBytes(StandardCharsets.UTF_8));
        }
        DeadLetter d = DeadLetters.of(
                "BAD_JSON",
                "timestamp is not RFC 3339: AKIAIOSFODNN7EXAMPLE",
                "x",
                bytes.toByteArray(),
                Optional.empty(),
                0L);
        assertThat(payload(d)).doesNotContain("s3cr3t").doesNotContain("ghp_16C7");
        assertThat(d.detail()).isEqualTo("timestamp is not RFC 3339: [REDACTED:AWS_ACCESS_KEY_ID]");
    }

    @Test
    void aSecretInsideTheBase64DataOfAnEnvelopeIsMaskedAndStaysReadable() throws IOException {
        // a Firehose body cut short (BAD_JSON) whose one record is gzip of a subscription payload with a password
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(inner)) {
            gz.write(("{\"logGroup\":\"/aws/lambda/api\",\"logEvents\":[{\"message\":\"db password=hunter2 "
                            + "key AKIAIOSFODNN7EXAMPLE\"}]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String data = Base64.getEncoder().encodeToString(inner.toByteArray());
        String raw = "{\"requestId\":\"r\",\"records\":[{\"data\":\"" + data + "\"},{\"data\":\"aGVsbG8gd29ybGQh\"}";

        DeadLetter d = DeadLetters.of(
                "BAD_JSON", "Unexpected end-of-input", "x", raw.getBytes(StandardCharsets.UTF_8), Optional.empty(), 0L);

        String kept = payload(d);
        assertThat(kept).doesNotContain(data).contains("\"data\":\"aGVsbG8gd29ybGQh\"");
        String reencoded =
                kept.substring(kept.indexOf("\"data\":\"") + 8, kept.indexOf('"', kept.indexOf("\"data\":\"") + 8));
        String decoded = new String(Base64.getDecoder().decode(reencoded), StandardCharsets.UTF_8);
        assertThat(decoded)
                .contains("/aws/lambda/api")
                .contains("password=[REDACTED:SECRET_PAIR]")
                .doesNotContain("hunter2")
                .doesNotContain("IOSFODNN7EXAMPLE");
    }
}
