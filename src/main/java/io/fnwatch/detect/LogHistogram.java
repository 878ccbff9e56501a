package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Durations in 128 logarithmic bins from 1 ms to 1 h (each bin 12.7 % wider than the last), as weights.
 * Used both for a window's counts and for a function's exponentially decayed baseline distribution.
 * {@link #quantile} interpolates geometrically inside a bin (for evidence); {@link #quantileFloor} is the
 * lower edge of the bin holding the quantile, a conservative value for decisions, so a 1.5× rule cannot
 * fire on interpolation error. Serialised sparsely: an idle window costs one byte.
 */
final class LogHistogram {

    static final int BINS = 128;
    private static final double LOG_WIDTH = Math.log(3_600_000.0) / (BINS - 1);

    private final float[] w = new float[BINS];
    private float total;
    /*
     * Memo of the last two quantiles and the last shareAbove, until the next change: a baseline changes once
     * a window, but its median, p95 and shares were asked for on every event (7 % of the stream thread).
     */
    private final double[] memoQ = {Double.NaN, Double.NaN};
    private final double[] memoQuantile = new double[2];
    private int memoNext;
    private int memoBin = -1;
    private double memoShare;

    private void changed() {
        memoQ[0] = Double.NaN;
        memoQ[1] = Double.NaN;
        memoBin = -1;
    }

    static int bin(double ms) {
        if (ms <= 1) {
            return 0;
        }
        return (int) Math.min(BINS - 1, Math.floor(Math.log(ms) / LOG_WIDTH));
    }

    static double lower(int bin) {
        return Math.exp(bin * LOG_WIDTH);
    }

    void add(int bin, float weight) {
        w[bin] += weight;
        total += weight;
        changed();
    }

    float total() {
        return total;
    }

    float weight(int bin) {
        return w[bin];
    }

    void clear() {
        java.util.Arrays.fill(w, 0);
        total = 0;
        changed();
    }

    /** {@code this ← (1 − a)·this + a·(other / other.total)}: a decayed average of window distributions. */
    void blend(LogHistogram other, double a) {
        if (other.total <= 0) {
            return;
        }
        boolean first = total <= 0;
        total = 0;
        changed();
        for (int i = 0; i < BINS; i++) {
            double share = other.w[i] / other.total;
            w[i] = (float) (first ? share : (1 - a) * w[i] + a * share);
            total += w[i];
        }
    }

    /** The q-quantile in milliseconds (geometric interpolation inside the bin); NaN when empty. */
    double quantile(double q) {
        if (total <= 0) {
            return Double.NaN;
        }
        for (int m = 0; m < 2; m++) {
            if (memoQ[m] == q) {
                return memoQuantile[m];
            }
        }
        double v = computeQuantile(q);
        memoQ[memoNext] = q;
        memoQuantile[memoNext] = v;
        memoNext ^= 1;
        return v;
    }

    private double computeQuantile(double q) {
        double target = q * total;
        double cum = 0;
        for (int i = 0; i < BINS; i++) {
            if (w[i] > 0 && cum + w[i] >= target) {
                double within = (target - cum) / w[i];
                return lower(i) * Math.exp(within * LOG_WIDTH);
            }
            cum += w[i];
        }
        return lower(BINS - 1);
    }

    /** The lower edge of the bin that holds the q-quantile; NaN when empty. */
    double quantileFloor(double q) {
        double v = quantile(q);
        return Double.isNaN(v) ? v : lower(bin(v));
    }

    /** Share of the weight in bins strictly above {@code bin}. */
    double shareAbove(int bin) {
        if (total <= 0) {
            return 0;
        }
        if (bin == memoBin) {
            return memoShare;
        }
        double above = 0;
        for (int i = bin + 1; i < BINS; i++) {
            above += w[i];
        }
        memoBin = bin;
        memoShare = above / total;
        return memoShare;
    }

    /** Weight in bins strictly above {@code bin}. */
    double weightAbove(int bin) {
        return shareAbove(bin) * total;
    }

    void write(DataOutput o) throws IOException {
        int used = 0;
        for (float v : w) {
            used += v > 0 ? 1 : 0;
        }
        o.writeByte(used);
        for (int i = 0; i < BINS; i++) {
            if (w[i] > 0) {
                o.writeByte(i);
                o.writeFloat(w[i]);
            }
        }
    }

    void read(DataInput in) throws IOException {
        clear(); // also forgets the memo
        int used = in.readUnsignedByte();
        for (int k = 0; k < used; k++) {
            int i = in.readUnsignedByte();
            w[i] = in.readFloat();
            total += w[i];
        }
    }
}
