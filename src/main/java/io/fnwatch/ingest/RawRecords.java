package io.fnwatch.ingest;

import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.SourceHeaders;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How every source writes one raw record: to its tenant's raw topic ({@link io.fnwatch.serde.TenantTopics},
 * which is what names the tenant), keyed by its function and stamped with its first event's time when the
 * parser can read it (no repartition, event-time windows). Unreadable records are written as they are, for the
 * service to dead-letter.
 */
public final class RawRecords {

    private RawRecords() {}

    /** {@code parsed} must have been parsed as the tenant of {@code topic}, or the key names another tenant. */
    public static ProducerRecord<String, byte[]> of(String topic, byte[] value, ParseResult parsed) {
        Long timestamp =
                parsed.events().isEmpty() ? null : parsed.events().get(0).epochMillis();
        return new ProducerRecord<>(topic, null, timestamp, FileReplayer.functionKey(parsed), value);
    }

    /**
     * As {@link #of(String, byte[], ParseResult)} for a record {@code parsed} with {@code hints}: the hints go with
     * it as headers ({@link SourceHeaders}), so that the service's parse keys its events as this one did.
     */
    public static ProducerRecord<String, byte[]> of(String topic, byte[] value, ParseResult parsed, SourceHints hints) {
        return withHints(of(topic, value, parsed), hints);
    }

    /** {@code r} carrying {@code hints} as its headers (itself when they hold nothing). */
    public static ProducerRecord<String, byte[]> withHints(ProducerRecord<String, byte[]> r, SourceHints hints) {
        List<Header> headers = SourceHeaders.of(hints);
        return headers.isEmpty()
                ? r
                : new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value(), headers);
    }
}
