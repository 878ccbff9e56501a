package io.fnwatch.notify;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.NotifySettings;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery as a Kafka consumer: reads {@code topic.alerts} in consumer group {@code notify.group.id} with
 * {@code read_committed} (an aborted transaction's alerts are never sent), hands each alert to the
 * {@link DeliveryEngine}, and commits a partition's offset only up to the first record whose deliveries are
 * not all delivered or given up. After a crash, the records after the last commit are delivered again, with the
 * same idempotency keys. Several instances share the partitions; a partition that moves away drops its queued
 * deliveries, its new owner sends them. Reading pauses while {@code notify.max.pending} alerts are in flight.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

    /** How long a new owner of partitions may spend reading their delivered alerts back (see {@link #restore}). */
    static final Duration RESTORE_LIMIT = Duration.ofMinutes(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Object> historyConsumer;
    private final KafkaProducer<String, byte[]> producer;
    private final DeliveryEngine engine;
    private final NotifyMeters meters;
    private final String alertsTopic;
    private final String deadLetterTopic;
    private final int maxPending;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private boolean paused;

    private Notifier(FnwatchConfig c, Routes routes, MeterRegistry registry, Clock clock, RandomGenerator random) {
        this.alertsTopic = c.string(FnwatchConfig.TOPIC_ALERTS);
        this.deadLetterTopic = c.string(NotifySettings.TOPIC_DEAD_LETTERS);
        this.maxPending = c.integer(NotifySettings.MAX_PENDING);
        this.meters = new NotifyMeters(registry);
        this.producer = new KafkaProducer<>(KafkaClients.producer(c));
        this.consumer = new KafkaConsumer<>(KafkaClients.consumer(c, c.string(NotifySettings.GROUP_ID)));
        this.historyConsumer = KafkaClients.consumer(c, null);
        long base = c.longValue(NotifySettings.BACKOFF_BASE_MS);
        this.engine = new DeliveryEngine(
                routes,
                new HttpTransport(
                        Duration.ofMillis(c.longValue(NotifySettings.CONNECT_TIMEOUT_MS)),
                        Duration.ofMillis(c.longValue(NotifySettings.REQUEST_TIMEOUT_MS))),
                clock,
                new Backoff(
                        Duration.ofMillis(base),
                        Duration.ofMillis(Math.max(base, c.longValue(NotifySettings.BACKOFF_MAX_MS))),
                        random),
                Duration.ofMillis(c.longValue(NotifySettings.GIVE_UP_AFTER_MS)),
                this::writeDeadLetter,
                meters);
        this.thread = new Thread(this::loop, "fnwatch-notify-reader");
    }

    /** Creates the dead-letter topic if missing, then starts reading and delivering. */
    public static Notifier start(FnwatchConfig c, Routes routes, MeterRegistry registry) {
        ensureTopic(c);
        Notifier n = new Notifier(c, routes, registry, Clock.systemUTC(), new SplittableRandom());
        LOG.info(
                "delivering alerts of {} (group {}):\n{}",
                n.alertsTopic,
                c.string(NotifySettings.GROUP_ID),
                routes.describe());
        n.engine.start();
        n.thread.start();
        return n;
    }

    static void ensureTopic(FnwatchConfig c) {
        String name = c.string(NotifySettings.TOPIC_DEAD_LETTERS);
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(name, c.integer(FnwatchConfig.PARTITIONS), (short)
                                    c.integer(FnwatchConfig.REPLICATION))
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 86_400_000L)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            TopicAdmin.awaitServed(admin, List.of(name));
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka to create topic " + name, e);
        }
    }

    private void writeDeadLetter(NotifyDeadLetter letter) throws Exception {
        String key =
                letter.alerts().isEmpty() ? null : letter.alerts().get(0).key().asString();
        producer.send(new ProducerRecord<>(deadLetterTopic, key, Json.bytes(letter)))
                .get(30, TimeUnit.SECONDS);
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(alertsTopic), new Rebalance());
            Instant lastCommit = Instant.now();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    read(r);
                }
                engine.tick();
                flowControl();
                if (Duration.between(lastCommit, Instant.now()).compareTo(COMMIT_EVERY) >= 0) {
                    commit(progress.keySet());
                    lastCommit = Instant.now();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (Throwable e) {
            failure.set(e);
            LOG.error("alert delivery stopped: {}", e.toString(), e);
        } finally {
            engine.close();
            try {
                commit(progress.keySet());
            } catch (RuntimeException e) {
                LOG.warn("last commit of delivered alerts failed ({}); they will be delivered again", e.toString());
            }
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) throws Exception {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress(k.partition()));
        Alert alert = alertOf(r);
        if (alert == null) {
            meters.unreadable();
            writeDeadLetter(new NotifyDeadLetter(
                    "-",
                    "-",
                    null,
                    "UNREADABLE",
                    null,
                    0,
                    null,
                    Instant.now(),
                    "offset " + r.offset() + " of " + tp + " is not alert JSON with id, type, state, severity and"
                            + " function",
                    List.of()));
            p.read(r.offset(), 0);
            return;
        }
        engine.submit(alert, p, r.offset());
    }

    /** The alert a record holds, or null when it is not alert JSON with id, type, state, severity and function. */
    private static Alert alertOf(ConsumerRecord<String, byte[]> r) {
        Alert alert;
        try {
            alert = r.value() == null ? null : Json.read(r.value(), Alert.class);
        } catch (RuntimeException e) {
            return null;
        }
        return alert == null
                        || alert.id() == null
                        || alert.type() == null
                        || alert.state() == null
                        || alert.severity() == null
                        || alert.function() == null
                ? null
                : alert;
    }

    /**
     * Reads each newly owned partition's alerts back from its beginning up to the group's committed offset —
     * alerts delivered (or given up) before, by this instance before a restart or by the previous owner — and
     * hands them to the engine, which remembers what is still open (Alertmanager's re-sends, UPDATE versus
     * OPEN). Alerts are few, so this is quick; it stops after {@link #RESTORE_LIMIT} with a warning.
     */
    private void restore(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committedOffsets =
                consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = new HashMap<>();
        committedOffsets.forEach((tp, o) -> {
            if (o != null && o.offset() > 0) {
                ends.put(tp, o.offset());
            }
        });
        if (ends.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + RESTORE_LIMIT.toNanos();
        int read = 0;
        try (KafkaConsumer<String, byte[]> history = new KafkaConsumer<>(historyConsumer)) {
            history.assign(ends.keySet());
            history.seekToBeginning(ends.keySet());
            Map<TopicPartition, Long> left = new HashMap<>(ends);
            left.keySet().removeIf(tp -> history.position(tp) >= ends.get(tp));
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : history.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Alert alert = r.offset() < ends.get(tp) ? alertOf(r) : null;
                    if (alert != null) {
                        engine.restore(alert, r.partition());
                        read++;
                    }
                }
                left.keySet().removeIf(tp -> history.position(tp) >= ends.get(tp));
            }
            if (!left.isEmpty()) {
                LOG.warn(
                        "reading back the alerts delivered before on {} took over {}; incidents opened there may"
                                + " not be re-sent to Alertmanager until their next alert",
                        left.keySet(),
                        RESTORE_LIMIT);
            }
        }
        LOG.info("read back {} delivered alerts of {}", read, ends.keySet());
    }

    private void flowControl() {
        int pending =
                progress.values().stream().mapToInt(PartitionProgress::pending).sum();
        if (!paused && pending >= maxPending) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.warn("{} alerts waiting for delivery (notify.max.pending); reading paused", pending);
        } else if (paused && pending < Math.max(1, maxPending / 2)) {
            consumer.resume(consumer.assignment());
            paused = false;
            LOG.info("reading resumed");
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            long at = p == null ? -1 : p.committable();
            if (at >= 0 && at > committed.getOrDefault(tp, -1L)) {
                offsets.put(tp, new OffsetAndMetadata(at));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(partitions);
            } catch (RuntimeException e) {
                LOG.warn("commit on revocation failed ({}); the new owner delivers those alerts again", e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("delivering partitions {}", partitions);
            restore(partitions);
            if (paused) {
                consumer.pause(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            engine.forget(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            for (TopicPartition tp : partitions) {
                PartitionProgress p = progress.remove(tp);
                if (p != null) {
                    p.revoke();
                }
                committed.remove(tp);
            }
        }
    }

    /** Waits up to {@code timeout} for the reader to stop on a failure; true when it has. */
    public boolean awaitFailure(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure.get() != null;
    }

    /** Stops reading, lets requests in flight finish (2 s), commits what is done. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("alert delivery did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
