package io.fnwatch.ingest;

import io.fnwatch.parse.ParseResult;
import io.fnwatch.serde.RawHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How every source writes one raw record: keyed by its function and stamped with its first event's time
 * when the parser can read it (no repartition, event-time windows), tagged with the tenant the source vouches
 * for. Unreadable records are written as they are, for the service to dead-letter.
 */
public final class RawRecords {

    private RawRecords() {
    }

    /** {@code tenant} null leaves the tenant to the payload and the default. */
    public static ProducerRecord<String, byte[]> of(String topic, byte[] value, ParseResult parsed, String tenant) {
        Long timestamp = parsed.events().isEmpty() ? null : parsed.events().get(0).epochMillis();
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, timestamp,
                FileReplayer.functionKey(parsed), value);
        if (tenant != null) {
            RawHeaders.setTenant(r.headers(), tenant);
        }
        return r;
    }
}
