package io.fnwatch.parse;

/**
 * The work one raw record may cause, counted across every nesting level: a record is small, but envelopes
 * (base64 inside Firehose records inside gzip inside ...) multiply what each level holds, so per-level caps
 * alone let 34 KB become 80 million events or hundreds of 16 MiB inflations. Inflation is bounded by the
 * record's own size too (a ratio), so the work a record causes grows with its bytes, not with how well an
 * attacker compresses. Spending past any limit throws
 * {@link Exceeded}; {@link LogParser} then drops the record's partial output and dead-letters the whole record
 * once as TOO_LARGE, so nothing of it is half-kept.
 */
final class ParseBudget {

    /** Thrown through the shape parsers to the top; no stack trace, it is control flow. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** What any record, however small, may inflate to: a few hundred real log events. */
    static final int INFLATION_FLOOR = 256 * 1024;

    private final ParserSettings settings;
    private final long maxInflated;
    private int outputs;
    private int payloads;
    private long inflated;

    ParseBudget(ParserSettings settings, int recordBytes) {
        this.settings = settings;
        this.maxInflated = Math.min(
                settings.maxDecompressedBytes(),
                Math.max(INFLATION_FLOOR, (long) settings.maxInflationRatio() * recordBytes));
    }

    /** One event, rejection or skip. */
    void output() {
        if (++outputs > settings.maxEventsPerRecord()) {
            throw new Exceeded(
                    "record holds more than " + settings.maxEventsPerRecord() + " log events across its envelopes");
        }
    }

    /** One nested payload opened (a gzip layer, a base64 data field, a CloudTrail record in a message). */
    void payload() {
        if (++payloads > settings.maxNestedPayloads()) {
            throw new Exceeded("record nests more than " + settings.maxNestedPayloads() + " payloads");
        }
    }

    /** Bytes every gzip layer of the record may still inflate to. */
    long inflatable() {
        return maxInflated - inflated;
    }

    void inflated(int bytes) {
        inflated += bytes;
        if (inflated > maxInflated) {
            throw new Exceeded("gzip layers of the record inflate to more than " + maxInflated + " bytes ("
                    + settings.maxInflationRatio() + " times its size, at least " + INFLATION_FLOOR + ", at most "
                    + settings.maxDecompressedBytes() + ")");
        }
    }
}
