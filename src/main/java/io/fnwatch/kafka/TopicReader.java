package io.fnwatch.kafka;

import io.fnwatch.config.FnwatchConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic from the beginning with {@code read_committed}, without a consumer group: to its
 * current end, or on and on until told to stop ({@code follow}).
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;

    public TopicReader(FnwatchConfig c, String topic) {
        this.consumer = new KafkaConsumer<>(KafkaClients.consumer(c, null));
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Delivers every record up to the topic's current (committed) end. */
    public void readToEnd(Consumer<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    /** Delivers records as they arrive until {@code stop} says so. */
    public void follow(Consumer<ConsumerRecord<String, byte[]>> sink, BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
