package io.fnwatch.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per Streams state change, a failed stream thread replaced instead of ending processing, and
 * a start that waits for RUNNING (or fails with the reason).
 */
final class StreamsLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

    private final KafkaStreams streams;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    StreamsLifecycle(KafkaStreams streams) {
        this.streams = streams;
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                settled.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.set(e);
            LOG.error("stream thread failed; replacing it: {}", e.toString());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    void startAndAwaitRunning(Duration timeout) throws InterruptedException {
        streams.start();
        if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() == KafkaStreams.State.ERROR) {
            throw new IllegalStateException("streams did not reach RUNNING within " + timeout + " (state "
                    + streams.state() + (failure.get() == null ? "" : ", " + failure.get()) + ")");
        }
    }
}
