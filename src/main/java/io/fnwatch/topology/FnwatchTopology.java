package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.serde.JsonSerde;
import io.fnwatch.serde.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The one topology: raw logs → parse → (repartition only when the raw key was not the function) →
 * detectors → alerts, inventory and dead letters. {@code run}, {@code demo} and every test build it here.
 * Processor, store and repartition names are pinned by a test: renaming a store discards its state.
 */
public final class FnwatchTopology {

    public static final String REPARTITION = "events-by-function";

    private FnwatchTopology() {
    }

    public static Topology build(FnwatchConfig config, DetectorConfig detectors) {
        StreamsBuilder builder = new StreamsBuilder();
        ParserSettings parser = config.parserSettings();
        define(builder, Topics.from(config), parser, detectors, config.bool(FnwatchConfig.EVENTS_TAP),
                config.integer(FnwatchConfig.PARTITIONS));
        return builder.build();
    }

    static void define(StreamsBuilder b, Topics t, ParserSettings parser, DetectorConfig detectors,
            boolean eventsTap, int partitions) {
        Map<String, KStream<String, Routed>> parsed = b
                .stream(t.raw().name(), Consumed.with(t.raw().keySerde(), t.raw().valueSerde())
                        .withName("normalize-source"))
                .process(() -> new ParseProcessor(parser), Named.as("normalize-parse"))
                .split(Named.as("normalize-"))
                .branch((k, v) -> v.deadLetter() != null, Branched.as("dead-letters"))
                .branch((k, v) -> v.keyedByFunction(), Branched.as("keyed"))
                .defaultBranch(Branched.as("unkeyed"));
        toDeadLetters(parsed.get("normalize-dead-letters"), t, "normalize");

        KStream<String, FunctionEvent> repartitioned = parsed.get("normalize-unkeyed")
                .mapValues((Routed v) -> v.event(), Named.as("normalize-unkeyed-events"))
                .repartition(Repartitioned.<String, FunctionEvent>as(REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(FunctionEvent.class))
                        .withNumberOfPartitions(partitions));
        KStream<String, FunctionEvent> events = parsed.get("normalize-keyed")
                .mapValues((Routed v) -> v.event(), Named.as("normalize-keyed-events"))
                .merge(repartitioned, Named.as("normalize-merge"));
        if (eventsTap) {
            events.to(t.events().name(), Produced.with(t.events().keySerde(), t.events().valueSerde())
                    .withName("events-tap-sink"));
        }

        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectProcessor.STORE),
                Serdes.String(), Serdes.ByteArray()));
        Map<String, KStream<String, Routed>> detected = events
                .process(() -> new DetectProcessor(detectors), Named.as("detectors-detect"), DetectProcessor.STORE)
                .split(Named.as("detectors-"))
                .branch((k, v) -> v.alert() != null, Branched.as("alerts"))
                .branch((k, v) -> v.inventory() != null, Branched.as("inventory"))
                .defaultBranch(Branched.as("dead-letters"));
        detected.get("detectors-alerts").mapValues((Routed v) -> v.alert(), Named.as("detectors-alert-values"))
                .to(t.alerts().name(), Produced.with(t.alerts().keySerde(), t.alerts().valueSerde())
                        .withName("alerts-sink"));
        detected.get("detectors-inventory").mapValues((Routed v) -> v.inventory(), Named.as("detectors-inventory-values"))
                .to(t.inventory().name(), Produced.with(t.inventory().keySerde(), t.inventory().valueSerde())
                        .withName("inventory-sink"));
        toDeadLetters(detected.get("detectors-dead-letters"), t, "detectors");
    }

    private static void toDeadLetters(KStream<String, Routed> stream, Topics t, String stage) {
        stream.mapValues((Routed v) -> v.deadLetter(), Named.as(stage + "-dead-letter-values"))
                .to(t.deadLetters().name(), Produced.with(t.deadLetters().keySerde(), t.deadLetters().valueSerde())
                        .withName(stage + "-dead-letters-sink"));
    }
}
