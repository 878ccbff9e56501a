package io.fnwatch.ingest;

import io.fnwatch.parse.ParseResult;
import org.apache.kafka.clients.producer.ProducerRecord;

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
}
