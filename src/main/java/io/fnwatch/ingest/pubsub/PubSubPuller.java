package io.fnwatch.ingest.pubsub;

import com.google.api.core.ApiService;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.gax.batching.FlowController;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.pubsub.v1.PubsubMessage;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.pull.PullHealth;
import io.fnwatch.ingest.pull.PullMeters;
import io.fnwatch.ingest.pull.PullSource;
import io.fnwatch.ingest.pull.PulledRecords;
import io.fnwatch.ingest.pull.RawWrites;
import io.fnwatch.ingest.pull.WriteGate;
import io.fnwatch.model.DeadLetter;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls LogEntries from Pub/Sub subscriptions (a Cloud Logging sink's topic) into the raw topics with the Pub/Sub
 * client's streaming pull. Each message is acknowledged only after Kafka acknowledged its records, and nacked
 * (redelivered by Pub/Sub) when the write fails; after a failure every receiver waits out a backoff with jitter
 * before writing again. Flow control counts messages until they are acknowledged, so a slow Kafka fills the
 * outstanding window and the client stops pulling: nothing is buffered beyond it. Copies of an entry delivered
 * again are dropped by {@link RecentIds}; a message Kafka can never take is dead-lettered and acknowledged. A
 * subscription whose stream fails for good (not found, permission denied) is reported on {@code /readyz} and
 * started again after a backoff.
 */
public final class PubSubPuller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubPuller.class);
    /** A subscription started again after a failure counts as running once it stayed up this long. */
    private static final long STAYS_UP_MS = 60_000;

    /** What the puller takes from outside; tests give a producer that fails or holds writes, and a local server. */
    record Options(Producer<String, byte[]> producer, WriteGate gate, java.util.function.LongSupplier clock) {}

    private final PubSubSettings settings;
    private final Producer<String, byte[]> producer;
    private final WriteGate gate;
    private final PulledRecords records;
    private final PullHealth health;
    private final MeterRegistry registry;
    private final java.util.function.LongSupplier clock;
    private final ManagedChannel emulator;
    private final Map<PullSource, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Map<PullSource, RecentIds> ids = new ConcurrentHashMap<>();
    private final Map<PullSource, PullMeters> meters = new ConcurrentHashMap<>();
    private final Map<PullSource, AtomicLong> outstanding = new ConcurrentHashMap<>();
    private final Map<PullSource, AtomicInteger> restarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fnwatch-pubsub-restart");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    PubSubPuller(
            FnwatchConfig config, PubSubSettings settings, MeterRegistry registry, PullHealth health, Options options) {
        this.settings = settings;
        this.producer = options.producer();
        this.gate = options.gate();
        this.clock = options.clock();
        this.records = new PulledRecords(config, clock);
        this.health = health;
        this.registry = registry;
        this.emulator = settings.emulatorEndpoint().isEmpty()
                ? null
                : ManagedChannelBuilder.forTarget(settings.emulatorEndpoint())
                        .usePlaintext()
                        .build();
    }

    /** Starts pulling every subscription of the settings, with the service's meters and health. */
    public static PubSubPuller start(FnwatchConfig config, MeterRegistry registry, PullHealth health) {
        PubSubSettings s = PubSubSettings.from(config);
        Producer<String, byte[]> producer = new KafkaProducer<>(RawWrites.producerConfig(config, s.kafkaTimeoutMs()));
        WriteGate gate = new WriteGate(
                s.backoffBaseMs(),
                s.backoffMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble(),
                System::currentTimeMillis,
                Thread::sleep);
        PubSubPuller p =
                new PubSubPuller(config, s, registry, health, new Options(producer, gate, System::currentTimeMillis));
        p.startAll();
        return p;
    }

    void startAll() {
        for (PullSource s : settings.sources()) {
            ids.put(s, new RecentIds(settings.dedupeMaxIds(), settings.dedupeWindowMs(), clock));
            AtomicLong out = new AtomicLong();
            outstanding.put(s, out);
            PullMeters m = new PullMeters(registry, s, "outstanding");
            meters.put(s, m);
            restarts.put(s, new AtomicInteger());
            startSubscriber(s);
        }
        LOG.info(
                "Pub/Sub puller started: {} subscription(s)", settings.sources().size());
    }

    private void startSubscriber(PullSource s) {
        if (closed) {
            return;
        }
        if (health.state(s) == null) {
            health.starting(s);
        }
        MessageReceiver receiver = (message, reply) -> receive(s, message, reply);
        Subscriber.Builder b = Subscriber.newBuilder(s.name(), receiver)
                .setFlowControlSettings(FlowControlSettings.newBuilder()
                        .setMaxOutstandingElementCount(settings.maxOutstandingMessages())
                        .setMaxOutstandingRequestBytes(settings.maxOutstandingBytes())
                        .setLimitExceededBehavior(FlowController.LimitExceededBehavior.Block)
                        .build())
                .setParallelPullCount(settings.parallelPulls())
                // a message Kafka holds up keeps its lease this long (extended by the client), then is redelivered
                .setMaxAckExtensionPeriodDuration(Duration.ofMillis(Math.max(60_000, 4 * settings.kafkaTimeoutMs())));
        if (emulator != null) {
            b.setChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulator)))
                    .setCredentialsProvider(NoCredentialsProvider.create());
        } else if (!settings.credentialsFile().isEmpty()) {
            b.setCredentialsProvider(keyFile(settings.credentialsFile()));
        }
        Subscriber subscriber = b.build();
        subscriber.addListener(
                new ApiService.Listener() {
                    @Override
                    public void running() {
                        if (health.state(s) != PullHealth.State.FAILING) {
                            health.running(s);
                            return;
                        }
                        // started again after a failure: running once it stays up a while (or a message arrives)
                        restarter.schedule(
                                () -> {
                                    if (subscribers.get(s) == subscriber && subscriber.isRunning()) {
                                        health.running(s);
                                    }
                                },
                                STAYS_UP_MS,
                                TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void failed(ApiService.State from, Throwable failure) {
                        failedSubscriber(s, failure);
                    }
                },
                Runnable::run);
        subscribers.put(s, subscriber);
        subscriber.startAsync();
    }

    private void failedSubscriber(PullSource s, Throwable failure) {
        meters.get(s).error("source");
        health.failing(s, failure.toString());
        if (closed) {
            return;
        }
        long delay = gate.delayMs(restarts.get(s).getAndIncrement());
        LOG.warn("Pub/Sub subscription {} failed ({}); starting it again in {} ms", s.name(), failure, delay);
        restarter.schedule(() -> startSubscriber(s), delay, TimeUnit.MILLISECONDS);
    }

    private static CredentialsProvider keyFile(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return FixedCredentialsProvider.create(
                    GoogleCredentials.fromStream(in).createScoped("https://www.googleapis.com/auth/pubsub"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Pub/Sub credentials file " + file, e);
        }
    }

    /** On one of the client's executor threads; blocks while the gate is closed, which is what pauses pulling. */
    private void receive(PullSource s, PubsubMessage message, AckReplyConsumer reply) {
        PullMeters m = meters.get(s);
        byte[] data = message.getData().toByteArray();
        m.pulled(data.length);
        health.running(s);
        restarts.get(s).set(0);
        long id = EntryIds.of(data, message.getMessageId());
        RecentIds recent = ids.get(s);
        RecentIds.Outcome claim = recent.claim(id);
        if (claim.claim() == RecentIds.Claim.DELIVERED) {
            m.duplicate();
            reply.ack();
            return;
        }
        if (claim.claim() == RecentIds.Claim.IN_FLIGHT) {
            claim.first().thenAccept(written -> {
                if (written) {
                    m.duplicate();
                    reply.ack();
                } else {
                    reply.nack();
                }
            });
            return;
        }
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recent.failed(id);
            reply.nack();
            return;
        }
        AtomicLong out = outstanding.get(s);
        m.backlog(out.incrementAndGet());
        PulledRecords.Batch batch;
        try {
            batch = records.convert(s, data);
        } catch (RuntimeException e) {
            // a parser bug must not stop the subscription: the message becomes a dead letter
            batch = new PulledRecords.Batch(
                    List.of(records.deadLetter(source(s), DeadLetter.Reason.PROCESSING_ERROR, e.toString(), data)),
                    0,
                    1,
                    0);
        }
        PulledRecords.Batch b = batch;
        RawWrites.send(producer, b.records()).whenComplete((ok, error) -> {
            if (error == null) {
                done(s, id, b, reply, out);
            } else if (RawWrites.poison(error)) {
                List<ProducerRecord<String, byte[]>> dead = new ArrayList<>();
                dead.add(records.deadLetter(
                        source(s),
                        DeadLetter.Reason.TOO_LARGE,
                        RawWrites.cause(error).getMessage(),
                        data));
                RawWrites.send(producer, dead).whenComplete((ok2, error2) -> {
                    if (error2 == null) {
                        done(
                                s,
                                id,
                                new PulledRecords.Batch(dead, 0, b.entries() - b.skipped(), b.skipped()),
                                reply,
                                out);
                    } else {
                        failedWrite(s, id, reply, out, error2);
                    }
                });
            } else {
                failedWrite(s, id, reply, out, error);
            }
        });
    }

    private void done(PullSource s, long id, PulledRecords.Batch b, AckReplyConsumer reply, AtomicLong out) {
        ids.get(s).delivered(id);
        gate.succeeded();
        meters.get(s).written(b);
        reply.ack();
        meters.get(s).backlog(out.decrementAndGet());
    }

    private void failedWrite(PullSource s, long id, AckReplyConsumer reply, AtomicLong out, Throwable error) {
        ids.get(s).failed(id);
        gate.failed();
        meters.get(s).error("kafka");
        LOG.warn(
                "raw write of a message of {} failed, nacked for redelivery: {}",
                s.name(),
                RawWrites.cause(error).toString());
        reply.nack();
        meters.get(s).backlog(out.decrementAndGet());
    }

    private static String source(PullSource s) {
        return s.kind() + ":" + s.name();
    }

    PullMeters meters(PullSource s) {
        return meters.get(s);
    }

    PubSubSettings settings() {
        return settings;
    }

    /** Stops pulling: the client lets the messages in hand finish (and their acks go out), then the producer closes. */
    @Override
    public void close() {
        closed = true;
        restarter.shutdownNow();
        for (Subscriber s : subscribers.values()) {
            try {
                s.stopAsync().awaitTerminated(settings.kafkaTimeoutMs() + 10_000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | IllegalStateException e) {
                LOG.warn("Pub/Sub subscriber did not stop in time: {}", e.toString());
            }
        }
        producer.close(Duration.ofSeconds(10));
        if (emulator != null) {
            emulator.shutdownNow();
        }
    }
}
