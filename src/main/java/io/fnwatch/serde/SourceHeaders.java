package io.fnwatch.serde;

import io.fnwatch.parse.SourceHints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * {@link SourceHints} as the headers of a raw record: written by fnwatch's own ingest with the record, read by the
 * topology's parse, so that both key the record's events alike.
 */
public final class SourceHeaders {

    /** No region is this long; a longer header is not even decoded. */
    private static final int MAX_VALUE_BYTES = 64;

    private SourceHeaders() {}

    /** The headers that carry {@code hints} (none when they hold nothing). */
    public static List<Header> of(SourceHints hints) {
        if (hints == null || hints.region() == null) {
            return List.of();
        }
        return List.of(new Value(SourceHints.REGION_HEADER, hints.region().getBytes(StandardCharsets.UTF_8)));
    }

    /** Kafka's own header class is internal (see LayersTest); the producer copies any {@link Header}. */
    private record Value(String key, byte[] value) implements Header {}

    /**
     * The hints a raw record carries. Any Kafka client with the raw topic's ACL can set a header, so one is read
     * only if it has a region's shape; anything else (empty, too long, not a region) is ignored, never thrown on.
     */
    public static SourceHints hints(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(SourceHints.REGION_HEADER);
        byte[] v = h == null ? null : h.value();
        if (v == null || v.length == 0 || v.length > MAX_VALUE_BYTES) {
            return SourceHints.NONE;
        }
        return SourceHints.ofRegion(new String(v, StandardCharsets.UTF_8));
    }
}
