package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.detect.Defaults;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.Events;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.model.FunctionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteBackStore}'s contract on a real broker, under exactly-once, with the commits the stream thread
 * schedules itself ({@code TaskExecutor}: prepare every task, which writes the caches out, then
 * {@code commitTransaction}): after a commit the changed states are in the read-committed changelog and what
 * interactive queries read; a stream thread that dies between commits is replaced and its tasks, restored from
 * that changelog, end with every event applied exactly once; a new instance restores the same state.
 *
 * <p>A store that wrote its cache only in the public {@code StateStore.commit}, which Streams calls after the
 * transaction (and under exactly-once not at a running task's regular commit), fails the first check.
 */
class WriteBackStoreIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String APP = "fnwatch-it-writeback";
    private static final String INPUT = "writeback-events";
    private static final String STORE = "writeback-state";
    private static final String CHANGELOG = APP + "-" + STORE + "-changelog";
    private static final int PARTITIONS = 2;
    private static final List<String> FUNCTIONS = List.of("fn-a", "fn-b", "fn-c", "fn-d");
    /** A value that makes the processor throw once, so that the stream thread dies between two commits. */
    private static final long CRASH = -1;

    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final AtomicInteger crashes = new AtomicInteger();
    private final List<ProducerRecord<String, Long>> sent = new ArrayList<>();
    private long t = Events.T0;

    @Test
    void shouldHaveTheStatesOfCommittedInputInTheChangelogAndRestoreThemAfterAThreadDies() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            // events are stamped in March 2026: without this, time retention may delete them before they are read
            admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 1)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))))
                    .all()
                    .get();

            try (KafkaStreams a = start("a")) {
                send(40, -1);
                awaitCommitted(admin);
                assertThat(changelog())
                        .as("the read-committed changelog after the thread's own commits")
                        .isEqualTo(expected());
                awaitQueried(a, "interactive queries after the commits");

                send(40, 25); // the thread dies after 25 of these, with their changes not yet committed
                awaitCommitted(admin);
                assertThat(crashes).as("the stream thread died once").hasValue(1);
                assertThat(changelog())
                        .as("every event applied exactly once after the dead thread's tasks were "
                                + "restored from the changelog and its uncommitted input processed again")
                        .isEqualTo(expected());
                awaitQueried(a, "interactive queries after the replaced thread caught up");
            }
            try (KafkaStreams b = start("b")) {
                awaitQueried(b, "a new instance with an empty state directory, restored from the changelog");
            }
        }
    }

    /** Sends {@code n} events round the functions, and the crash record after {@code crashAfter} of them. */
    private void send(int n, int crashAfter) throws Exception {
        try (KafkaProducer<String, Long> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(),
                new LongSerializer())) {
            for (int i = 0; i < n; i++) {
                if (i == crashAfter) {
                    producer.send(new ProducerRecord<>(INPUT, 0, t, FUNCTIONS.get(0), CRASH))
                            .get();
                }
                int f = sent.size() % FUNCTIONS.size();
                t += 1_000;
                ProducerRecord<String, Long> r = new ProducerRecord<>(INPUT, f % PARTITIONS, t, FUNCTIONS.get(f), t);
                producer.send(r).get();
                sent.add(r);
            }
        }
    }

    private KafkaStreams start(String instance) throws Exception {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new LongDeserializer(), INPUT);
        topology.addProcessor("apply", Apply::new, "in");
        topology.addStateStore(FunctionStateStore.builder(STORE, FunctionStateStore.LIVE_LIMIT), "apply");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(instance).toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // the dead thread's member may stay in the group until its session times out: not 45 s, then
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        KafkaStreams streams = new KafkaStreams(topology, p);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        return streams;
    }

    /** Applies each event to its function's live state, as the detect processor does. */
    private final class Apply implements Processor<String, Long, Void, Void> {
        private FunctionStateStore store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, Long> r) {
            if (r.value() == CRASH) {
                if (crashes.get() == 0) {
                    crashes.incrementAndGet();
                    throw new IllegalStateException("the stream thread dies here, once");
                }
                return;
            }
            apply(store.state(r.key()), r.key(), r.value());
            store.changed(r.key());
        }
    }

    private static void apply(FunctionState state, String function, long timestamp) {
        FunctionEvent e = Events.invocation(function, timestamp, 100 + timestamp % 7, false, FunctionEvent.SUCCESS);
        if (!state.apply(e, Defaults.settings(), new Emitter(e.key(), new ArrayList<>()))) {
            throw new IllegalStateException("late event " + e);
        }
    }

    /** Each function's state after all sent events, each applied once. */
    private Map<String, String> expected() {
        Map<String, FunctionState> states = new LinkedHashMap<>();
        for (ProducerRecord<String, Long> r : sent) {
            apply(states.computeIfAbsent(r.key(), k -> new FunctionState()), r.key(), r.value());
        }
        return states.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> hex(e.getValue().toBytes())));
    }

    /** The newest value of each key in the changelog, as a restore reads it: read committed. */
    private static Map<String, String> changelog() {
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KAFKA.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(CHANGELOG).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), hex(r.value()));
                }
            }
        }
        return latest;
    }

    /** Waits until the application's committed input offsets reach the end of the input. */
    private static void awaitCommitted(Admin admin) throws Exception {
        Set<TopicPartition> input =
                admin.describeTopics(List.of(INPUT)).allTopicNames().get().get(INPUT).partitions().stream()
                        .map(i -> new TopicPartition(INPUT, i.partition()))
                        .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest =
                input.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        await("input committed", () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            var ends = admin.listOffsets(latest).all().get();
            return input.stream()
                    .allMatch(tp -> committed.get(tp) != null
                            && committed.get(tp).offset() == ends.get(tp).offset());
        });
    }

    private void awaitQueried(KafkaStreams streams, String what) throws Exception {
        Map<String, String> expected = expected();
        await(what, () -> {
            try {
                ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                        STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
                Map<String, String> read = new HashMap<>();
                for (String f : FUNCTIONS) {
                    byte[] v = store.get(f);
                    if (v != null) {
                        read.put(f, hex(v));
                    }
                }
                return read.equals(expected);
            } catch (InvalidStateStoreException rebalancingOrRestoring) {
                return false;
            }
        });
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(50); // polling interval of a condition wait, not a guess at how long something takes
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
