package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets are masked wherever the parser lets text out: events of every layout and rejection details. */
class MaskingPathsTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String subscription(String stream, List<String> messages) {
        StringBuilder sb = new StringBuilder("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/aws/lambda/f\",")
                .append("\"logStream\":\"")
                .append(stream)
                .append("\",\"logEvents\":[");
        for (int i = 0; i < messages.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"timestamp\":")
                    .append(1_736_279_347_000L + i)
                    .append(",\"message\":")
                    .append(Json.string(messages.get(i)))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    @Test
    void aPemKeySplitOverTheEventsOfOneLogStreamIsMaskedInAllOfThem() {
        ParseResult r = parse(subscription(
                "s1",
                List.of(
                        "INFO loaded key",
                        "-----BEGIN RSA PRIVATE KEY-----",
                        "MIIEowIBAAKCAQEAwJ7Tz1",
                        "Q8wNQ1pU2Vu5m3kq",
                        "-----END RSA PRIVATE KEY-----",
                        "INFO user=bob")));
        List<String> messages = r.events().stream().map(FunctionEvent::message).toList();
        assertThat(messages)
                .containsExactly(
                        "INFO loaded key",
                        "[REDACTED:PRIVATE_KEY]",
                        "[REDACTED:PRIVATE_KEY]",
                        "[REDACTED:PRIVATE_KEY]",
                        "[REDACTED:PRIVATE_KEY]",
                        "INFO user=bob");
        assertThat(r.events().get(2).secrets()).containsExactly("PRIVATE_KEY");
    }

    @Test
    void aPgpKeyOpenInOneStreamDoesNotMaskAnotherStream() {
        String a = subscription("a", List.of("-----BEGIN PGP PRIVATE KEY BLOCK-----", "lQOYBGB1c2VyAQgAz"));
        assertThat(parse(a).events().get(1).message()).isEqualTo("[REDACTED:PRIVATE_KEY]");
        // a new record starts outside any block
        String b = subscription("a", List.of("INFO next record"));
        assertThat(parse(b).events().get(0).message()).isEqualTo("INFO next record");
    }

    @Test
    void jsonEscapedSecretsInLambdaJsonLogsAreMasked() {
        String message = "{\"level\":\"INFO\",\"body\":\"{\\\"password\\\":\\\"hunter2\\\"}\"}";
        String line = "{\"logGroup\":\"/aws/lambda/api\",\"logStream\":\"s\",\"timestamp\":1736279347000,\"message\":"
                + Json.string(message) + "}";
        FunctionEvent e = parse(line).events().get(0);
        assertThat(Json.string(e)).doesNotContain("hunter2");
        assertThat(e.secrets()).containsExactly("SECRET_PAIR");
    }

    @Test
    void aSixteenMebibyteMessageIsMaskedInItsWindowAndCut() {
        String message = "token=abc " + "x".repeat(16 << 20);
        ParseResult r = new LogParser(new ParserSettings("default", 64 << 20, 1024, 64 << 20, 10_000))
                .parse(("{\"logGroup\":\"/aws/lambda/f\",\"logStream\":\"s\",\"timestamp\":1,\"message\":\"" + message
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(r.events().get(0).message()).isEqualTo("token=[REDACTED:SECRET_PAIR]" + " " + "x".repeat(1024 - 29));
    }

    @Test
    void rejectionDetailsAreMaskedAtTheSource() {
        ParseResult badJson = parse("{\"logGroup\":\"/aws/lambda/f\",\"password\": hunter2}");
        assertThat(badJson.rejections())
                .singleElement()
                .satisfies(rej -> assertThat(rej.detail())
                        .startsWith("Unrecognized token [REDACTED:UNPARSED_TOKEN] (7 chars)")
                        .doesNotContain("hunter2"));

        ParseResult badTime = parse("{\"logName\":\"projects/p/logs/x\",\"resource\":{\"type\":\"cloud_function\"},"
                + "\"timestamp\":\"AKIAIOSFODNN7EXAMPLE\",\"textPayload\":\"x\"}");
        assertThat(badTime.rejections())
                .singleElement()
                .satisfies(rej ->
                        assertThat(rej.detail()).isEqualTo("timestamp is not RFC 3339: [REDACTED:AWS_ACCESS_KEY_ID]"));
    }

    @Test
    void fieldsCutFromMessagesAreMaskedToo() {
        String line = "{\"logGroup\":\"/aws/lambda/f\",\"logStream\":\"s\",\"timestamp\":1,\"message\":\"User: "
                + "arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject on resource: "
                + "arn:aws:s3:::b/k?X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH7 because no identity-based policy\"}";
        FunctionEvent e = parse(line).events().get(0);
        assertThat(Json.string(e)).doesNotContain("FwoGZXIvYXdzEBYaDH7");
    }
}
