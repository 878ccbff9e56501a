package io.fnwatch.bench;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.service.StreamsLifecycle;
import io.fnwatch.service.StreamsSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * A Kafka Streams application of a bench: a fresh application id and state folder, the service's own
 * {@link StreamsSettings} (optionally another processing guarantee) and its {@link StreamsLifecycle}: started
 * and awaited until RUNNING, and a stream thread that dies stops the client and fails the wait (and the next
 * {@link #checkAlive()}) instead of leaving the bench waiting.
 * {@link #stop()} closes the client (flushing its stores) and keeps the state folder; {@link #close()} also
 * deletes it.
 */
final class BenchStreams implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(10);
    private static int run;

    private final FnwatchConfig config;
    private final Path stateDir;
    private final KafkaStreams streams;
    private final StreamsLifecycle lifecycle;
    private boolean stopped;

    private BenchStreams(FnwatchConfig config, Path stateDir, KafkaStreams streams) {
        this.config = config;
        this.stateDir = stateDir;
        this.streams = streams;
        this.lifecycle = new StreamsLifecycle(streams);
    }

    /** Starts {@code topology} as application {@code prefix + n}; {@code guarantee} null keeps the service's. */
    static BenchStreams start(FnwatchConfig c, Topology topology, String prefix, String guarantee)
            throws IOException, InterruptedException {
        Path state = TempFolders.create(prefix);
        FnwatchConfig app =
                c.with(FnwatchConfig.APPLICATION_ID, prefix + (++run)).with(FnwatchConfig.STATE_DIR, state.toString());
        Properties p = StreamsSettings.of(app, null);
        if (guarantee != null) {
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        }
        BenchStreams b = new BenchStreams(app, state, new KafkaStreams(topology, p));
        try {
            b.lifecycle.startAndAwaitRunning(STARTUP);
        } catch (RuntimeException | InterruptedException e) {
            b.close();
            throw e;
        }
        return b;
    }

    FnwatchConfig config() {
        return config;
    }

    KafkaStreams streams() {
        return streams;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Throws when a stream thread has failed (an OutOfMemoryError included) or the client stopped. */
    void checkAlive() {
        Throwable t = lifecycle.failure();
        if (t != null) {
            throw new IllegalStateException(config.string(FnwatchConfig.APPLICATION_ID) + " failed: " + t, t);
        }
        KafkaStreams.State s = streams.state();
        if (s == KafkaStreams.State.ERROR
                || s == KafkaStreams.State.NOT_RUNNING
                || s == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException(config.string(FnwatchConfig.APPLICATION_ID) + " stopped: " + s);
        }
    }

    /** Seconds from now until its committed offsets reach the ends of its input topics. */
    double secondsToCatchUp(Duration timeout) throws InterruptedException, ExecutionException {
        long start = System.nanoTime();
        if (!CatchUp.await(config, timeout, this::checkAlive)) {
            throw new IllegalStateException(
                    config.string(FnwatchConfig.APPLICATION_ID) + " did not catch up in " + timeout);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** CPU nanoseconds used so far by this application's stream threads. */
    long streamThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String prefix = config.string(FnwatchConfig.APPLICATION_ID);
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null
                    && t.getThreadName().startsWith(prefix)
                    && t.getThreadName().contains("StreamThread")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** Closes the client: its stores are flushed to the state folder, which is kept. */
    void stop() {
        if (!stopped) {
            stopped = true;
            streams.close(Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        stop();
        TempFolders.delete(stateDir);
    }

    /**
     * One timed round, as {@code bench throughput} measures: runs {@code topology} from RUNNING (startup and
     * rebalancing are not throughput) until its committed offsets reach the end of the raw topic; seconds.
     */
    static double timedRound(FnwatchConfig c, Topology topology, String prefix, String guarantee) {
        return measuredRound(c, topology, prefix, guarantee).seconds();
    }

    /** A round's seconds, and the CPU time its stream threads used meanwhile (the rest is the broker's). */
    record Round(double seconds, long streamThreadCpuNanos) {}

    static Round measuredRound(FnwatchConfig c, Topology topology, String prefix, String guarantee) {
        try (BenchStreams s = start(c, topology, prefix, guarantee)) {
            long cpu = s.streamThreadCpu();
            double seconds = s.secondsToCatchUp(Duration.ofMinutes(30));
            return new Round(seconds, s.streamThreadCpu() - cpu);
        } catch (IOException | ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
