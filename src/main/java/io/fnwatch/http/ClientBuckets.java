package io.fnwatch.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Bucket4j token bucket per client address, in a map that cannot grow without bound: at most {@code max}
 * addresses, the least recently seen forgotten first, and an address whose bucket has refilled to the brim is
 * forgotten as soon as it is the least recently seen (a full bucket is what a new address gets anyway). A flood
 * of distinct addresses thus costs at most {@code max} entries; its price is that an address pushed out starts
 * again with a full bucket, which a client owning more than {@code max} addresses could have had anyway.
 */
public final class ClientBuckets {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private static final class Entry {
        final Bucket bucket;
        long loggedAt = Long.MIN_VALUE;

        Entry(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private final long burst;
    private final Duration refillEvery;
    private final TimeMeter time;
    private final int max;
    private final LinkedHashMap<String, Entry> clients;

    /**
     * @param perMinute tokens a bucket gains per minute (fractions allowed)
     * @param burst tokens a bucket holds at most, and a new one starts with
     * @param max addresses kept at most
     * @param time the clock buckets refill by (tests pass a manual one)
     */
    public ClientBuckets(double perMinute, long burst, int max, TimeMeter time) {
        if (!(perMinute > 0) || burst < 1 || max < 1) {
            throw new IllegalArgumentException("rate, burst and size must be positive");
        }
        this.burst = burst;
        this.refillEvery = Duration.ofNanos(Math.max(1, Math.round(MINUTE_NANOS / perMinute)));
        this.time = time;
        this.max = max;
        this.clients = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > ClientBuckets.this.max;
            }
        };
    }

    /** Takes a token of {@code client}'s bucket: 0 when there was one, else the whole seconds until there is. */
    public synchronized long take(String client) {
        ConsumptionProbe p = entry(client).bucket.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? 0 : seconds(p.getNanosToWaitForRefill());
    }

    /** As {@link #take} without taking: 0 when a token is there now, else the whole seconds until there is. */
    public synchronized long waitFor(String client) {
        Entry e = clients.get(client);
        if (e == null) {
            return 0;
        }
        EstimationProbe p = e.bucket.estimateAbilityToConsume(1);
        return p.canBeConsumed() ? 0 : seconds(p.getNanosToWaitForRefill());
    }

    /** True at most once a minute per client: whether a refusal of it is to be logged. */
    public synchronized boolean logNow(String client) {
        Entry e = entry(client);
        long now = time.currentTimeNanos();
        if (e.loggedAt != Long.MIN_VALUE && now - e.loggedAt < MINUTE_NANOS) {
            return false;
        }
        e.loggedAt = now;
        return true;
    }

    /** Addresses held now. */
    public synchronized int size() {
        return clients.size();
    }

    private Entry entry(String client) {
        forgetFull();
        return clients.computeIfAbsent(
                client,
                c -> new Entry(Bucket.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(1, refillEvery))
                        .withCustomTimePrecision(time)
                        .build()));
    }

    /**
     * Drops up to two least recently seen addresses whose buckets are full again and that were not logged in the
     * last minute (so that an address is logged once a minute at most): amortised expiry.
     */
    private void forgetFull() {
        Iterator<Entry> oldest = clients.values().iterator();
        long now = time.currentTimeNanos();
        for (int i = 0; i < 2 && oldest.hasNext(); i++) {
            Entry e = oldest.next();
            if (e.bucket.getAvailableTokens() < burst
                    || (e.loggedAt != Long.MIN_VALUE && now - e.loggedAt < MINUTE_NANOS)) {
                return;
            }
            oldest.remove();
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
