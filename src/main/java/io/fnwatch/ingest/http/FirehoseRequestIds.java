package io.fnwatch.ingest.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Firehose request ids seen lately, so that a retry of a request that was already written to Kafka (its 200
 * was lost) is answered 200 without writing again. Bounded twice: at most {@code maxIds} ids (oldest dropped
 * first) and each for at most {@code ttlMs}. Ids live per instance and are lost on restart.
 */
final class FirehoseRequestIds {

    enum Claim { NEW, DELIVERED, IN_FLIGHT }

    private record Seen(boolean delivered, long at) {
    }

    private final int maxIds;
    private final long ttlMs;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Seen> seen;

    FirehoseRequestIds(int maxIds, long ttlMs, LongSupplier clock) {
        this.maxIds = maxIds;
        this.ttlMs = ttlMs;
        this.clock = clock;
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > FirehoseRequestIds.this.maxIds;
            }
        };
    }

    /**
     * NEW marks the id in flight (the caller then calls {@link #delivered} or {@link #failed}); DELIVERED means
     * an earlier request with this id was written; IN_FLIGHT means one is being written right now.
     */
    synchronized Claim claim(String id) {
        if (maxIds == 0 || id == null) {
            return Claim.NEW;
        }
        long now = clock.getAsLong();
        Seen s = seen.get(id);
        if (s != null && now - s.at() < ttlMs) {
            return s.delivered() ? Claim.DELIVERED : Claim.IN_FLIGHT;
        }
        seen.remove(id);
        seen.put(id, new Seen(false, now));
        return Claim.NEW;
    }

    synchronized void delivered(String id) {
        if (maxIds > 0 && id != null) {
            seen.remove(id);
            seen.put(id, new Seen(true, clock.getAsLong()));
        }
    }

    synchronized void failed(String id) {
        if (id != null) {
            seen.remove(id);
        }
    }

    synchronized int size() {
        return seen.size();
    }
}
