package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The duration CUSUMs' increments against lognormal functions, their baselines learned from 500 samples: the
 * average run length (ARL) to a false alarm, computed exactly on a Markov chain (Brook and Evans), is at least
 * e^h under the function's own durations, and a 15 % deployment shift either way drifts down.
 */
class DurationTablesTest {

    /** h at 2 calls a minute with the default arlDays (10,000): ln(10,000 · 2,880). */
    private static final double H = Math.log(10_000 * 2880.0);

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.35, 0.5})
    void shouldRunAtLeastEToTheHSamplesBetweenFalseAlarmsAndDriftDownUnderADeploymentShift(double sigma) {
        Random r = new Random(7);
        LogHistogram baseline = new LogHistogram();
        for (int i = 0; i < 500; i++) {
            baseline.add(LogHistogram.bin(120 * Math.exp(sigma * r.nextGaussian())), 1);
        }
        DurationTables t = new DurationTables();
        t.build(baseline, 3, 1.15, 10, 0.1);

        for (float[] inc : new float[][] {t.median, t.tail}) {
            double arl = arl(inc, lognormal(120, sigma), H);
            System.out.printf(
                    "sigma %.2f %s: ARL %.3g (e^h %.3g), after x1.15 %.3g, drift %.2f / %.2f%n",
                    sigma,
                    inc == t.median ? "median" : "tail",
                    arl,
                    Math.exp(H),
                    arl(inc, lognormal(120 * 1.15, sigma), H),
                    drift(inc, lognormal(120, sigma)),
                    drift(inc, lognormal(120 * 1.15, sigma)));
            assertThat(arl).as("ARL under the baseline, sigma %.2f", sigma).isGreaterThan(Math.exp(H));
            for (double shift : new double[] {1.15, 1 / 1.15}) {
                assertThat(drift(inc, lognormal(120 * shift, sigma)))
                        .as("drift after a x%.2f shift", shift)
                        .isNegative();
            }
            // at least a hundredth of the bound while a deployment's shift is not yet learned (a few hours)
            assertThat(arl(inc, lognormal(120 * 1.15, sigma), H)).isGreaterThan(Math.exp(H) / 100);
        }
        assertThat(drift(t.median, lognormal(360, sigma))).as("x3 drifts up").isGreaterThan(1);
    }

    /**
     * The tables equal their definition, {@code inc − ln Σ g0·e^inc} with {@code inc = clip(ln(f1/g0))} computed
     * with an exp per bin, over baselines of one, two and many modes, narrow and wide, learned or blended.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldEqualTheDefinitionComputedWithExps(int seed) {
        Random r = new Random(seed);
        LogHistogram baseline = new LogHistogram();
        int modes = 1 + r.nextInt(3);
        for (int i = 0; i < 50 + r.nextInt(2000); i++) {
            double median = 5 * Math.pow(10, (r.nextInt(modes) + r.nextDouble()) * 1.5);
            baseline.add(LogHistogram.bin(median * Math.exp((0.05 + r.nextDouble()) * r.nextGaussian())), 1);
        }
        double medianRatio = 1.5 + 3 * r.nextDouble();
        double tolerance = 1 + 0.3 * r.nextDouble();
        double tailRatio = 3 + 20 * r.nextDouble();
        double tailShare = 0.01 + 0.3 * r.nextDouble();
        assertEqualsDefinition(baseline, medianRatio, tolerance, tailRatio, tailShare);
    }

    /** Baselines at the ends of the bins' range: the shifts reach past the first and the last bin. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, LogHistogram.BINS - 3, LogHistogram.BINS - 1})
    void shouldEqualTheDefinitionAtTheEndsOfTheRange(int bin) {
        LogHistogram baseline = new LogHistogram();
        baseline.add(bin, 40);
        baseline.add(Math.min(LogHistogram.BINS - 1, bin + 1), 7);
        assertEqualsDefinition(baseline, 3, 1.15, 10, 0.1);
        assertEqualsDefinition(baseline, 1.2, 2, 1000, 0.3);
    }

    private static void assertEqualsDefinition(
            LogHistogram baseline, double medianRatio, double tolerance, double tailRatio, double tailShare) {
        DurationTables t = new DurationTables();
        t.build(baseline, medianRatio, tolerance, tailRatio, tailShare);
        double[] f0 = DurationTables.smoothed(baseline);
        double lw = DurationTables.LOG_WIDTH;
        double[] up = shifted(f0, Math.log(tolerance) / lw);
        double[] down = shifted(f0, -Math.log(tolerance) / lw);
        double[] slow = shifted(f0, Math.log(medianRatio) / lw);
        double[] slowTail = shifted(f0, Math.log(tailRatio) / lw);
        double[] g0 = new double[LogHistogram.BINS];
        double[] m = new double[LogHistogram.BINS];
        double[] tau = new double[LogHistogram.BINS];
        double zm = 0;
        double zt = 0;
        for (int b = 0; b < g0.length; b++) {
            g0[b] = (f0[b] + up[b] + down[b]) / 3;
            m[b] = Math.max(-6, Math.min(6, Math.log(slow[b] / g0[b])));
            tau[b] = Math.max(-6, Math.min(6, Math.log(1 - tailShare + tailShare * slowTail[b] / g0[b])));
            zm += g0[b] * Math.exp(m[b]);
            zt += g0[b] * Math.exp(tau[b]);
        }
        for (int b = 0; b < g0.length; b++) {
            assertThat((double) t.median[b]).as("median bin %d", b).isCloseTo(m[b] - Math.log(zm), within(1e-5));
            assertThat((double) t.tail[b]).as("tail bin %d", b).isCloseTo(tau[b] - Math.log(zt), within(1e-5));
        }
    }

    /** {@code f(b − by)}, linearly interpolated between bins, never below the floor. */
    static double[] shifted(double[] f, double by) {
        double[] out = new double[LogHistogram.BINS];
        for (int b = 0; b < LogHistogram.BINS; b++) {
            double x = b - by;
            int lo = (int) Math.floor(x);
            double frac = x - lo;
            double v = (1 - frac) * at(f, lo) + frac * at(f, lo + 1);
            out[b] = Math.max(0.002 / LogHistogram.BINS, v); // the floor
        }
        return out;
    }

    private static double at(double[] f, int i) {
        return i >= 0 && i < f.length ? f[i] : 0;
    }

    /** Bin probabilities of a lognormal with this median. */
    static double[] lognormal(double medianMs, double sigma) {
        double[] p = new double[LogHistogram.BINS];
        org.apache.commons.math3.distribution.NormalDistribution n =
                new org.apache.commons.math3.distribution.NormalDistribution(Math.log(medianMs), sigma);
        for (int b = 0; b < p.length; b++) {
            double lo = b == 0 ? Double.NEGATIVE_INFINITY : Math.log(LogHistogram.lower(b));
            double hi = b == p.length - 1 ? Double.POSITIVE_INFINITY : Math.log(LogHistogram.lower(b + 1));
            p[b] = n.probability(lo, hi);
        }
        return p;
    }

    static double drift(float[] inc, double[] p) {
        double d = 0;
        for (int b = 0; b < p.length; b++) {
            d += p[b] * inc[b];
        }
        return d;
    }

    /** ARL from 0 of {@code S ← max(0, S + inc[b])}, b ~ p, stopping at S ≥ h: a 400-state Markov chain. */
    static double arl(float[] inc, double[] p, double h) {
        int n = 400;
        double step = h / n;
        RealMatrix a = new Array2DRowRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            a.addToEntry(i, i, 1);
            for (int b = 0; b < p.length; b++) {
                double next = Math.max(0, i * step + inc[b]);
                int j = (int) Math.round(next / step);
                if (next < h && j < n && p[b] > 0) {
                    a.addToEntry(i, j, -p[b]);
                }
            }
        }
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        try {
            double arl = new LUDecomposition(a, 1e-300)
                    .getSolver()
                    .solve(new ArrayRealVector(ones))
                    .getEntry(0);
            return arl > 0 ? arl : Double.POSITIVE_INFINITY;
        } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
            return Double.POSITIVE_INFINITY; // no alarm within double precision
        }
    }
}
