package io.fnwatch.topology;

import io.fnwatch.model.DeadLetter;
import io.fnwatch.parse.Redactor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
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
final class DeadLetters {

    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final Redactor REDACTOR = new Redactor();

    private DeadLetters() {
    }

    static DeadLetter of(String reason, String detail, String source, byte[] payload,
            Optional<RecordMetadata> where, long now) {
        byte[] original = payload == null ? new byte[0] : payload;
        byte[] readable = isGzip(original) ? inflate(original) : original;
        boolean truncated = readable.length > MAX_PAYLOAD_BYTES;
        String text = new String(readable, 0, Math.min(readable.length, MAX_PAYLOAD_BYTES), StandardCharsets.UTF_8);
        String redacted = REDACTOR.maskedRecord(text, text.length());
        String safeDetail = detail == null ? null : REDACTOR.redact(detail).text();
        String topic = where.map(RecordMetadata::topic).orElse(null);
        Integer partition = where.map(RecordMetadata::partition).orElse(null);
        Long offset = where.map(RecordMetadata::offset).orElse(null);
        LOG.warn("skipped record topic={} partition={} offset={} reason={} detail={}", topic, partition, offset,
                reason, safeDetail);
        return new DeadLetter(reason, safeDetail, source, Instant.ofEpochMilli(now), topic, partition, offset,
                Base64.getEncoder().encodeToString(redacted.getBytes(StandardCharsets.UTF_8)), original.length,
                truncated);
    }

    private static boolean isGzip(byte[] b) {
        return b.length > 1 && b[0] == (byte) 0x1f && b[1] == (byte) 0x8b;
    }

    /** Inflates at most one byte more than the cap (a bomb stops there); a corrupt stream keeps what it gave. */
    private static byte[] inflate(byte[] gz) {
        byte[] buf = new byte[MAX_PAYLOAD_BYTES + 1];
        int n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
        } catch (IOException e) {
            if (n == 0) {
                return gz;
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
