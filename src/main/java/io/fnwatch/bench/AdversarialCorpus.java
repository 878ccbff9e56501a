package io.fnwatch.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Hostile raw records by class, as an attacker who can write to the raw topic or an ingest endpoint would
 * send them: envelopes that multiply, inflation bombs, numbers, nesting and strings at and past every limit,
 * regex-heavy message texts, broken UTF-8, and seeded random envelope stacks. Each record is built on demand
 * (some are tens of MB before compression), so the corpus costs memory only for the record being measured.
 */
public final class AdversarialCorpus {

    /** Records just under the default 1 MiB record limit, so that they are parsed rather than refused. */
    static final int NEAR_RECORD_LIMIT = (1 << 20) - 512;

    private AdversarialCorpus() {}

    /** Class name to its records. */
    public static Map<String, List<Supplier<byte[]>>> classes(long seed) {
        Map<String, List<Supplier<byte[]>>> c = new LinkedHashMap<>();
        c.put(
                "fan-out-events",
                List.of(
                        () -> FanOutBomb.eventBomb().bytes(),
                        () -> FanOutBomb.subscription(10_000)
                                .gzip()
                                .firehose(2_000)
                                .array(2)
                                .gzip()
                                .bytes(),
                        () -> FanOutBomb.subscription(10_000)
                                .gzip()
                                .awslogs()
                                .array(5_000)
                                .gzip()
                                .bytes()));
        c.put(
                "nested-inflation",
                List.of(
                        () -> FanOutBomb.inflationBomb().bytes(),
                        () -> FanOutBomb.blank((16 << 20) - 16)
                                .gzip()
                                .gzip()
                                .gzip()
                                .bytes(),
                        () -> FanOutBomb.blank(64 << 20).gzip().bytes()));
        c.put(
                "huge-number",
                List.of(
                        () -> cloudRun("1" + "0".repeat(900_000) + ".5s"),
                        () -> cw("REPORT RequestId: r\\tDuration: " + "9".repeat(900_000) + " ms\\t"),
                        () -> bytes("{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":" + "9".repeat(900_000)
                                + ",\"message\":\"m\"}"),
                        () -> cw(jsonReport("1" + "0".repeat(900_000)))));
        c.put(
                "deep-json",
                List.of(
                        () -> bytes("[".repeat(NEAR_RECORD_LIMIT / 2) + "]".repeat(NEAR_RECORD_LIMIT / 2)),
                        () -> bytes("{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":1,\"message\":\"m\",\"x\":"
                                + "{\"a\":".repeat(NEAR_RECORD_LIMIT / 6) + "1" + "}".repeat(NEAR_RECORD_LIMIT / 6)
                                + "}"),
                        () -> cw("{" + "\\\"a\\\":{".repeat(NEAR_RECORD_LIMIT / 10) + "}".repeat(NEAR_RECORD_LIMIT / 10)
                                + "}")));
        c.put(
                "huge-string",
                List.of(
                        () -> cw("x".repeat(NEAR_RECORD_LIMIT - 200)),
                        () -> bytes("{\"logGroup\":\"/aws/lambda/" + "g".repeat(NEAR_RECORD_LIMIT - 200)
                                + "\",\"timestamp\":1," + "\"message\":\"m\"}"),
                        () -> bytes("{\"" + "k".repeat(NEAR_RECORD_LIMIT - 200) + "\":1}")));
        c.put(
                "pem-256k",
                List.of(
                        () -> cw(repeat("-----BEGIN PRIVATE KEY-----", 256 * 1024)),
                        () -> cw(repeat("-----BEGIN RSA PRIVATE KEY-----\\n", 256 * 1024))));
        c.put("pem-1m", List.of(() -> cw(repeat("-----BEGIN PRIVATE KEY-----", NEAR_RECORD_LIMIT - 200))));
        c.put(
                "jwt-1m",
                List.of(
                        () -> cw(repeat("eyJ", NEAR_RECORD_LIMIT - 200)),
                        () -> cw(repeat("eyJhbGciOi.", NEAR_RECORD_LIMIT - 200))));
        c.put(
                "gzip-16m-message",
                List.of(
                        () -> FanOutBomb.raw(cw("x".repeat((16 << 20) - 200)))
                                .gzip()
                                .bytes(),
                        () -> FanOutBomb.raw(cw(repeat("password=hunter2 ", (16 << 20) - 200)))
                                .gzip()
                                .bytes()));
        c.put(
                "many-tiny-events",
                List.of(
                        () -> FanOutBomb.subscription(10_000).gzip().bytes(),
                        () -> bytes("["
                                + "{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":1,\"message\":\"m\"},".repeat(10_000)
                                + "{\"logGroup\":\"/aws/lambda/x\",\"timestamp\":1,\"message\":\"m\"}]"),
                        () -> FanOutBomb.subscription(10_000).gzip().firehose(1).bytes()));
        c.put("invalid-utf8", invalidUtf8(seed));
        c.put("generated", generated(seed, 40));
        return c;
    }

