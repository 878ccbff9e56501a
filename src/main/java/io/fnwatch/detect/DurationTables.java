package io.fnwatch.detect;

/**
 * The per-sample log-likelihood-ratio increments of the duration CUSUMs, computed once each time the baseline
 * changes (a window is learned), never per event: an event costs one bin lookup and one table read per test.
 *
 * <p>From the baseline histogram B: {@code f0 = (1−ε)·(B ⊛ [1,4,6,4,1]/16)/|B| + ε/128} (smoothed, with a
 * floor so that no bin is impossible), the null {@code g0 = (f0(·) + f0(·−t) + f0(·+t))/3} (the baseline and
 * the baseline shifted by ±{@code tolerance}: a deployment's shift is part of the null), and per bin b:
 *
 * <ul>
 *   <li>median: {@code m(b) = clip(ln f0(b − ln r₁/w) / g0(b), ±L)} — the function r₁ times slower;
 *   <li>tail: {@code τ(b) = clip(ln(1 − π + π·f0(b − ln r_t/w) / g0(b)), ±L)} — a share π of calls r_t times
 *       slower;
 * </ul>
 *
 * each then shifted by a constant so that {@code Σ g0(b)·e^{inc(b)} = 1}: the increments are then exactly the
 * log-likelihood ratio of g0 against some distribution, so a CUSUM on them has, under g0, an average run
 * length of at least {@code e^h} samples (Lorden). w is the bin width (ln 3.6·10⁶ / 127), L = 6, ε = 0.002.
 */
final class DurationTables {

    static final int BINS = LogHistogram.BINS;
    static final double LOG_WIDTH = Math.log(3_600_000.0) / (BINS - 1);
    private static final double EPS = 0.002;
    private static final double FLOOR = EPS / BINS;
    private static final double CLIP = 6;
    private static final double EXP_CLIP = Math.exp(CLIP);
    private static final double EXP_MINUS_CLIP = Math.exp(-CLIP);
    private static final double[] KERNEL = {1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0};

    final float[] median = new float[BINS];
    final float[] tail = new float[BINS];
    /** Lower edge (ms) of the first bin above the baseline median where each test's increment is positive. */
    double medianSlowFromMs;

    double tailSlowFromMs;
    /** The baseline's share of samples with a positive increment, per test (the expected "slow" share). */
    double medianSlowShare;

    double tailSlowShare;

    void build(LogHistogram baseline, double medianRatio, double tolerance, double tailRatio, double tailShare) {
        double[] f0 = smoothed(baseline);
        double t = Math.log(tolerance) / LOG_WIDTH;
        double sm = Math.log(medianRatio) / LOG_WIDTH;
        double st = Math.log(tailRatio) / LOG_WIDTH;
        // Outside the bins the smoothed baseline and its shifts can reach, every density is the floor: the
        // ratios there are one value, computed once (a function's durations span a few dozen of the 128 bins,
        // and the tables are rebuilt whenever its baseline learns a window).
        int first = 0;
        while (first < BINS && baseline.weight(first) <= 0) {
            first++;
        }
        int last = BINS - 1;
        while (last >= 0 && baseline.weight(last) <= 0) {
            last--;
        }
        int lo = 0;
        int hi = BINS - 1;
        if (first <= last) {
            int reach = KERNEL.length / 2 + 1;
            lo = Math.max(0, first - reach + (int) Math.floor(Math.min(0, Math.min(-t, Math.min(sm, st)))));
            hi = Math.min(BINS - 1, last + reach + (int) Math.ceil(Math.max(t, Math.max(sm, st))));
        }
        Shift up = new Shift(t);
        Shift down = new Shift(-t);
        Shift slow = new Shift(sm);
        Shift slowTail = new Shift(st);
        double[] m = new double[BINS];
        double[] tau = new double[BINS];
        // Σ g0·e^inc, where e^clip(ln r) is r clamped: no exp per bin
        double g0Out = (FLOOR + FLOOR + FLOOR) / 3;
        double rmOut = FLOOR / g0Out;
        double rtOut = 1 - tailShare + tailShare * FLOOR / g0Out;
        double mOut = clip(Math.log(rmOut));
        double tauOut = clip(Math.log(rtOut));
        int outside = BINS - (hi - lo + 1);
        double zm = outside * g0Out * clamp(rmOut);
        double zt = outside * g0Out * clamp(rtOut);
        for (int b = 0; b < BINS; b++) {
            if (b < lo || b > hi) {
                m[b] = mOut;
                tau[b] = tauOut;
                continue;
            }
            double g0 = (f0[b] + up.at(f0, b) + down.at(f0, b)) / 3;
            double rm = slow.at(f0, b) / g0;
            double rt = 1 - tailShare + tailShare * slowTail.at(f0, b) / g0;
            m[b] = clip(Math.log(rm));
            tau[b] = clip(Math.log(rt));
            zm += g0 * clamp(rm);
            zt += g0 * clamp(rt);
        }
        normalise(m, zm, median);
        normalise(tau, zt, tail);
        int medianBin = LogHistogram.bin(baseline.quantile(0.5));
        medianSlowFromMs = slowFrom(median, medianBin);
        tailSlowFromMs = slowFrom(tail, medianBin);
        medianSlowShare = positiveShare(median, f0);
        tailSlowShare = positiveShare(tail, f0);
    }

