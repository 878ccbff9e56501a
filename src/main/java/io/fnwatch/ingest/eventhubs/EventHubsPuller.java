package io.fnwatch.ingest.eventhubs;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.pull.PullHealth;
import io.fnwatch.ingest.pull.PullMeters;
import io.fnwatch.ingest.pull.PullSource;
import io.fnwatch.ingest.pull.PulledRecords;
import io.fnwatch.ingest.pull.RawWrites;
import io.fnwatch.ingest.pull.WriteGate;
import io.fnwatch.model.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls Azure diagnostic logs ({@code {"records":[…]}} events) from event hubs through the Event Hubs Kafka
 * endpoint, with the Kafka consumer fnwatch already has, in the deployment's consumer group. One thread polls a
 * batch, writes each event's records to its hub's tenant's raw topic, waits until Kafka acknowledged all of them
 * and only then commits the batch's offsets on Event Hubs. While it writes it does not poll, so a slow Kafka
 * pauses the pull instead of filling memory. When a write fails the batch is read again after a backoff with jitter
 * (a seek to its first offsets); events already written in full are not written again. An event that cannot be
 * read, or that Kafka can never take, becomes a dead letter and is committed with its batch. A restart resumes
 * from the committed offsets: at least once, so a crash between the writes and the commit writes that batch twice.
 */
