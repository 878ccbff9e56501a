package io.fnwatch.notify;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What may be committed on one partition of the alerts topic: every offset read whose deliveries are not all
 * done (delivered or given up) holds the commit back, so offsets move on only after delivery or a final
 * give-up. Offsets are added by the reading thread in order; sink threads complete them in any order.
 */
public final class PartitionProgress {

    private final int partition;
    private final ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
    private volatile long next = -1;
    private volatile boolean revoked;

    /** Progress on partition {@code partition} of the alerts topic. */
    public PartitionProgress(int partition) {
        this.partition = partition;
    }

    /** Progress on a partition whose number does not matter (tests of one partition). */
    public PartitionProgress() {
        this(0);
    }

    public int partition() {
        return partition;
    }

    /** A ticket for the record at {@code offset}, done after {@code deliveries} completions (0: done now). */
    public Ticket read(long offset, int deliveries) {
        next = offset + 1;
        Ticket t = new Ticket(this, offset, deliveries);
        if (deliveries > 0) {
            pending.add(offset);
        }
        return t;
    }

    void done(long offset) {
        pending.remove(offset);
    }

    /** The offset to commit (the first record not yet done, or the one after the last read); -1: nothing read. */
    public long committable() {
        long n = next;
        if (n < 0) {
            return -1;
        }
        Long first = pending.isEmpty() ? null : pending.first();
        return first == null ? n : Math.min(first, n);
    }

    public int pending() {
        return pending.size();
    }

    /** The partition went to another instance, which delivers its records again from the last commit. */
    public void revoke() {
        revoked = true;
    }

    public boolean revoked() {
        return revoked;
    }
}
