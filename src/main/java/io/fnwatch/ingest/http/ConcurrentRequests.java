package io.fnwatch.ingest.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each key has in progress, capped: a request over the cap is answered 429 at once, before
 * its body is read. Bodies are read on the server's bounded thread pool, so without this 14 slow uploads of
 * one key held every thread and every other tenant timed out. Entries go when their count returns to 0.
 */
final class ConcurrentRequests {

    /** Releases a request's place; closing twice is harmless. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** Seconds a refused sender is asked to wait: a place frees as soon as one of its requests ends. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final int perKey;
    private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();

    ConcurrentRequests(int perKey) {
        this.perKey = perKey;
    }

    Permit acquire(String keyId) throws IngestProblem {
        boolean[] admitted = {false};
        inProgress.compute(keyId, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perKey) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            throw new IngestProblem(
                    429,
                    "concurrency",
                    "key " + keyId + " already has " + perKey + " requests in progress",
                    RETRY_AFTER_SECONDS);
        }
        boolean[] released = {false};
        return () -> {
            if (!released[0]) {
                released[0] = true;
                inProgress.computeIfPresent(keyId, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    int inProgress(String keyId) {
        return inProgress.getOrDefault(keyId, 0);
    }
}
