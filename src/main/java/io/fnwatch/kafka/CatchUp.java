package io.fnwatch.kafka;

import io.fnwatch.config.FnwatchConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells when the streams application has committed everything written to its input topics so far: its
 * committed offset on every input partition has reached that partition's end. Used by {@code demo} and the
 * integration tests to finish once all input is processed.
 */
public final class CatchUp {

    private CatchUp() {}

    /** Waits until caught up or {@code timeout} passes; returns whether it caught up. */
    public static boolean await(FnwatchConfig c, Duration timeout, Runnable onWait)
            throws InterruptedException, ExecutionException {
        String raw = c.string(FnwatchConfig.TOPIC_RAW);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                c.string(FnwatchConfig.APPLICATION_ID))
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
                admin.describeTopics(java.util.List.of(raw))
                        .allTopicNames()
                        .get()
                        .get(raw)
                        .partitions()
                        .forEach(p -> ask.put(new TopicPartition(raw, p.partition()), OffsetSpec.latest()));
                committed.keySet().forEach(tp -> ask.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = admin.listOffsets(ask).all().get().entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().offset()));
                if (ends.entrySet().stream().allMatch(e -> done(e.getKey(), e.getValue(), committed, raw))) {
                    return true;
                }
                onWait.run();
                Thread.sleep(200);
            }
        }
        return false;
    }

    /**
     * The raw topic has no transaction markers, so its committed offset must equal the end. Internal topics
     * are written transactionally and may end with a commit marker the consumer never reports past.
     */
    private static boolean done(
            TopicPartition tp, long end, Map<TopicPartition, OffsetAndMetadata> committed, String raw) {
        OffsetAndMetadata c = committed.get(tp);
        long at = c == null ? 0 : c.offset();
        return tp.topic().equals(raw) ? at >= end : at >= end - 1;
    }
}
