package io.fnwatch.detect;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * Exact upper quantiles of counts: the smallest {@code n} with {@code P(X ≥ n) ≤ α}, for X Poisson with mean μ
 * or, when the mean itself is uncertain, negative binomial with mean μ and variance {@code μ + d·μ²} (a Poisson
 * whose mean is Gamma distributed with relative variance d). One exact tail (regularised gamma or beta function,
 * commons-math3) near the normal approximation, then single steps with the probability-mass recurrence: a few
 * microseconds, computed once per bucket and never per event.
 */
final class CountTail {

    private CountTail() {}

    /** The smallest {@code n ≥ 1} with {@code P(X ≥ n) ≤ alpha}; {@code d ≥ 0} is the relative variance of μ. */
    static int upper(double mu, double d, double alpha) {
        if (!(mu > 0)) {
            return 1;
        }
        boolean poisson = d < 1e-9;
        double r = poisson ? 0 : 1 / d;
        double q = poisson ? 0 : mu / (r + mu);
        double z = Math.sqrt(2) * Erf.erfcInv(2 * alpha);
        double sd = Math.sqrt(mu + d * mu * mu);
        long start = (long) Math.ceil(mu + z * sd);
        int n = (int) Math.max(1, Math.min(start, 1_000_000_000L));
        double tail = poisson ? Gamma.regularizedGammaP(n, mu) : Beta.regularizedBeta(q, n, r);
        double pmf = Math.exp(poisson ? logPoisson(n, mu) : logNegBin(n, r, q));
        for (int i = 0; i < 100_000 && tail > alpha; i++) {
            tail -= pmf;
            pmf *= poisson ? mu / (n + 1) : (n + r) / (n + 1) * q;
            n++;
        }
        for (int i = 0; i < 100_000 && n > 1; i++) {
            double before = pmf / (poisson ? mu / n : (n - 1 + r) / n * q); // P(X = n − 1)
            if (tail + before > alpha) {
                break;
            }
            tail += before;
            pmf = before;
            n--;
        }
        return n;
    }

    private static double logPoisson(int n, double mu) {
        return n * Math.log(mu) - mu - Gamma.logGamma(n + 1.0);
    }

    private static double logNegBin(int n, double r, double q) {
        return Gamma.logGamma(n + r)
                - Gamma.logGamma(r)
                - Gamma.logGamma(n + 1.0)
                + r * Math.log1p(-q)
                + n * Math.log(q);
    }
}
