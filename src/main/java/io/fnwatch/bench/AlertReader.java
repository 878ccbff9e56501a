package io.fnwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the alerts topic from its start with {@code read_committed}, as an alert consumer would, and hands
 * each OPEN alert to the matcher with the time it was read. A short fetch wait keeps the reader's own
 * polling out of the measured delay.
 */
final class AlertReader implements Runnable {
    private final FnwatchConfig config;
    private final AlertLatencies latencies;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    AlertReader(FnwatchConfig config, AlertLatencies latencies) {
        this.config = config;
        this.latencies = latencies;
    }

    @Override
    public void run() {
        Map<String, Object> props = KafkaClients.consumer(config, null);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            String topic = config.string(FnwatchConfig.TOPIC_ALERTS);
            var parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            parts.forEach(consumer::position);
            ready.countDown();
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> rec : records) {
                    JsonNode a = Json.MAPPER.readTree(rec.value());
                    if ("OPEN".equals(a.path("state").asText())) {
                        latencies.received(
                                a.path("function").asText(),
                                AlertType.valueOf(a.path("type").asText()),
                                now);
                    }
                }
            }
        } catch (Exception e) {
            failure.set(e);
        } finally {
            ready.countDown();
        }
    }

    void awaitReady() throws InterruptedException {
        ready.await();
        check();
    }

    void stop() {
        stop.set(true);
    }

    void check() {
        if (failure.get() != null) {
            throw new IllegalStateException("the alert reader failed: " + failure.get(), failure.get());
        }
    }
}
