package io.fnwatch.detect;

import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The lifecycle of one detector's incident for one function: it opens when {@code confirm} of the last
 * {@code window} buckets are anomalous, may be updated once if its severity rises, resolves after
 * {@code resolve} normal buckets in a row, and does not reopen within {@code cooldownMs} of resolving.
 * One OPEN (plus at most one escalation) and one RESOLVED per incident, never one alert per record.
 */
public final class Incident {

    private long openedAt = -1;
    private int history;
    private long runStart = -1;
    private int normalStreak;
    private long resolvedAt = Long.MIN_VALUE;
    private double peak;
    private byte severity = -1;
    private boolean escalated;

    public boolean isOpen() {
        return openedAt >= 0;
    }

    /** Start of the first anomalous bucket of the open incident (the incident's identity). */
    public long openedAt() {
        return openedAt;
    }

    /** When the last incident resolved (Long.MIN_VALUE: never). */
    public long resolvedAt() {
        return resolvedAt;
    }

    /** Normal buckets in a row since the last anomalous one (while open). */
    int normalStreak() {
        return normalStreak;
    }

    /** Largest observed value while open (or in the current anomalous run). */
    public double peak() {
        return peak;
    }

    /** A new bucket begins: the M-of-N window slides by one. */
    public void nextBucket() {
        history <<= 1;
        if (history == 0 && !isOpen()) {
            runStart = -1;
        }
    }

    /**
     * Records that the current bucket, starting at {@code bucketStart}, is anomalous (once per bucket).
     *
     * @return true when the incident opens now
     */
    public boolean anomalous(long bucketStart, long now, double observed, int confirm, int window, long cooldownMs) {
        normalStreak = 0;
        int mask = mask(window);
        if ((history & mask) == 0) {
            runStart = bucketStart;
            if (!isOpen()) {
                peak = 0;
            }
        }
        history |= 1;
        return opensOn(observed, now, mask, confirm, cooldownMs);
    }

    /** True when the bucket {@code k} buckets before the current one was judged anomalous (k < 32). */
    public boolean wasAnomalous(int k) {
        return k >= 0 && k < 32 && (history >>> k & 1) != 0;
    }

    /**
     * Records that the closed bucket {@code k} buckets before the current one, starting at {@code bucketStart},
     * became anomalous after it closed (late events amended its count): its bit in the M-of-N window is set
     * and the normal streak since it is cut back, so the incident opens now if the window confirms it.
     *
     * @return true when the incident opens now
     */
    public boolean anomalousBefore(
            int k, long bucketStart, long now, double observed, int confirm, int window, long cooldownMs) {
        int mask = mask(window);
        if (k < 1 || k >= 31 || ((1 << k) & mask) == 0) {
            return false; // outside the window: it can no longer count towards opening
        }
        normalStreak = Math.min(normalStreak, k - 1);
        if ((history & mask) == 0) {
            runStart = bucketStart;
            if (!isOpen()) {
                peak = 0;
            }
        } else if (runStart < 0 || bucketStart < runStart) {
            runStart = bucketStart;
        }
        history |= 1 << k;
        return opensOn(observed, now, mask, confirm, cooldownMs);
    }

    /** The M-of-N window holds {@code confirm} anomalous buckets and the cooldown is over: the incident opens. */
    private boolean opensOn(double observed, long now, int mask, int confirm, long cooldownMs) {
        peak = Math.max(peak, observed);
        boolean cooledDown = resolvedAt == Long.MIN_VALUE || now - resolvedAt >= cooldownMs;
        if (!isOpen() && Integer.bitCount(history & mask) >= confirm && cooledDown) {
            openedAt = runStart;
            escalated = false;
            severity = -1;
            return true;
        }
        return false;
    }

    private static int mask(int window) {
        return window >= 31 ? -1 : (1 << window) - 1;
    }

    /** A bucket that was not normal although not judged anomalous: the normal streak towards RESOLVED restarts. */
    public void interrupt() {
        normalStreak = 0;
    }

    /** Raises the peak without counting another bucket. */
    public void observe(double observed) {
        peak = Math.max(peak, observed);
    }

    /**
     * Records the severity an alert reported; true once when an open incident's severity rises after OPEN
     * (the caller then sends the single update).
     */
    public boolean severityRisesTo(Severity s) {
        if (severity < 0) {
            severity = (byte) s.ordinal();
            return false;
        }
        if (isOpen() && !escalated && s.ordinal() > severity) {
            escalated = true;
            severity = (byte) s.ordinal();
            return true;
        }
        return false;
    }

    /**
     * Records that a bucket closed normal.
     *
     * @return the start of the incident that resolves now, or -1 when none does
     */
    public long normal(long now, int resolve) {
        if (!isOpen()) {
            return -1;
        }
        normalStreak++;
        if (normalStreak < resolve) {
            return -1;
        }
        long start = openedAt;
        openedAt = -1;
        normalStreak = 0;
        resolvedAt = now;
        return start;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(openedAt);
        out.writeInt(history);
        out.writeLong(runStart);
        out.writeShort(Math.min(normalStreak, Short.MAX_VALUE));
        out.writeLong(resolvedAt);
        out.writeFloat((float) peak);
        out.writeByte(severity);
        out.writeBoolean(escalated);
    }

    void read(DataInput in) throws IOException {
        openedAt = in.readLong();
        history = in.readInt();
        runStart = in.readLong();
        normalStreak = in.readShort();
        resolvedAt = in.readLong();
        peak = in.readFloat();
        severity = in.readByte();
        escalated = in.readBoolean();
    }
}
