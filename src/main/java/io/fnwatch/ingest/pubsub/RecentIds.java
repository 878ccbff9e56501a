package io.fnwatch.ingest.pubsub;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The LogEntries delivered lately, to drop copies Pub/Sub delivers again (at-least-once: after an ack was lost,
 * a deadline passed, or the sink published an entry twice). An id is remembered from its delivery to Kafka for
 * {@code windowMs}, at most {@code maxIds} of them (the oldest go first): a copy arriving inside both bounds is
 * acknowledged without writing. A copy arriving while the first is still being written waits for it: it is
 * acknowledged when the first is written, nacked when the first fails. Ids are 64-bit hashes ({@link EntryIds}).
 * Memory: about 100 bytes an id.
 */
final class RecentIds {

    enum Claim {
        /** Not seen: the caller writes it, then calls {@link #delivered} or {@link #failed}. */
        NEW,
        /** Delivered within the window: a duplicate. */
        DELIVERED,
        /** Being written by another delivery: {@link Outcome#first()} completes with its result. */
        IN_FLIGHT
    }

    record Outcome(Claim claim, CompletableFuture<Boolean> first) {}

    private final int maxIds;
    private final long windowMs;
    private final LongSupplier clock;
    /** id → time delivered, oldest first. */
    private final LinkedHashMap<Long, Long> delivered = new LinkedHashMap<>();

    private final Map<Long, CompletableFuture<Boolean>> inFlight = new HashMap<>();

    RecentIds(int maxIds, long windowMs, LongSupplier clock) {
        this.maxIds = maxIds;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    synchronized Outcome claim(long id) {
        expire(clock.getAsLong());
        if (delivered.containsKey(id)) {
            return new Outcome(Claim.DELIVERED, null);
        }
        CompletableFuture<Boolean> first = inFlight.get(id);
        if (first != null) {
            return new Outcome(Claim.IN_FLIGHT, first);
        }
        inFlight.put(id, new CompletableFuture<>());
        return new Outcome(Claim.NEW, null);
    }

    void delivered(long id) {
        CompletableFuture<Boolean> first;
        synchronized (this) {
            first = inFlight.remove(id);
            if (maxIds > 0) {
                delivered.remove(id);
                delivered.put(id, clock.getAsLong());
                expire(clock.getAsLong());
            }
        }
        if (first != null) {
            first.complete(true);
        }
    }

    void failed(long id) {
        CompletableFuture<Boolean> first;
        synchronized (this) {
            first = inFlight.remove(id);
        }
        if (first != null) {
            first.complete(false);
        }
    }

    synchronized int size() {
        return delivered.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<Long, Long>> it = delivered.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> oldest = it.next();
            if (delivered.size() > maxIds || now - oldest.getValue() > windowMs) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
