package io.fnwatch.ingest.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Realistic request bodies of each sender, built small and explicit. */
final class SamplePayloads {

    static final String ACCOUNT = "123456789012";
    static final long T0 = 1_772_546_400_000L;

    private SamplePayloads() {}

    /** A CloudWatch Logs subscription payload of one Lambda function: START, REPORT, END. */
    static String subscription(String account, String function, long t) {
        return "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" + account + "\",\"logGroup\":\"/aws/lambda/" + function
                + "\",\"logStream\":\"2026/03/03/[$LATEST]0a1b\",\"subscriptionFilters\":[\"fnwatch\"],\"logEvents\":["
                + "{\"id\":\"1\",\"timestamp\":" + t + ",\"message\":\"START RequestId: r1 Version: $LATEST\\n\"},"
                + "{\"id\":\"2\",\"timestamp\":" + (t + 80) + ",\"message\":\"REPORT RequestId: r1\\tDuration: 75.1 ms"
                + "\\tBilled Duration: 76 ms\\tMemory Size: 128 MB\\tMax Memory Used: 60 MB\\t\\n\"},"
                + "{\"id\":\"3\",\"timestamp\":" + (t + 81) + ",\"message\":\"END RequestId: r1\\n\"}]}";
    }

    /** A Firehose delivery whose records are gzip'd subscription payloads, as Firehose sends them by default. */
    static String firehose(String requestId, String... subscriptionPayloads) {
        StringBuilder records = new StringBuilder();
        for (String p : subscriptionPayloads) {
            records.append(records.length() == 0 ? "" : ",")
                    .append("{\"data\":\"")
                    .append(Base64.getEncoder().encodeToString(gzip(p.getBytes(StandardCharsets.UTF_8))))
                    .append("\"}");
        }
        return "{\"requestId\":\"" + requestId + "\",\"timestamp\":" + T0 + ",\"records\":[" + records + "]}";
    }

    static String cloudWatchLine(String account, String function, long t) {
        return "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/03/[1]ab\",\"timestamp\":" + t
                + ",\"message\":\"START RequestId: q Version: 1\",\"account\":\"" + account
                + "\",\"tenant\":\"victim\"}";
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
