package io.fnwatch.ingest;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Bucket4j token bucket per name (an ingest key, an AWS account and region), created on first use. The
 * names are few and known (keys in the keys file, configured accounts), so the map needs no eviction.
 */
public final class TokenBuckets {

    private final double perSecond;
    private final long burst;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond average rate; fractions allowed (0.5 = one token every two seconds)
     * @param burst tokens available at once
     * @param time the clock the buckets refill by; tests pass a manual one
     */
    public TokenBuckets(double perSecond, long burst, TimeMeter time) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.time = time;
    }

    public Bucket bucket(String name) {
        return buckets.computeIfAbsent(
                name,
                n -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(1, refillPeriod()))
                        .withCustomTimePrecision(time)
                        .build());
    }

    /** One token per 1/perSecond: lets a fractional rate be expressed in whole tokens. */
    private Duration refillPeriod() {
        return Duration.ofNanos(Math.max(1, Math.round(1e9 / perSecond)));
    }
}