public final class EventHubsPuller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventHubsPuller.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final EventHubsSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final WriteGate gate;
    private final PulledRecords records;
    private final PullHealth health;
    private final Map<String, PullSource> byHub = new LinkedHashMap<>();
    private final Map<String, PullMeters> meters = new HashMap<>();
    /** Events of the batch being retried that are already written in full: not written again. */
    private final Set<TopicPartitionOffset> written = new HashSet<>();

    private record TopicPartitionOffset(TopicPartition partition, long offset) {}

    private volatile boolean stop;
    private Thread thread;

    EventHubsPuller(
            FnwatchConfig config,
            EventHubsSettings settings,
            Consumer<byte[], byte[]> consumer,
            Producer<String, byte[]> producer,
            WriteGate gate,
            MeterRegistry registry,
            PullHealth health,
            LongSupplier clock) {
        this.settings = settings;
        this.consumer = consumer;
        this.producer = producer;
        this.gate = gate;
        this.records = new PulledRecords(config, clock);
        this.health = health;
        for (PullSource s : settings.sources()) {
            byHub.put(s.name(), s);
            meters.put(s.name(), new PullMeters(registry, s, "lag"));
            health.starting(s);
        }
    }

    public static EventHubsPuller start(FnwatchConfig config, MeterRegistry registry, PullHealth health) {
        EventHubsSettings s = EventHubsSettings.from(config);
        WriteGate gate = new WriteGate(
                s.backoffBaseMs(),
                s.backoffMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble(),
                System::currentTimeMillis,
                Thread::sleep);
        EventHubsPuller p = new EventHubsPuller(
                config,
                s,
                new KafkaConsumer<>(s.consumerConfig()),
                new KafkaProducer<>(RawWrites.producerConfig(config, s.kafkaTimeoutMs())),
                gate,
                registry,
                health,
                System::currentTimeMillis);
        p.startThread();
        return p;
    }

    void startThread() {
        thread = new Thread(this::run, "fnwatch-eventhubs");
        thread.start();
    }

    private void run() {
        try {
            subscribe();
            while (!stop) {
                pollOnce();
            }
        } catch (WakeupException e) {
            // close() woke the consumer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Event Hubs puller stopped", e);
            byHub.values().forEach(s -> health.failing(s, "puller stopped: " + e));
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** Joins the consumer group for every hub; partitions taken away drop what the retry would skip. */
    void subscribe() {
        consumer.subscribe(byHub.keySet(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                written.removeIf(w -> partitions.contains(w.partition()));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("Event Hubs partitions assigned: {}", partitions);
            }
        });
    }

    /** One poll and its batch; returns the events written. */
    int pollOnce() throws InterruptedException {
        ConsumerRecords<byte[], byte[]> batch;
        try {
            batch = consumer.poll(POLL);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // authentication, authorization, a hub that does not exist: reported, and tried again after a pause
            LOG.warn("polling Event Hubs failed: {}", e.toString());
            byHub.values().forEach(s -> {
                health.failing(s, e.toString());
                meters.get(s.name()).error("source");
            });
            gate.failed();
            gate.await();
            return 0;
        }
        updateLag();
        for (TopicPartition tp : consumer.assignment()) {
            PullSource s = byHub.get(tp.topic());
            if (s != null) {
                health.running(s);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        return write(batch);
    }

    private int write(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartitionOffset, CompletableFuture<PulledRecords.Batch>> acks = new LinkedHashMap<>();
        List<String> hubs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            TopicPartitionOffset at = new TopicPartitionOffset(tp, r.offset());
            PullSource s = byHub.get(r.topic());
            if (s == null || written.contains(at)) {
                continue;
            }
            byte[] value = r.value() == null ? new byte[0] : r.value();
            meters.get(s.name()).pulled(value.length);
            PulledRecords.Batch b = convert(s, value);
            hubs.add(s.name());
            acks.put(at, sendOrDeadLetter(s, value, b));
        }
        boolean allWritten = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.kafkaTimeoutMs() + 5_000);
        int events = 0;
        int i = 0;
        for (Map.Entry<TopicPartitionOffset, CompletableFuture<PulledRecords.Batch>> ack : acks.entrySet()) {
            String hub = hubs.get(i++);
            try {
                PulledRecords.Batch b =
                        ack.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                written.add(ack.getKey());
                meters.get(hub).written(b);
                events += b.events();
            } catch (ExecutionException | TimeoutException e) {
                allWritten = false;
                meters.get(hub).error("kafka");
                LOG.warn(
                        "raw write of an event of {} failed: {}",
                        hub,
                        RawWrites.cause(e).toString());
            }
        }
        if (!allWritten) {
            // read the batch again after a pause; what was written in full is skipped then
            first.forEach(consumer::seek);
            gate.failed();
            gate.await();
            return events;
        }
        gate.succeeded();
        try {
            consumer.commitSync(next);
            written.clear();
        } catch (KafkaException e) {
            // a rebalance took partitions away: their new owner reads the batch again (at least once)
            LOG.warn("committing Event Hubs offsets failed: {}", e.toString());
            byHub.values().forEach(s -> meters.get(s.name()).error("commit"));
            written.clear();
        }
        return events;
    }

    private PulledRecords.Batch convert(PullSource s, byte[] value) {
        try {
            return records.convert(s, value);
        } catch (RuntimeException e) {
            return new PulledRecords.Batch(
                    List.of(records.deadLetter(
                            "eventhubs:" + s.name(), DeadLetter.Reason.PROCESSING_ERROR, e.toString(), value)),
                    0,
                    1,
                    0);
        }
    }

    /** The event's records, or its dead letter when Kafka will never take them; completes with what was written. */
    private CompletableFuture<PulledRecords.Batch> sendOrDeadLetter(PullSource s, byte[] value, PulledRecords.Batch b) {
        return RawWrites.send(producer, b.records())
                .handle((ok, error) -> error)
                .thenCompose(error -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(b);
                    }
                    if (!RawWrites.poison(error)) {
                        return CompletableFuture.failedFuture(error);
                    }
                    List<ProducerRecord<String, byte[]>> dead = List.of(records.deadLetter(
                            "eventhubs:" + s.name(),
                            DeadLetter.Reason.TOO_LARGE,
                            RawWrites.cause(error).getMessage(),
                            value));
                    return RawWrites.send(producer, dead)
                            .thenApply(v -> new PulledRecords.Batch(dead, 0, b.entries() - b.skipped(), b.skipped()));
                });
    }

    private void updateLag() {
        Map<String, Long> lag = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(l -> lag.merge(tp.topic(), l, Long::sum));
        }
        lag.forEach((hub, l) -> {
            PullMeters m = meters.get(hub);
            if (m != null) {
                m.backlog(l);
            }
        });
    }

    PullMeters meters(String hub) {
        return meters.get(hub);
    }

    /** Stops after the batch in hand (its offsets are committed if its writes succeed), then closes the clients. */
    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            try {
                thread.join(settings.kafkaTimeoutMs() + 15_000);
                if (thread.isAlive()) {
                    consumer.wakeup();
                    thread.join(15_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(10));
        }
        producer.close(Duration.ofSeconds(10));
    }
}
