package io.fnwatch.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State restoration as meters and log lines: after a crash (exactly-once wipes unclean local state) or a
 * task moving to this instance, Streams replays the changelog before processing resumes. Operators need to
 * see that this is progress, not a hang: {@code fnwatch.state.restore.remaining} falls to 0,
 * {@code fnwatch.state.restore.records} counts what was replayed, and one INFO line marks each start and end.
 */
final class RestoreProgress implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);

    private final Map<TopicPartition, long[]> endAndRemaining = new ConcurrentHashMap<>();
    private final Counter restored;

    RestoreProgress(MeterRegistry registry) {
        restored = Counter.builder("fnwatch.state.restore.records")
                .description("Changelog records replayed into local state stores")
                .register(registry);
        Gauge.builder(
                        "fnwatch.state.restore.remaining",
                        endAndRemaining,
                        m -> m.values().stream().mapToLong(v -> v[1]).sum())
                .description("Changelog records still to replay before processing resumes")
                .register(registry);
    }

    @Override
    public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
        endAndRemaining.put(tp, new long[] {end, Math.max(0, end - start)});
        LOG.info("restoring state store {} from {} offsets {}..{}", store, tp, start, end);
    }

    @Override
    public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
        restored.increment(n);
        endAndRemaining.computeIfPresent(tp, (k, v) -> new long[] {v[0], Math.max(0, v[0] - batchEnd - 1)});
    }

    @Override
    public void onRestoreEnd(TopicPartition tp, String store, long total) {
        endAndRemaining.remove(tp);
        LOG.info("restored state store {} from {}: {} records", store, tp, total);
    }

    @Override
    public void onRestoreSuspended(TopicPartition tp, String store, long total) {
        endAndRemaining.remove(tp);
        LOG.info("suspended restoring state store {} from {} after {} records (task moved)", store, tp, total);
    }
}
