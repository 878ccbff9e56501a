package io.fnwatch.bench.fleet;

import java.util.Random;

/** Poisson draws for the generators: Knuth's product method, the normal approximation above λ = 30. */
public final class Poisson {

    private Poisson() {}

    public static int sample(double lambda, Random r) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * r.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
