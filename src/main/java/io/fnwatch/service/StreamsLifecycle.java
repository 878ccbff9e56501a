package io.fnwatch.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per Streams state change, a start that waits for RUNNING (or fails with the reason), and a
 * failed stream thread ends this instance (state ERROR) instead of being replaced in-process: the
 * broker-outage test saw a replaced thread under exactly-once resume with alerts that differed from an
 * uninterrupted run, while a restarted process (the crash tests, dozens of kills) always resumed exactly.
 * Failures that can be retried (a broker away for minutes, a rebalance) never reach this handler. The service
 * and the benches that run a topology ({@code BenchStreams}) share it, so that a bench runs as the service does.
 */
public final class StreamsLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

    private final KafkaStreams streams;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final CountDownLatch failed = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public StreamsLifecycle(KafkaStreams streams) {
        this.streams = streams;
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                settled.countDown();
            }
            // PENDING_ERROR already: shutting down can hang while the broker is away, and the process is done
            if (now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.ERROR) {
                failed.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.set(e);
            LOG.error(
                    "stream thread failed; stopping this instance so that it restarts from its last commit: {}",
                    e.toString());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Waits up to {@code timeout} for the instance to fail; true when it has. */
    public boolean awaitFailure(Duration timeout) throws InterruptedException {
        return failed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exception that stopped a stream thread, or null while none has. */
    public Throwable failure() {
        return failure.get();
    }

    public void startAndAwaitRunning(Duration timeout) throws InterruptedException {
        streams.start();
        if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() == KafkaStreams.State.ERROR) {
            throw new IllegalStateException("streams did not reach RUNNING within " + timeout + " (state "
                    + streams.state() + (failure.get() == null ? "" : ", " + failure.get()) + ")");
        }
    }
}
