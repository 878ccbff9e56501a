package io.fnwatch.notify;

import java.util.concurrent.atomic.AtomicInteger;

/** One record of the alerts topic waiting for its deliveries: done when each has been delivered or given up. */
public final class Ticket {

    private final PartitionProgress partition;
    private final long offset;
    private final AtomicInteger remaining;

    Ticket(PartitionProgress partition, long offset, int deliveries) {
        this.partition = partition;
        this.offset = offset;
        this.remaining = new AtomicInteger(deliveries);
    }

    /** One of the record's deliveries is over (delivered or given up). */
    void complete() {
        int left = remaining.decrementAndGet();
        if (left == 0) {
            partition.done(offset);
        } else if (left < 0) {
            throw new IllegalStateException("ticket of offset " + offset + " completed too often");
        }
    }

    boolean revoked() {
        return partition.revoked();
    }

    public long offset() {
        return offset;
    }

    public boolean done() {
        return remaining.get() <= 0;
    }
}
