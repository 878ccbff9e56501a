package io.fnwatch.notify;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits between half and all of {@code min(max, base·2^(n-1))},
 * drawn from {@code random} (seeded in tests), so that instances retrying together spread out while the wait
 * still grows with every failure.
 */
public final class Backoff {

    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration max, RandomGenerator random) {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max");
        }
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code attempt}-th failed attempt (1 for the first). */
    public synchronized Duration next(int attempt) {
        long ceiling = max.toMillis();
        long d = base.toMillis();
        for (int i = 1; i < attempt && d < ceiling; i++) {
            d *= 2;
        }
        d = Math.min(d, ceiling);
        long half = d / 2;
        return Duration.ofMillis(half + (d - half == 0 ? 0 : random.nextLong(d - half + 1)));
    }

    public Duration max() {
        return max;
    }
}
