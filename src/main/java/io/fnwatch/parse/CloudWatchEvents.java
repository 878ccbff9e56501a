package io.fnwatch.parse;

import io.fnwatch.model.FunctionEvent;
import java.time.Instant;

/** Identity of a CloudWatch Logs event: function from the log group, version from the log stream. */
final class CloudWatchEvents {

    private static final String LAMBDA_PREFIX = "/aws/lambda/";

    private CloudWatchEvents() {}

    /** A builder for one Lambda log event; the caller then reads the message into it. */
    static FunctionEvent.Builder builder(
            String logGroup, String logStream, long timestamp, String account, String region) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.provider = "aws";
        b.account = account;
        b.region = region;
        b.function = functionOf(logGroup);
        b.version = versionOf(logStream);
        b.timestamp = Instant.ofEpochMilli(timestamp);
        b.source = logStream == null ? logGroup : logGroup + ":" + logStream;
        return b;
    }

    static String functionOf(String logGroup) {
        return logGroup.startsWith(LAMBDA_PREFIX) ? logGroup.substring(LAMBDA_PREFIX.length()) : logGroup;
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
