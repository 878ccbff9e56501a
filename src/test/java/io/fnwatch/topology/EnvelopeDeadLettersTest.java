package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.Redactor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14: a secret inside the base64 {@code data} of a Firehose record, a Pub/Sub push body or an
 * {@code awslogs} payload is masked in every dead letter that keeps the payload, in no form readable: not as
 * text, not as base64 a reader decodes (leniently, from any offset, gunzipped), whatever the envelope's
 * encoding did (gzip, nesting, escaping, bad base64).
 */
class EnvelopeDeadLettersTest {

    private static final String AKIA = "AKIAIOSFODNN7EXAMPLE";
    private static final String PEM_BODY = "MIIEpAIBAAKCAQEA7bq98xLmN2";
    private static final String PASSWORD = "Hunter2xyz!9q";

    private static final List<String[]> SECRETS = List.of(
            new String[] {"key " + AKIA + " used", "IOSFODNN7EXAMPLE"},
            new String[] {"-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END RSA PRIVATE KEY-----", PEM_BODY},
            new String[] {"db password=" + PASSWORD + " ok", PASSWORD});

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String subscription(String message) {
        return "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/lambda/api\","
                + "\"logStream\":\"s\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1772445600000,\"message\":\""
                + message.replace("\n", "\\n") + "\"}]}";
    }

    static String firehose(String data) {
        return "{\"requestId\":\"r-1\",\"timestamp\":1772445600000,\"records\":[{\"data\":\"" + data + "\"}]}";
    }

    static String pubsub(String data) {
        return "{\"message\":{\"data\":\"" + data + "\",\"messageId\":\"1\",\"publishTime\":\"2026-03-02T10:00:00Z\"},"
                + "\"subscription\":\"projects/p/subscriptions/s\"}";
    }

    static String awslogs(String data) {
        return "{\"awslogs\":{\"data\":\"" + data + "\"}}";
    }

    /** Ways an envelope encodes its data, the bad ones a sender gets wrong included. */
    static final List<Object[]> ENCODINGS = List.<Object[]>of(
            new Object[] {"plain", (Function<String, String>) EnvelopeDeadLettersTest::b64},
            new Object[] {"gzip", (Function<String, String>) s -> b64(gzip(subscription(s)))},
            new Object[] {
                "gzip-cut",
                (Function<String, String>) s -> {
                    byte[] g = gzip(s + " " + "padding ".repeat(20));
                    return b64(Arrays.copyOf(g, g.length - 20));
                }
            },
            new Object[] {"nested-awslogs", (Function<String, String>) s -> b64(awslogs(b64(gzip(subscription(s)))))},
            new Object[] {
                "url-safe",
                (Function<String, String>)
                        s -> Base64.getUrlEncoder().encodeToString(("?>" + s + "??>").getBytes(StandardCharsets.UTF_8))
            },
            new Object[] {
                "escaped-slashes",
                (Function<String, String>) s -> b64("??" + s + "?>?").replace("/", "\\/")
            },
            new Object[] {
                "mime-lines",
                (Function<String, String>) s -> Base64.getMimeEncoder(16, "\n".getBytes(StandardCharsets.UTF_8))
                        .encodeToString(s.getBytes(StandardCharsets.UTF_8))
                        .replace("\n", "\\n")
            },
            new Object[] {"no-padding-extra-char", (Function<String, String>) s -> b64(s).replace("=", "") + "x"},
            new Object[] {"bad-char-misaligned", (Function<String, String>) s -> "aGVsbG8!" + b64(s)});

