package io.fnwatch.ingest.cloudwatch;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": before retry {@code n} (from 0) wait a random time in
 * {@code [c/2, c]} with {@code c = min(max, base·2^n)}. The jitter spreads retries of many pullers apart;
 * the fixed half keeps the wait growing, unlike full jitter, which may retry at once.
 */
record Backoff(long baseMs, long maxMs, DoubleSupplier random) {

    long delayMs(int retry) {
        long cap = Math.min(maxMs, baseMs << Math.min(retry, 30));
        return cap / 2 + Math.round(random.getAsDouble() * (cap - cap / 2));
    }
}
