package io.fnwatch.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * Builds records whose envelopes multiply what they hold, layer by layer from the inside out: a CloudWatch
 * Logs subscription payload, then gzip, Firehose bodies of many copies of one base64 record, JSON arrays of
 * copies, {@code awslogs} wrappers. Copies of one string compress to almost nothing, so a few tens of KB
 * declare tens of millions of events (or hundreds of 16 MiB inflations). {@link #events()} and
 * {@link #inflatedBytes()} say what a parser without a per-record budget would have to produce and inflate.
 */
public final class FanOutBomb {

    private static final String EVENT = "{\"id\":\"1\",\"timestamp\":1772409600000,\"message\":\"REPORT RequestId: r"
            + "\\tDuration: 1.0 ms\\tBilled Duration: 1 ms\\t\"}";

    private final byte[] bytes;
    private final long events;
    private final long inflated;

    private FanOutBomb(byte[] bytes, long events, long inflated) {
        this.bytes = bytes;
        this.events = events;
        this.inflated = inflated;
    }

    /**
     * The shape the issue reported, kept inside the parser's four nesting levels: gzip of gzip of a Firehose
     * body whose 2,000 records are each a gzip'd 10,000-event subscription payload: 20 million events.
     */
    public static FanOutBomb eventBomb() {
        return subscription(10_000).gzip().firehose(2_000).gzip().gzip();
    }

    /** 724 records that each inflate to 16 MiB of blanks: 11.5 GiB of inflation from about 34 KB. */
    public static FanOutBomb inflationBomb() {
        return blank((16 << 20) - 16).gzip().firehose(724).gzip();
    }

    /** A subscription payload of {@code n} REPORT lines of {@code /aws/lambda/bomb}. */
    public static FanOutBomb subscription(int n) {
        StringBuilder s = new StringBuilder(EVENT.length() * n + 200)
                .append("{\"messageType\":\"DATA_MESSAGE\","
                        + "\"owner\":\"123456789012\",\"logGroup\":\"/aws/lambda/bomb\",\"logStream\":\"2026/03/02/[$LATEST]b\","
                        + "\"subscriptionFilters\":[\"f\"],\"logEvents\":[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(EVENT);
        }
        byte[] b = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new FanOutBomb(b, n, 0);
    }

    /**
     * A subscription payload of {@code n} REPORT lines as CloudWatch Logs writes them, each with its own event
     * id, request id and timings: it gzips about as well as real logs (a few times), unlike {@link #subscription}.
     */
    public static FanOutBomb realistic(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder s = new StringBuilder(260 * n + 200)
                .append("{\"messageType\":\"DATA_MESSAGE\","
                        + "\"owner\":\"123456789012\",\"logGroup\":\"/aws/lambda/bomb\",\"logStream\":\"2026/03/02/[$LATEST]b\","
                        + "\"subscriptionFilters\":[\"f\"],\"logEvents\":[");
        for (int i = 0; i < n; i++) {
            double ms = 1 + r.nextInt(90_000) / 100.0;
            s.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(Math.abs(r.nextLong()))
                    .append(Math.abs(r.nextLong()))
                    .append(Math.abs(r.nextLong()))
                    .append("\",\"timestamp\":")
                    .append(1772409600000L + i * 37L + r.nextInt(30))
                    .append(",\"message\":\"REPORT RequestId: ")
                    .append(new java.util.UUID(r.nextLong(), r.nextLong()))
                    .append("\\tDuration: ")
                    .append(ms)
                    .append(" ms\\tBilled Duration: ")
                    .append((long) Math.ceil(ms))
                    .append(" ms\\tMemory Size: 512 MB")
                    .append("\\tMax Memory Used: ")
                    .append(60 + r.nextInt(200))
                    .append(" MB\\t\\n\"}");
        }
        byte[] b = s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new FanOutBomb(b, n, 0);
    }

    /** {@code n} spaces: inflates to a lot, parses to one "blank record" rejection. */
    public static FanOutBomb blank(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) ' ');
        return new FanOutBomb(b, 1, 0);
    }

    /** Any record, to wrap in envelopes. */
    public static FanOutBomb raw(byte[] record) {
        return new FanOutBomb(record.clone(), 1, 0);
    }

    public FanOutBomb gzip() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(64, bytes.length / 100));
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 1 << 16)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FanOutBomb(buf.toByteArray(), events, inflated + bytes.length);
    }

    /** A Firehose HTTP endpoint body of {@code n} records, each this record in base64. */
    public FanOutBomb firehose(int n) {
        return copies(
                "{\"requestId\":\"bomb\",\"timestamp\":1772409600000,\"records\":[",
                "{\"data\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}",
                n,
                "]}");
    }

    /** A JSON array of {@code n} copies of this (JSON) record. */
    public FanOutBomb array(int n) {
        return copies("[", new String(bytes, StandardCharsets.UTF_8), n, "]");
    }

    /** The {@code {"awslogs":{"data":…}}} wrapper a Lambda subscriber receives. */
    public FanOutBomb awslogs() {
        return copies("{\"awslogs\":{\"data\":\"", Base64.getEncoder().encodeToString(bytes), 1, "\"}}");
    }

    private FanOutBomb copies(String open, String item, int n, String close) {
        StringBuilder s = new StringBuilder(open.length() + (item.length() + 1) * n + close.length()).append(open);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(item);
        }
        return new FanOutBomb(s.append(close).toString().getBytes(StandardCharsets.UTF_8), events * n, inflated * n);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int bytesLength() {
        return bytes.length;
    }

    /** Log events the record declares across all its envelopes. */
    public long events() {
        return events;
    }

    /** Bytes all its gzip layers inflate to, together. */
    public long inflatedBytes() {
        return inflated;
    }
}
