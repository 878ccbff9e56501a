package io.fnwatch.topology;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.parse.Gzip;
import io.fnwatch.parse.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds dead letters with the record's coordinates and its payload — redacted like events are, so the
 * dead-letter topic never becomes the place secrets leak to — and logs one structured WARN each. A gzip
 * payload is kept inflated (up to the cap) so that it can be redacted and read. The masking reads through
 * JSON and URL escapes ({@code \"password\":\"x\"} in a message string is found and masked), while the
 * payload keeps its escaped form.
 */
public final class DeadLetters {

    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Details name a cause and quote a little of the input; more is noise, and must not grow the record. */
    static final int MAX_DETAIL_CHARS = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final Redactor REDACTOR = new Redactor();

    private DeadLetters() {}

    /** A failed record as a dead letter keeps it: masked text in base64, its original size, whether it was cut. */
    record Payload(String base64, int bytes, boolean truncated) {}

    /**
     * Prepares a record's payload once: a record whose events fail one by one gives one dead letter per
     * event, and inflating and masking the same bytes for each would cost as many times the work.
     */
    static Payload payload(byte[] payload) {
        byte[] original = payload == null ? new byte[0] : payload;
        byte[] readable = Gzip.isGzip(original) ? inflate(original) : original;
        boolean truncated = readable.length > MAX_PAYLOAD_BYTES;
        String text = new String(readable, 0, Math.min(readable.length, MAX_PAYLOAD_BYTES), StandardCharsets.UTF_8);
        byte[] redacted = REDACTOR.maskedRecord(text, text.length()).getBytes(StandardCharsets.UTF_8);
        // masking opens base64 envelopes (a gzip field becomes its masked text, up to a MiB): cut again after it,
        // or one bomb's dead letter is larger than a Kafka record may be and stops the stream thread
        int kept = utf8Prefix(redacted, MAX_PAYLOAD_BYTES);
        return new Payload(
                Base64.getEncoder().encodeToString(kept == redacted.length ? redacted : Arrays.copyOf(redacted, kept)),
                original.length,
                truncated || kept < redacted.length);
    }

    /** The length of the longest prefix of {@code utf8} within {@code max} bytes that ends between characters. */
    static int utf8Prefix(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8.length;
        }
        int end = max;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // utf8[end] continues a character: the cut goes before that character's first byte
        }
        return end;
    }

    /**
     * The dead letter of a record a puller refused before it reached a raw topic (so it has no coordinates there):
     * the same masking and caps as the service's own.
     */
    public static DeadLetter refused(String reason, String detail, String source, byte[] payload, long now) {
        return of(reason, detail, source, payload, Optional.empty(), now);
    }

    static DeadLetter of(
            String reason, String detail, String source, byte[] payload, Optional<RecordMetadata> where, long now) {
        return of(reason, detail, source, payload(payload), where, now);
    }

    static DeadLetter of(
            String reason, String detail, String source, Payload payload, Optional<RecordMetadata> where, long now) {
        String safeDetail = detail == null ? null : REDACTOR.maskedDetail(detail, MAX_DETAIL_CHARS);
        String topic = where.map(RecordMetadata::topic).orElse(null);
        Integer partition = where.map(RecordMetadata::partition).orElse(null);
        Long offset = where.map(RecordMetadata::offset).orElse(null);
        LOG.warn(
                "skipped record topic={} partition={} offset={} reason={} detail={}",
                topic,
                partition,
                offset,
                reason,
                safeDetail);
        return new DeadLetter(
                reason,
                safeDetail,
                source,
                Instant.ofEpochMilli(now),
                topic,
                partition,
                offset,
                payload.base64(),
                payload.bytes(),
                payload.truncated());
    }

    /** Inflates at most one byte more than the cap (a bomb stops there); a corrupt stream keeps what it gave. */
    private static byte[] inflate(byte[] gz) {
        byte[] inflated = Gzip.inflateAtMost(gz, MAX_PAYLOAD_BYTES + 1);
        return inflated == null ? gz : inflated;
    }
}
