package io.fnwatch.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * CloudWatch event JSON lines of one AWS Lambda function, as the fleet generator writes them (the
 * {@code bench fleet} formats: plain-text INIT_START, START, REPORT, an AccessDenied error line, a line with
 * an access key) but built with a StringBuilder instead of {@code String.format}, so that a bench can make
 * tens of thousands a second on the same cores as the service it measures.
 */
final class LambdaLines {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    private final String function;
    private final String prefix;
    private final int memoryMb;
    private final long idHigh;
    private long ids;

    LambdaLines(String function, int memoryMb, long seed) {
        this.function = function;
        this.memoryMb = memoryMb;
        this.idHigh = seed * 0x9E3779B97F4A7C15L + function.hashCode();
        String stream = "2026/03/03/[$LATEST]" + Long.toHexString(idHigh & Long.MAX_VALUE);
        this.prefix = "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"" + stream + "\",\"timestamp\":";
    }

    String function() {
        return function;
    }

    /** A new request id (deterministic per function and call). */
    String requestId() {
        return requestId(++ids);
    }

    /** The function's {@code n}th request id. */
    String requestId(long n) {
        return new UUID(idHigh, n).toString();
    }

    byte[] initStart(long t, String runtime) {
        return line(
                t,
                new StringBuilder(128)
                        .append("INIT_START Runtime Version: ")
                        .append(runtime)
                        .append("\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0f0f"));
    }

    byte[] start(long t, String requestId) {
        return line(
                t,
                new StringBuilder(80)
                        .append("START RequestId: ")
                        .append(requestId)
                        .append(" Version: $LATEST"));
    }

    /** {@code initMs} &lt; 0: a warm invocation (no Init Duration). */
    byte[] report(long t, String requestId, double durationMs, double initMs) {
        StringBuilder m = new StringBuilder(200)
                .append("REPORT RequestId: ")
                .append(requestId)
                .append("\tDuration: ");
        hundredths(m, durationMs)
                .append(" ms\tBilled Duration: ")
                .append((long) Math.ceil(durationMs))
                .append(" ms\tMemory Size: ")
                .append(memoryMb)
                .append(" MB\tMax Memory Used: ")
                .append(memoryMb * 3 / 10)
                .append(" MB\t");
        if (initMs >= 0) {
            hundredths(m.append("Init Duration: "), initMs).append(" ms\t");
        }
        return line(t, m);
    }

    byte[] denied(long t, String action) {
        return line(
                t,
                new StringBuilder(300)
                        .append("[ERROR]\t")
                        .append(Instant.ofEpochMilli(t))
                        .append('\t')
                        .append(requestId())
                        .append("\tClientError: An error occurred (AccessDenied) when calling the ")
                        .append("operation: User: arn:aws:sts::")
                        .append(ACCOUNT)
                        .append(":assumed-role/")
                        .append(function)
                        .append("-role/")
                        .append(function)
                        .append(" is not authorized to perform: ")
                        .append(action)
                        .append(" on resource: *"));
    }

    /** A log line that writes an AWS access key id: fnwatch masks it and raises SECRET_IN_LOGS. */
    byte[] leak(long t, long n) {
        String key = Long.toString(n & 0xFFFFFFFFFFFFL, 32).toUpperCase(java.util.Locale.ROOT);
        return line(
                t,
                new StringBuilder(120)
                        .append(Instant.ofEpochMilli(t))
                        .append('\t')
                        .append(requestId())
                        .append("\tINFO\tusing key AKIA")
                        .append("Q".repeat(16 - key.length()))
                        .append(key)
                        .append(" for the export"));
    }

    private byte[] line(long t, CharSequence message) {
        StringBuilder b = new StringBuilder(prefix.length() + message.length() + 80)
                .append(prefix)
                .append(t)
                .append(",\"message\":\"");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> b.append(c);
            }
        }
        return b.append("\\n\",\"account\":\"")
                .append(ACCOUNT)
                .append("\",\"region\":\"")
                .append(REGION)
                .append("\"}")
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder hundredths(StringBuilder b, double ms) {
        long h = Math.round(ms * 100);
        return b.append(h / 100).append('.').append((char) ('0' + h / 10 % 10)).append((char) ('0' + h % 10));
    }
}
