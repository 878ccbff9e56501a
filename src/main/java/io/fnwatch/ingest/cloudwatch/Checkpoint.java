package io.fnwatch.ingest.cloudwatch;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where a log group's pull stands, stored in the compacted checkpoints topic in the same transaction as the
 * records it covers. A query reads {@code [start, end)}; while {@code nextToken} is set it is half-way and
 * resumes at that page; once {@code done}, the next query starts at {@code end − overlap}. {@code ids} are the
 * written events the next page or query could return again ({@link EventIds}, encoded).
 */
record Checkpoint(long start, long end, String nextToken, boolean done, String ids) {

    static Checkpoint page(long start, long end, String nextToken, EventIds ids) {
        return new Checkpoint(start, end, nextToken, false, ids.encode());
    }

    static Checkpoint done(long start, long end, EventIds ids) {
        return new Checkpoint(start, end, null, true, ids.encode());
    }

    @JsonIgnore
    EventIds eventIds() {
        return EventIds.decode(ids);
    }
}
