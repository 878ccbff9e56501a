package io.fnwatch.ingest.http;

import java.util.Arrays;

/** The ingest endpoints, one per sender format, each a POST to its path. */
enum Endpoint {
    /** Amazon Data Firehose HTTP endpoint delivery: {@code {requestId, timestamp, records[{data}]}}. */
    FIREHOSE("/firehose"),
    /** One CloudWatch Logs subscription payload: plain JSON, gzip, or {@code {"awslogs":{"data":…}}}. */
    CLOUDWATCH("/cloudwatch"),
    /** One Google Pub/Sub push envelope. */
    PUBSUB("/pubsub"),
    /** One Azure diagnostic-settings document {@code {"records":[…]}}. */
    AZURE("/azure"),
    /** Newline-delimited JSON: every line is one log record of any shape fnwatch reads. */
    NDJSON("/ndjson");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    static Endpoint of(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Arrays.stream(values()).filter(e -> e.path.equals(p)).findFirst().orElse(null);
    }

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
