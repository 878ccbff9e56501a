package io.fnwatch.http.console;

import io.fnwatch.serde.TenantTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * Records this instance read per tenant and minute, the last {@link #MINUTES} minutes: the pipeline's own counter
 * {@code fnwatch.records.in} (tagged by topic) read once a minute, and the difference since the previous reading
 * kept in a small ring. Each tenant has a raw topic of its own ({@link TenantTopics}), so the raw topics' counts
 * split by tenant without guessing; the repartition and account topics are left out (they are not records in).
 * Nothing is added to the stream threads: the counters are only read. The counts are this instance's: each
 * instance reads only the raw partitions assigned to it. Bounded: at most {@link #MAX_TENANTS} tenants, each a
 * ring of 60 minutes.
 */
final class RecordsPerMinute {

    static final int MINUTES = 60;
    static final int MAX_TENANTS = 10_000;
    /** The counter's name, as {@code PipelineMeters} registers it. */
    static final String COUNTER = "fnwatch.records.in";

    private static final long MINUTE_MS = 60_000;

    private final MeterRegistry registry;
    private final TenantTopics tenants;
    /** Per tenant: the counters' total at the last reading. */
    private final Map<String, Double> totals = new HashMap<>();
    /** Per tenant: records per minute in a ring indexed by epoch minute modulo {@link #MINUTES}. */
    private final Map<String, Ring> rings = new HashMap<>();
    /** The epoch minute each slot's readings belong to (-1: never read): minutes not read are unknown, not 0. */
    private final long[] read = new long[MINUTES];

    private static final class Ring {
        final long[] minute = new long[MINUTES];
        final long[] count = new long[MINUTES];

        Ring() {
            java.util.Arrays.fill(minute, -1);
        }
    }

    RecordsPerMinute(MeterRegistry registry, TenantTopics tenants) {
        this.registry = registry;
        this.tenants = tenants;
        java.util.Arrays.fill(read, -1);
    }

    /**
     * Reads the counters at {@code nowMs} (normally just after a minute's end) and books what was read since the
     * previous reading to the minute that just closed. A late reading books a longer stretch to that minute; the
     * first reading books everything counted since the counters began.
     */
    synchronized void sample(long nowMs) {
        long minute = Math.floorDiv(nowMs, MINUTE_MS) - 1;
        int slot = (int) Math.floorMod(minute, MINUTES);
        read[slot] = minute;
        Map<String, Double> now = new HashMap<>();
        for (Counter c : registry.find(COUNTER).counters()) {
            String tenant = tenants.tenantOf(c.getId().getTag("topic"));
            if (tenant != null) {
                now.merge(tenant, c.count(), Double::sum);
            }
        }
        now.forEach((tenant, total) -> {
            Ring r = rings.get(tenant);
            if (r == null) {
                if (rings.size() >= MAX_TENANTS) {
                    return;
                }
                r = new Ring();
                rings.put(tenant, r);
            }
            long delta = Math.max(0, Math.round(total - totals.getOrDefault(tenant, 0.0)));
            totals.put(tenant, total);
            if (r.minute[slot] != minute) {
                r.minute[slot] = minute;
                r.count[slot] = 0;
            }
            r.count[slot] += delta;
        });
    }

    /**
     * The tenant's records per minute for the {@link #MINUTES} minutes before the one {@code nowMs} falls in,
     * oldest first; -1 for a minute this instance did not read (it was not running yet).
     */
    synchronized long[] last(String tenant, long nowMs) {
        long first = Math.floorDiv(nowMs, MINUTE_MS) - MINUTES;
        Ring r = rings.get(tenant);
        long[] out = new long[MINUTES];
        for (int i = 0; i < MINUTES; i++) {
            long minute = first + i;
            int slot = (int) Math.floorMod(minute, MINUTES);
            if (read[slot] != minute) {
                out[i] = -1;
            } else {
                out[i] = r != null && r.minute[slot] == minute ? r.count[slot] : 0;
            }
        }
        return out;
    }

    synchronized int tenants() {
        return rings.size();
    }
}
