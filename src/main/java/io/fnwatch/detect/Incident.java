package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The lifecycle of one detector's incident for one function: it opens after {@code confirm} anomalous
 * buckets in a row, resolves after {@code resolve} normal buckets in a row, and does not reopen within
 * {@code cooldownMs} of resolving. One OPEN and one RESOLVED per incident, never one alert per record.
 */
public final class Incident {

    private long openedAt = -1;
    private long streakStart = -1;
    private int anomalousStreak;
    private int normalStreak;
    private long resolvedAt = Long.MIN_VALUE;
    private double peak;

    public boolean isOpen() {
        return openedAt >= 0;
    }

    /** Start of the first anomalous bucket of the open incident (the incident's identity). */
    public long openedAt() {
        return openedAt;
    }

    /** Largest observed value while open (or in the current anomalous streak). */
    public double peak() {
        return peak;
    }

    /**
     * Records that the bucket starting at {@code bucketStart} is anomalous.
     *
     * @return true when the incident opens now
     */
    public boolean anomalous(long bucketStart, long now, double observed, int confirm, long cooldownMs) {
        normalStreak = 0;
        if (anomalousStreak == 0) {
            streakStart = bucketStart;
            if (!isOpen()) {
                peak = 0;
            }
        }
        anomalousStreak++;
        peak = Math.max(peak, observed);
        boolean cooledDown = resolvedAt == Long.MIN_VALUE || now - resolvedAt >= cooldownMs;
        if (!isOpen() && anomalousStreak >= confirm && cooledDown) {
            openedAt = streakStart;
            return true;
        }
        return false;
    }

    /** Raises the peak of an open incident without counting another bucket. */
    public void observe(double observed) {
        peak = Math.max(peak, observed);
    }

    /**
     * Records that a bucket closed normal.
     *
     * @return the start of the incident that resolves now, or -1 when none does
     */
    public long normal(long now, int resolve) {
        anomalousStreak = 0;
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
        out.writeLong(streakStart);
        out.writeShort(Math.min(anomalousStreak, Short.MAX_VALUE));
        out.writeShort(Math.min(normalStreak, Short.MAX_VALUE));
        out.writeLong(resolvedAt);
        out.writeFloat((float) peak);
    }

    void read(DataInput in) throws IOException {
        openedAt = in.readLong();
        streakStart = in.readLong();
        anomalousStreak = in.readShort();
        normalStreak = in.readShort();
        resolvedAt = in.readLong();
        peak = in.readFloat();
    }
}
