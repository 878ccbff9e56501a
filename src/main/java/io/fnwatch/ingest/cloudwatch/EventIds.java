package io.fnwatch.ingest.cloudwatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The events of a log group already written whose time is at or after a query's start, so that re-reading the
 * overlap writes nothing twice. Each id is kept as a 64-bit hash with its event time (16 bytes; eventIds are
 * 56 digits), at most {@code max} of them: past that the oldest go first. Immutable: a page's ids become part
 * of the checkpoint only when its transaction commits.
 */
final class EventIds {

    private final Map<Long, Long> timeById;

    private EventIds(Map<Long, Long> timeById) {
        this.timeById = timeById;
    }

    static EventIds empty() {
        return new EventIds(Map.of());
    }

    boolean contains(String eventId) {
        return timeById.containsKey(hash(eventId));
    }

    int size() {
        return timeById.size();
    }

    /** These ids plus {@code added}, keeping the {@code max} newest. */
    EventIds plus(Collection<Map.Entry<String, Long>> added, int max) {
        Map<Long, Long> m = new HashMap<>(timeById);
        added.forEach(e -> m.put(hash(e.getKey()), e.getValue()));
        if (m.size() > max) {
            m.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .limit(m.size() - max)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(m::remove);
        }
        return new EventIds(m);
    }

    /** Only the ids of events at or after {@code time}: older ones can no longer be read again. */
    EventIds since(long time) {
        Map<Long, Long> m = new HashMap<>();
        timeById.forEach((id, t) -> {
            if (t >= time) {
                m.put(id, t);
            }
        });
        return new EventIds(m);
    }

    String encode() {
        ByteBuffer b = ByteBuffer.allocate(16 * timeById.size());
        timeById.forEach((id, t) -> b.putLong(id).putLong(t));
        return Base64.getEncoder().encodeToString(b.array());
    }

    static EventIds decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return empty();
        }
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
        Map<Long, Long> m = new HashMap<>();
        while (b.remaining() >= 16) {
            m.put(b.getLong(), b.getLong());
        }
        return new EventIds(m);
    }

    static long hash(String eventId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