    static Stream<Arguments> envelopedSecrets() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> envelopes = List.of(
                new Object[] {"firehose", (Function<String, String>) EnvelopeDeadLettersTest::firehose},
                new Object[] {"pubsub", (Function<String, String>) EnvelopeDeadLettersTest::pubsub},
                new Object[] {"awslogs", (Function<String, String>) EnvelopeDeadLettersTest::awslogs},
                new Object[] {
                    "escaped-pubsub-in-a-body",
                    (Function<String, String>) d ->
                            "{\"body\":\"" + pubsub(d).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"
                });
        for (Object[] env : envelopes) {
            for (Object[] enc : ENCODINGS) {
                for (String[] secret : SECRETS) {
                    @SuppressWarnings("unchecked")
                    String record = ((Function<String, String>) env[1])
                            .apply(((Function<String, String>) enc[1]).apply(secret[0]));
                    out.add(Arguments.of(env[0] + "/" + enc[0], record, secret[1]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopedSecrets")
    void noDeadLetterShowsTheSecretInAnyForm(String name, String record, String secret) {
        assertThat(Leaks.in(record, secret))
                .as("the case plants a findable secret")
                .isTrue();
        byte[] raw = record.getBytes(StandardCharsets.UTF_8);
        // the topology's dead letter, the raw record gzip or not
        DeadLetter d = DeadLetters.of("BAD_BASE64", "x", "s", raw, Optional.empty(), 0L);
        String payload = new String(Base64.getDecoder().decode(d.payloadBase64()), StandardCharsets.UTF_8);
        assertThat(Leaks.in(payload, secret)).as(name + ": " + payload).isFalse();
        DeadLetter gz = DeadLetters.of("BAD_JSON", "x", "s", gzip(record), Optional.empty(), 0L);
        String gzPayload = new String(Base64.getDecoder().decode(gz.payloadBase64()), StandardCharsets.UTF_8);
        assertThat(Leaks.in(gzPayload, secret)).as(name + " in gzip").isFalse();
        // what `fnwatch parse` prints for a rejection: an excerpt of the line
        String excerpt = new Redactor().maskedRecord(record, 2000);
        assertThat(Leaks.in(excerpt, secret)).as(name + " excerpt").isFalse();
        // the parser's own rejections echo nothing of it either
        ParseResult r = new LogParser(ParserSettings.DEFAULTS).parse(raw);
        r.rejections()
                .forEach(rej -> assertThat(Leaks.in(String.valueOf(rej.detail()), secret))
                        .isFalse());
    }

    @Test
    void aDataFieldWithoutASecretIsKeptAsItWasSoTheEvidenceStays() {
        String data = b64(gzip(subscription("order 42 shipped")));
        String record = firehose(data).replace("]}", "]"); // cut short: BAD_JSON
        DeadLetter d = DeadLetters.of(
                "BAD_JSON",
                "Unexpected end-of-input",
                "s",
                record.getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                0L);
        assertThat(new String(Base64.getDecoder().decode(d.payloadBase64()), StandardCharsets.UTF_8))
                .isEqualTo(record);
    }

    @Test
    void aSecretInDataIsReplacedByTheBase64OfItsMaskedTextWhichStaysReadable() {
        String record = pubsub(b64("{\"password\":\"" + PASSWORD + "\",\"user\":\"u1\"}"));
        String masked = new Redactor().maskedRecord(record, record.length());
        String data = masked.substring(masked.indexOf("\"data\":\"") + 8, masked.indexOf("\",\"messageId"));
        assertThat(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8))
                .isEqualTo("{\"password\":\"[REDACTED:SECRET_PAIR]\",\"user\":\"u1\"}");
    }

    @Test
    void aBadFirehoseRecordDeadLetteredThroughTheParserKeepsNoSecret() {
        // HTTP ingest keeps a record whose data is not base64 as a one-record Firehose document
        String record =
                "{\"requestId\":\"undecodable\",\"records\":[{\"data\":\"" + b64("password=" + PASSWORD) + "x\"}]}";
        byte[] raw = record.getBytes(StandardCharsets.UTF_8);
        ParseResult r = new LogParser(ParserSettings.DEFAULTS).parse(raw);
        assertThat(r.rejections()).isNotEmpty();
        DeadLetters.Payload p = DeadLetters.payload(raw);
        String payload = new String(Base64.getDecoder().decode(p.base64()), StandardCharsets.UTF_8);
        assertThat(Leaks.in(payload, PASSWORD)).as(payload).isFalse();
    }

    /** Finds a secret as text, or in any base64 run decoded leniently from any of the four offsets and gunzipped. */
    static final class Leaks {
        private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/=]{8,}");

        static boolean in(String text, String secret) {
            return in(text, secret, 0);
        }

        private static boolean in(String text, String secret, int depth) {
            if (text.contains(secret)) {
                return true;
            }
            if (depth > 4) {
                return false;
            }
            String t = text.replace("\\\\", "\\")
                    .replace("\\/", "/")
                    .replace("\\n", "")
                    .replace('-', '+')
                    .replace('_', '/');
            Matcher m = RUN.matcher(t);
            while (m.find()) {
                String run = m.group().replace("=", "");
                for (int off = 0; off < 4 && run.length() - off >= 8; off++) {
                    String r = run.substring(off);
                    if (r.length() % 4 == 1) {
                        r = r.substring(0, r.length() - 1);
                    }
                    byte[] raw = Base64.getDecoder().decode(r);
                    if (raw.length > 2 && raw[0] == (byte) 0x1f && raw[1] == (byte) 0x8b) {
                        raw = gunzip(raw);
                    }
                    if (in(new String(raw, StandardCharsets.ISO_8859_1), secret, depth + 1)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static byte[] gunzip(byte[] gz) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                in.transferTo(out);
            } catch (IOException cutOrCorrupt) {
                // what it gave before the damage is what a reader sees
            }
            return out.toByteArray();
        }
    }
}
