package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.serde.JsonSerde;
import io.fnwatch.serde.SliceSerde;
import io.fnwatch.serde.TenantTopics;
import io.fnwatch.serde.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The one topology: raw logs (every tenant's raw topic, see {@link TenantTopics}) → parse → (repartition only when the raw key was not the function) →
 * detectors → alerts, inventory and dead letters. Events of records keyed by their function are detected inside
 * the parse processor (the task's {@link Detection}), without a hop per event. {@code run}, {@code demo} and every
 * test build it here.
 * Processor, store and repartition names are pinned by a test: renaming a store discards its state.
 */
public final class FnwatchTopology {

    public static final String REPARTITION = "events-by-function";
    /** The functions' closed concurrency slices, keyed by account for {@link AccountProcessor}. */
    public static final String ACCOUNTS = "concurrency-by-account";
    /** The detectors' state, one record per function key; queried by the status endpoint. */
    public static final String STATE_STORE = DetectProcessor.STORE;
    /** Each function's minutes for the console ({@link io.fnwatch.detect.MinuteSummary}), a windowed store. */
    public static final String HISTORY_STORE = MinuteHistory.STORE;

    private FnwatchTopology() {}

    /** The topic Streams names for the {@link #REPARTITION} step under {@code c}'s application id. */
    public static String repartitionTopic(FnwatchConfig c) {
        return c.string(FnwatchConfig.APPLICATION_ID) + "-" + REPARTITION + "-repartition";
    }

    /** The topic Streams names for the {@link #ACCOUNTS} step under {@code c}'s application id. */
    public static String accountsTopic(FnwatchConfig c) {
        return c.string(FnwatchConfig.APPLICATION_ID) + "-" + ACCOUNTS + "-repartition";
    }

    public static Topology build(FnwatchConfig config, DetectorConfig detectors) {
        return build(config, detectors, PipelineMeters.none());
    }

    /** The same topology, counting into {@code meters} (the running service's registry). */
    public static Topology build(FnwatchConfig config, DetectorConfig detectors, PipelineMeters meters) {
        StreamsBuilder builder = new StreamsBuilder();
        ParserSettings parser = config.parserSettings();
        Outputs outputs = Outputs.of(config);
        define(
                builder,
                Topics.from(config),
                TenantTopics.from(config),
                parser,
                detectors,
                config.integer(FnwatchConfig.PARTITIONS),
                meters,
                outputs,
                Duration.ofMillis(config.longValue(OpsSettings.HISTORY_RETENTION_MS)));
        return builder.build();
    }

    static void define(
            StreamsBuilder b,
            Topics t,
            TenantTopics tenants,
            ParserSettings parser,
            DetectorConfig detectors,
            int partitions,
            PipelineMeters meters,
            Outputs outputs,
            Duration historyRetention) {
        boolean eventsTap = outputs.eventsTap() != null;
        // One source for all tenants' raw topics. Its tasks are numbered by partition: task 0_p reads partition
        // p of each of them, so topics of other partition counts still work, but a record keyed by its function
        // skips the repartition only when its topic has the repartition topic's count (see TopicAdmin).
        // Write-back: a function's state is serialised into RocksDB and its changelog once per commit, not once
        // per event. Without that every event costs a serialisation and a changelog write, and under
        // at_least_once a crash left state ahead of the committed input, applying events twice.
        b.addStateStore(FunctionStateStore.builder(DetectProcessor.STORE, FunctionStateStore.LIVE_LIMIT));
        b.addStateStore(DeadlineIndex.builder());
        b.addStateStore(MinuteHistory.builder(historyRetention));
        String[] detectorStores = {DetectProcessor.STORE, DeadlineIndex.STORE, MinuteHistory.STORE};
        // Events of records keyed by their function are detected inside the parse processor (its task's shared
        // Detection): what it forwards is dead letters, events to repartition (and to the tap), and what the
        // detectors emitted.
        BranchedKStream<String, Routed> parsing = b.stream(
                        tenants.pattern(),
                        // keys stay bytes: compared with the function's key, decoded only for a dead letter
                        Consumed.with(Serdes.ByteArray(), t.raw().valueSerde()).withName("normalize-source"))
                .process(
                        () -> new ParseProcessor(
                                parser, detectors, meters, outputs, tenants, historyRetention.toMillis()),
                        Named.as("normalize-parse"),
                        detectorStores)
                .split(Named.as("normalize-"))
                .branch((k, v) -> v.deadLetter() != null, Branched.as("dead-letters"))
                .branch((k, v) -> v.event() != null && !v.keyedByFunction(), Branched.as("unkeyed"));
        if (eventsTap) {
            parsing = parsing.branch((k, v) -> v.event() != null, Branched.as("keyed"));
        }
        Map<String, KStream<String, Routed>> parsed = parsing.defaultBranch(Branched.as("detected"));
        toDeadLetters(parsed.get("normalize-dead-letters"), t, "normalize");

        KStream<String, FunctionEvent> repartitioned = parsed.get("normalize-unkeyed")
                .mapValues((Routed v) -> v.event(), Named.as("normalize-unkeyed-events"))
                .repartition(Repartitioned.<String, FunctionEvent>as(REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(FunctionEvent.class))
                        .withNumberOfPartitions(partitions));
        if (eventsTap) {
            parsed.get("normalize-keyed")
                    .mapValues((Routed v) -> v.event(), Named.as("normalize-keyed-events"))
                    .merge(repartitioned, Named.as("normalize-merge"))
                    .to(
                            t.events().name(),
                            Produced.with(t.events().keySerde(), t.events().valueSerde())
                                    .withName("events-tap-sink"));
        }

        KStream<String, Routed> detectedAfterRepartition = repartitioned.process(
                () -> new DetectProcessor(detectors, meters, outputs, historyRetention.toMillis()),
                Named.as("detectors-detect"),
                detectorStores);
        Map<String, KStream<String, Routed>> detected = parsed.get("normalize-detected")
                .merge(detectedAfterRepartition, Named.as("detectors-merge"))
                .split(Named.as("detectors-"))
                .branch((k, v) -> v.alert() != null, Branched.as("alerts"))
                .branch((k, v) -> v.inventory() != null, Branched.as("inventory"))
                .branch((k, v) -> v.slice() != null, Branched.as("slices"))
                .defaultBranch(Branched.as("dead-letters"));
        detected.get("detectors-alerts")
                .mapValues((Routed v) -> v.alert(), Named.as("detectors-alert-values"))
                .to(
                        t.alerts().name(),
                        Produced.with(t.alerts().keySerde(), t.alerts().valueSerde())
                                .withName("alerts-sink"));
        detected.get("detectors-inventory")
                .mapValues((Routed v) -> v.inventory(), Named.as("detectors-inventory-values"))
                .to(
                        t.inventory().name(),
                        Produced.with(t.inventory().keySerde(), t.inventory().valueSerde())
                                .withName("inventory-sink"));
        toDeadLetters(detected.get("detectors-dead-letters"), t, "detectors");

        // Concurrency per account: each function's detector pre-aggregates its concurrency per slice and sends
        // one small record per closed slice (not per event), keyed by tenant|provider|account|region; the
        // account's task sums them in its own store and writes its alerts to the same alerts topic.
        b.addStateStore(AccountProcessor.builder());
        detected.get("detectors-slices")
                .mapValues((Routed v) -> v.slice(), Named.as("concurrency-slice-values"))
                .repartition(Repartitioned.<String, ConcurrencySlice>as(ACCOUNTS)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(SliceSerde.serde())
                        .withNumberOfPartitions(partitions))
                .process(
                        () -> new AccountProcessor(detectors, meters, outputs),
                        Named.as("concurrency-accounts"),
                        AccountProcessor.STORE)
                .to(
                        t.alerts().name(),
                        Produced.with(t.alerts().keySerde(), t.alerts().valueSerde())
                                .withName("concurrency-alerts-sink"));

        // Seeds from pullers (e.g. the CloudWatch puller's InventorySeeder) reach the stale detector's state.
        b.stream(
                        t.inventory().name(),
                        Consumed.with(t.inventory().keySerde(), t.inventory().valueSerde())
                                .withName("inventory-source"))
                .process(SeedProcessor::new, Named.as("detectors-seed"), DetectProcessor.STORE);
    }

    private static void toDeadLetters(KStream<String, Routed> stream, Topics t, String stage) {
        stream.mapValues((Routed v) -> v.deadLetter(), Named.as(stage + "-dead-letter-values"))
                .to(
                        t.deadLetters().name(),
                        Produced.with(
                                        t.deadLetters().keySerde(),
                                        t.deadLetters().valueSerde())
                                .withName(stage + "-dead-letters-sink"));
    }
}
