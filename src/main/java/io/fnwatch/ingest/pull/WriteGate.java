package io.fnwatch.ingest.pull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Pauses a puller after raw writes fail, so that a Kafka that cannot take records is not hammered and pulled
 * messages do not pile up: each failure in a row doubles the pause (equal jitter, as the CloudWatch puller's
 * backoff), a success ends it. Threads about to write wait at {@link #await()} until the pause is over.
 */
public final class WriteGate {

    /** Waits; tests record or skip the waits. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong pausedUntil = new AtomicLong();

    public WriteGate(long baseMs, long maxMs, DoubleSupplier random, LongSupplier clock, Sleeper sleeper) {
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        this.random = random;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The wait before retry {@code n} (from 0): a random time in {@code [c/2, c]}, {@code c = min(max, base·2^n)}. */
    public long delayMs(int retry) {
        long cap = Math.min(maxMs, baseMs << Math.min(retry, 30));
        return cap / 2 + Math.round(random.getAsDouble() * (cap - cap / 2));
    }

    public void failed() {
        long delay = delayMs(failures.getAndIncrement());
        pausedUntil.accumulateAndGet(clock.getAsLong() + delay, Math::max);
    }

    public void succeeded() {
        failures.set(0);
    }

    /** Returns once no pause is in force. */
    public void await() throws InterruptedException {
        long wait;
        while ((wait = pausedUntil.get() - clock.getAsLong()) > 0) {
            sleeper.sleep(wait);
        }
    }

    public int failuresInARow() {
        return failures.get();
    }
}