    /**
     * {@code f(b − by)} by linear interpolation between bins, never below the floor: {@code b − by} has the same
     * fraction for every bin, so its integer part and fraction are computed once, not per bin.
     */
    private record Shift(int offset, double frac) {

        Shift(double by) {
            this((int) Math.floor(-by), -by - Math.floor(-by));
        }

        double at(double[] f, int b) {
            int i = b + offset;
            return Math.max(FLOOR, (1 - frac) * DurationTables.at(f, i) + frac * DurationTables.at(f, i + 1));
        }
    }

    private static double clip(double v) {
        return Math.max(-CLIP, Math.min(CLIP, v));
    }

    /** {@code e^clip(ln r)}. */
    private static double clamp(double r) {
        return Math.max(EXP_MINUS_CLIP, Math.min(EXP_CLIP, r));
    }

    /** out = inc − ln z with z = Σ g0·e^inc, so that Σ g0·e^out = 1. */
    private static void normalise(double[] inc, double z, float[] out) {
        double c = Math.log(z);
        for (int b = 0; b < BINS; b++) {
            out[b] = (float) (inc[b] - c);
        }
    }

    private static double slowFrom(float[] inc, int from) {
        for (int b = Math.max(0, from); b < BINS; b++) {
            if (inc[b] > 0) {
                return LogHistogram.lower(b);
            }
        }
        return LogHistogram.lower(BINS - 1);
    }

    private static double positiveShare(float[] inc, double[] f0) {
        double p = 0;
        for (int b = 0; b < BINS; b++) {
            p += inc[b] > 0 ? f0[b] : 0;
        }
        return p;
    }

    /** The baseline as a density over bins, smoothed and floored (sums to 1). */
    static double[] smoothed(LogHistogram baseline) {
        double total = baseline.total();
        double[] f = new double[BINS];
        double sum = 0;
        for (int b = 0; b < BINS; b++) {
            double v = 0;
            for (int k = 0; k < KERNEL.length; k++) {
                int i = b + k - KERNEL.length / 2;
                if (i >= 0 && i < BINS) {
                    v += KERNEL[k] * baseline.weight(i);
                }
            }
            f[b] = v / total;
            sum += f[b];
        }
        for (int b = 0; b < BINS; b++) {
            f[b] = (1 - EPS) * f[b] / sum + FLOOR;
        }
        return f;
    }

    private static double at(double[] f, int i) {
        return i >= 0 && i < BINS ? f[i] : 0;
    }
}
