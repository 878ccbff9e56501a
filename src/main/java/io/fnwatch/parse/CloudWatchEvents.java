package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;
import java.time.Instant;

/** Identity of a CloudWatch Logs event: function from the log group, version from the log stream. */
public final class CloudWatchEvents {

    private static final String LAMBDA_PREFIX = "/aws/lambda/";

    private CloudWatchEvents() {}

    /** A builder for one Lambda log event; the caller then reads the message into it. */
    static FunctionEvent.Builder builder(
            String logGroup, String logStream, long timestamp, String account, String region) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "aws";
        b.account = account;
        b.region = region;
        b.function = functionOf(logGroup, logStream);
        b.version = versionOf(logStream);
        b.timestamp = Instant.ofEpochMilli(timestamp);
        b.source = logStream == null ? logGroup : logGroup + ":" + logStream;
        return b;
    }

    /**
     * {@code /aws/lambda/NAME} names the function (a Lambda@Edge replica's group {@code /aws/lambda/us-east-1.NAME}
     * keeps its {@code us-east-1.} prefix, so it never meets a regional function NAME). A custom log group
     * ({@code LoggingConfig.LogGroup}) may be shared by many functions: Lambda then names each stream
     * {@code YYYY/MM/DD/NAME[VERSION][GUID]}, and NAME is the function; any other group is used whole. The puller
     * and every subscription shape come through here, so one function gets one name however it arrives.
     */
    public static String functionOf(String logGroup, String logStream) {
        if (logGroup.startsWith(LAMBDA_PREFIX)) {
            return logGroup.substring(LAMBDA_PREFIX.length());
        }
        String named = customGroupFunction(logStream);
        return named != null ? named : logGroup;
    }

    /** NAME of a {@code YYYY/MM/DD/NAME[…} stream, or null. */
    static String customGroupFunction(String logStream) {
        if (logStream == null || logStream.length() < 13 || logStream.charAt(10) != '/') {
            return null;
        }
        int open = logStream.indexOf('[', 11);
        // a Lambda function name is 1-64 characters
        if (open <= 11 || open > 11 + 64 || logStream.charAt(4) != '/' || logStream.charAt(7) != '/') {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (logStream.charAt(i) < '0' || logStream.charAt(i) > '9')) {
                return null;
            }
        }
        for (int i = 11; i < open; i++) {
            char c = logStream.charAt(i);
            // Lambda's function-name alphabet; a stream of another service is left alone
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
        }
        return logStream.substring(11, open);
    }

    /** Log streams are named {@code YYYY/MM/DD/[VERSION]instance}. */
    static String versionOf(String logStream) {
        if (logStream == null) {
            return null;
        }
        int open = logStream.indexOf('[');
        int close = logStream.indexOf(']', open + 1);
        return open >= 0 && close > open + 1 ? logStream.substring(open + 1, close) : null;
    }

    /** Messages of a CloudTrail log group are CloudTrail records, not function output. */
    static boolean isCloudTrailRecord(String message) {
        return message.startsWith("{") && message.contains("\"eventVersion\"") && message.contains("\"eventSource\"");
    }
}