    private static List<Supplier<byte[]>> invalidUtf8(long seed) {
        List<Supplier<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long s = seed + i;
            out.add(() -> {
                Random r = new Random(s);
                byte[] b = cw("y".repeat(64 * 1024));
                for (int k = 0; k < 4096; k++) {
                    int at = 60 + r.nextInt(64 * 1024);
                    b[at] = (byte) (0x80 + r.nextInt(128)); // continuation bytes, overlongs and 0xFF
                }
                return b;
            });
        }
        return out;
    }

    /**
     * Seeded random stacks of envelopes (gzip, Firehose, awslogs, arrays) around random payloads (subscription
     * payloads, blanks, junk), with random fan-outs: the combinations no hand-written case thought of.
     */
    static List<Supplier<byte[]>> generated(long seed, int n) {
        List<Supplier<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = seed * 1_000 + i;
            out.add(() -> generate(new Random(s)));
        }
        return out;
    }

    private static byte[] generate(Random r) {
        FanOutBomb b = switch (r.nextInt(4)) {
            case 0 -> FanOutBomb.subscription(1 + r.nextInt(10_000));
            case 1 -> FanOutBomb.blank(1 + r.nextInt(16 << 20));
            case 2 -> FanOutBomb.raw(cw(randomText(r, 1 + r.nextInt(200_000))));
            default -> FanOutBomb.raw(cloudRun(r.nextInt(40) + "." + "9".repeat(r.nextInt(2_000)) + "s"));
        };
        int layers = 1 + r.nextInt(5);
        for (int l = 0; l < layers; l++) {
            b = switch (r.nextInt(4)) {
                case 0 -> b.gzip();
                case 1 ->
                    b.bytesLength() > 4 << 20
                            ? b.gzip()
                            : b.firehose(1 + r.nextInt(Math.max(1, (4 << 20) / Math.max(1, b.bytesLength()))));
                case 2 -> b.bytesLength() > 4 << 20 ? b.gzip() : b.awslogs();
                default ->
                    b.bytesLength() > 4 << 20
                            ? b.gzip()
                            : b.array(1 + r.nextInt(Math.max(1, (2 << 20) / Math.max(1, b.bytesLength()))));
            };
        }
        return b.bytesLength() > 1 << 20 ? b.gzip().bytes() : b.bytes();
    }

    private static String randomText(Random r, int n) {
        String[] pieces = {
            "-----BEGIN PRIVATE KEY-----",
            "eyJ",
            ".",
            "password=",
            "AKIA",
            "://u:",
            "@",
            "\\\"",
            "\\\\",
            "REPORT RequestId: ",
            "\\tDuration: ",
            "9",
            "Authorization: Bearer ",
            " ",
            "x"
        };
        StringBuilder s = new StringBuilder(n + 40);
        while (s.length() < n) {
            s.append(pieces[r.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    static byte[] cw(String jsonEscapedMessage) {
        return bytes("{\"logGroup\":\"/aws/lambda/hostile\",\"logStream\":\"2026/03/02/[$LATEST]h\","
                + "\"timestamp\":1772409600000,\"message\":\"" + jsonEscapedMessage + "\"}");
    }

    private static byte[] cloudRun(String latency) {
        return bytes("{\"logName\":\"projects/p/logs/run.googleapis.com%2Frequests\",\"resource\":{\"type\":"
                + "\"cloud_run_revision\",\"labels\":{\"service_name\":\"hostile\",\"location\":\"us-central1\"}},"
                + "\"timestamp\":\"2026-03-02T00:00:00Z\",\"httpRequest\":{\"status\":200,\"latency\":\"" + latency
                + "\"}}");
    }

    private static String jsonReport(String duration) {
        return "{\\\"type\\\":\\\"platform.report\\\",\\\"record\\\":{\\\"requestId\\\":\\\"r\\\",\\\"metrics\\\":"
                + "{\\\"durationMs\\\":" + duration + "}}}";
    }

    private static String repeat(String unit, int chars) {
        return unit.repeat(Math.max(1, chars / unit.length()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
