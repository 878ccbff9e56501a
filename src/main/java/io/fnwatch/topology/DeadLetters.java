package io.fnwatch.topology;

import io.fnwatch.model.DeadLetter;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds dead letters with the record's coordinates and capped original bytes, and logs one WARN each. */
final class DeadLetters {

    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static DeadLetter of(String reason, String detail, String source, byte[] payload,
            Optional<RecordMetadata> where, long now) {
        byte[] kept = payload == null ? new byte[0] : payload;
        boolean truncated = kept.length > MAX_PAYLOAD_BYTES;
        if (truncated) {
            kept = java.util.Arrays.copyOf(kept, MAX_PAYLOAD_BYTES);
        }
        String topic = where.map(RecordMetadata::topic).orElse(null);
        Integer partition = where.map(RecordMetadata::partition).orElse(null);
        Long offset = where.map(RecordMetadata::offset).orElse(null);
        LOG.warn("skipped record topic={} partition={} offset={} reason={} detail={}", topic, partition, offset,
                reason, detail);
        return new DeadLetter(reason, detail, source, Instant.ofEpochMilli(now), topic, partition, offset,
                Base64.getEncoder().encodeToString(kept), payload == null ? 0 : payload.length, truncated);
    }
}
