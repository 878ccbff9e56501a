package io.fnwatch.ingest.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Firehose request ids seen lately, so that a retry of a request that was already written to Kafka (its 200
 * was lost) is answered 200 without writing again. What a sender controls is bounded: an id is at most
 * {@link #MAX_ID_CHARS} long (checked before anything is stored), it is kept as the SHA-256 of tenant and id
 * (32 bytes, whatever was sent), and each tenant has its own {@code maxIdsPerTenant} (oldest dropped first),
 * so one tenant's traffic can never evict another's ids. Each id is kept for at most {@code ttlMs}. Ids live
 * per instance and are lost on restart.
 */
final class FirehoseRequestIds {

    /** Firehose sends UUIDs (36 characters); the rest is room for other senders, not for payloads. */
    static final int MAX_ID_CHARS = 256;

    enum Claim {
        NEW,
        DELIVERED,
        IN_FLIGHT
    }

    private record Seen(boolean delivered, long at) {}

    /** SHA-256 of tenant and id, as four longs: fixed size, cheap equals and hashCode. */
    private record Digest(long a, long b, long c, long d) {
        static Digest of(String tenant, String id) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
            // the tenant's length first, so that ("a/b", "c") and ("a", "b/c") cannot collide
            sha.update(ByteBuffer.allocate(4).putInt(tenant.length()).array());
            sha.update(tenant.getBytes(StandardCharsets.UTF_8));
            sha.update(id.getBytes(StandardCharsets.UTF_8));
            ByteBuffer h = ByteBuffer.wrap(sha.digest());
            return new Digest(h.getLong(), h.getLong(), h.getLong(), h.getLong());
        }
    }

    private final int maxIdsPerTenant;
    private final long ttlMs;
    private final LongSupplier clock;
    /** Per tenant, ids in the order they were last touched: the eldest is the first to expire or go. */
    private final Map<String, LinkedHashMap<Digest, Seen>> byTenant = new HashMap<>();

    FirehoseRequestIds(int maxIdsPerTenant, long ttlMs, LongSupplier clock) {
        this.maxIdsPerTenant = maxIdsPerTenant;
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    /** Rejects an id longer than {@link #MAX_ID_CHARS} with 400, before it is stored or echoed. */
    static void checkLength(String id) throws IngestProblem {
        if (id != null && id.length() > MAX_ID_CHARS) {
            throw new IngestProblem(
                    400,
                    "request_id",
                    "request id is " + id.length() + " characters long; at most " + MAX_ID_CHARS
                            + " are accepted (Firehose sends UUIDs)");
        }
    }

    /** The id as it may be echoed in a response: null when it is too long to be an id. */
    static String echoable(String id) {
        return id == null || id.length() > MAX_ID_CHARS ? null : id;
    }

    /**
     * NEW marks the id in flight (the caller then calls {@link #delivered} or {@link #failed}); DELIVERED means
     * an earlier request of this tenant with this id was written; IN_FLIGHT means one is being written now.
     */
    Claim claim(String tenant, String id) {
        if (maxIdsPerTenant == 0 || id == null) {
            return Claim.NEW;
        }
        Digest d = Digest.of(tenant, id);
        synchronized (this) {
            long now = clock.getAsLong();
            LinkedHashMap<Digest, Seen> seen = byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>());
            expire(seen, now);
            Seen s = seen.get(d);
            if (s != null) {
                return s.delivered() ? Claim.DELIVERED : Claim.IN_FLIGHT;
            }
            put(seen, d, new Seen(false, now));
            return Claim.NEW;
        }
    }

    void delivered(String tenant, String id) {
        if (maxIdsPerTenant > 0 && id != null) {
            Digest d = Digest.of(tenant, id);
            synchronized (this) {
                LinkedHashMap<Digest, Seen> seen = byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>());
                seen.remove(d);
                put(seen, d, new Seen(true, clock.getAsLong()));
            }
        }
    }

    void failed(String tenant, String id) {
        if (maxIdsPerTenant > 0 && id != null) {
            Digest d = Digest.of(tenant, id);
            synchronized (this) {
                LinkedHashMap<Digest, Seen> seen = byTenant.get(tenant);
                if (seen != null) {
                    seen.remove(d);
                    if (seen.isEmpty()) {
                        byTenant.remove(tenant);
                    }
                }
            }
        }
    }

    synchronized int size(String tenant) {
        LinkedHashMap<Digest, Seen> seen = byTenant.get(tenant);
        return seen == null ? 0 : seen.size();
    }

    private void put(LinkedHashMap<Digest, Seen> seen, Digest d, Seen s) {
        seen.put(d, s);
        Iterator<Digest> eldest = seen.keySet().iterator();
        while (seen.size() > maxIdsPerTenant) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Drops expired ids from the eldest end, so memory follows the traffic of the last {@code ttlMs}. */
    private void expire(LinkedHashMap<Digest, Seen> seen, long now) {
        Iterator<Seen> it = seen.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().at() < ttlMs) {
                return;
            }
            it.remove();
        }
    }
}
