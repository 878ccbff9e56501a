package io.fnwatch.parse;

/**
 * Limits and defaults the parsers apply. The {@code max*} limits of one raw record hold across every nesting
 * level (gzip inside base64 inside a Firehose record inside gzip ...): see {@link ParseBudget}.
 *
 * @param defaultTenant tenant given to events whose source names none
 * @param maxRecordBytes larger inputs are rejected as TOO_LARGE before any parsing
 * @param maxMessageChars messages kept on events are cut to this many characters (after redaction)
 * @param maxDecompressedBytes all the gzip layers of one record together inflate to at most this many bytes
 * @param maxRecordsPerPayload one array of log events or records longer than this is rejected whole
 * @param maxEventsPerRecord events, rejections and skips one record may produce, all levels together
 * @param maxNestedPayloads payloads (gzip, base64 data, CloudTrail messages) one record may open, all levels
 * @param maxInflationRatio the gzip layers of one record together inflate to at most this many times its size
 *        (but always {@link ParseBudget#INFLATION_FLOOR} and never more than {@code maxDecompressedBytes})
 */
public record ParserSettings(
        String defaultTenant,
        int maxRecordBytes,
        int maxMessageChars,
        int maxDecompressedBytes,
        int maxRecordsPerPayload,
        int maxEventsPerRecord,
        int maxNestedPayloads,
        int maxInflationRatio) {

    /**
     * Twice the most one real record holds: a CloudWatch Logs subscription payload carries the events of one
     * PutLogEvents batch (at most 10,000), and a raw record is one payload or one Firehose record.
     */
    public static final int DEFAULT_MAX_EVENTS_PER_RECORD = 20_000;
    /** A CloudTrail log group's payload opens one nested record per event: 10,000 plus its gzip, twice over. */
    public static final int DEFAULT_MAX_NESTED_PAYLOADS = 20_000;
    /**
     * Log JSON with its unique ids, request ids and timings gzips 4 to 15 times smaller; deflate can reach 1,032.
     * 100 keeps the work of a record proportional to its size (about 2 ms of CPU per KiB at most) and refuses
     * only payloads far more repetitive than logs.
     */
    public static final int DEFAULT_MAX_INFLATION_RATIO = 100;

    public static final ParserSettings DEFAULTS = new ParserSettings("default", 1 << 20, 1024, 16 << 20, 10_000);

    /** The settings with the default per-record event and payload budgets. */
    public ParserSettings(
            String defaultTenant,
            int maxRecordBytes,
            int maxMessageChars,
            int maxDecompressedBytes,
            int maxRecordsPerPayload) {
        this(
                defaultTenant,
                maxRecordBytes,
                maxMessageChars,
                maxDecompressedBytes,
                maxRecordsPerPayload,
                DEFAULT_MAX_EVENTS_PER_RECORD,
                DEFAULT_MAX_NESTED_PAYLOADS,
                DEFAULT_MAX_INFLATION_RATIO);
    }
}
