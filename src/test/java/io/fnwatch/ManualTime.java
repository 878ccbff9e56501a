package io.fnwatch;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;

/** A Bucket4j clock for tests that moves only when told to: rate limits judged at explicit times. */
public final class ManualTime implements TimeMeter {

    private final AtomicLong nanos;

    public ManualTime(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    public void advance(long nanos) {
        this.nanos.addAndGet(nanos);
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
