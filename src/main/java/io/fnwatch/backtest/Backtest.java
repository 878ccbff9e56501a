package io.fnwatch.backtest;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.serde.Topics;
import io.fnwatch.topology.FnwatchTopology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs the production topology ({@link FnwatchTopology#build}, unchanged) offline in Kafka Streams'
 * {@link TopologyTestDriver} over log files, in event-time order, and hands every alert to a sink in the order
 * the topology emits it: the same input gives the same alerts, byte for byte. Records are keyed and stamped as
 * {@code replay} does (see {@link BacktestInput}); an event-time window, {@code from} inclusive and {@code to}
 * exclusive, selects records by their first event's time.
 * <p>Memory: the input is sorted as a whole, so it is held in memory (the records' bytes plus about 50 bytes
 * a record); give the JVM a heap a bit larger than the uncompressed input, or split the input by time.
 * Outputs are drained every few thousand records, so they do not add up.
 */
public final class Backtest {

    public static final String APPLICATION_ID = "fnwatch-backtest";
    public static final int PROGRESS_EVERY = 100_000;
    private static final int DRAIN_EVERY = 10_000;

    /**
     * What a run read and produced. {@code recordsRead} counts every raw record (non-blank line, or record of a whole-file document), {@code recordsInWindow}
     * those piped into the topology, {@code events} the log events these held; the maps are sorted by name.
     */
    public record Result(
            int files,
            long recordsRead,
            long recordsInWindow,
            long events,
            Map<String, Long> deadLettersByReason,
            Map<String, Long> alertsByType) {

        public long deadLetters() {
            return deadLettersByReason.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        public long alerts() {
            return alertsByType.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Topics topics;
    private final TopologyTestDriver driver;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final Map<String, TestOutputTopic<byte[], byte[]>> otherOutputs = new HashMap<>();
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();
    private final Map<String, Long> alertsByType = new TreeMap<>();
    private final Consumer<Alert> sink;

    private Backtest(FnwatchConfig config, DetectorConfig detectors, Path stateDir, Consumer<Alert> sink) {
        this.topics = Topics.from(config);
        this.sink = sink;
        this.driver = new TopologyTestDriver(FnwatchTopology.build(config, detectors), properties(stateDir));
        this.alerts = driver.createOutputTopic(
                topics.alerts().name(),
                topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
        this.deadLetters = driver.createOutputTopic(
                topics.deadLetters().name(),
                topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    /**
     * Backtests {@code inputs} (files, or folders walked for log files in name order). {@code from} and
     * {@code to} may be null (no bound). {@code progress} hears the count of records piped so far every
     * {@value #PROGRESS_EVERY} records and once at the end.
     */
    public static Result run(
            List<Path> inputs,
            FnwatchConfig config,
            DetectorConfig detectors,
            Instant from,
            Instant to,
            Consumer<Alert> sink,
            LongConsumer progress)
            throws IOException {
        return run(inputs, config, detectors, SourceHints.NONE, from, to, sink, progress);
    }

    /**
     * As above, with what the files' source says that the logs may not ({@code backtest --region}): the records
     * are keyed with it and carry it as headers, as HTTP ingest writes them, so the topology's parse agrees.
     */
    public static Result run(
            List<Path> inputs,
            FnwatchConfig config,
            DetectorConfig detectors,
            SourceHints hints,
            Instant from,
            Instant to,
            Consumer<Alert> sink,
            LongConsumer progress)
            throws IOException {
        List<Path> files = FileReplayer.files(inputs);
        BacktestInput.Loaded input = BacktestInput.load(files, config.parserSettings(), hints, from, to);
        Path stateDir = TempFolders.create("fnwatch-backtest-");
        try {
            Backtest backtest = new Backtest(config, detectors, stateDir, sink);
            try {
                backtest.pipe(input.records(), hints, progress);
            } finally {
                backtest.driver.close();
            }
            return new Result(
                    files.size(),
                    input.read(),
                    input.records().size(),
                    input.events(),
                    Collections.unmodifiableMap(backtest.deadLettersByReason),
                    Collections.unmodifiableMap(backtest.alertsByType));
        } finally {
            TempFolders.delete(stateDir);
        }
    }

    private static Properties properties(Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest.invalid:9092"); // required, never contacted
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // as in the service: a record the topology cannot read is skipped with a WARN, not fatal
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return p;
    }

    private void pipe(List<BacktestInput.Stamped> records, SourceHints hints, LongConsumer progress) {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        long piped = 0;
        for (int i = 0; i < records.size(); i++) {
            BacktestInput.Stamped r = records.get(i);
            records.set(i, null); // piped records can go: memory is released as the run proceeds
            // the same record, headers included, that replay --region would write
            raw.pipeInput(new TestRecord<>(RawRecords.withHints(
                    new ProducerRecord<>(topics.raw().name(), null, r.timestamp(), r.key(), r.value()), hints)));
            piped++;
            if (piped % DRAIN_EVERY == 0) {
                drain();
            }
            if (piped % PROGRESS_EVERY == 0) {
                progress.accept(piped);
            }
        }
        drain();
        progress.accept(piped);
    }

    /** Takes everything the topology wrote since the last call; TopologyTestDriver keeps it all otherwise. */
    private void drain() {
        for (Alert a : alerts.readValuesToList()) {
            alertsByType.merge(a.type().name(), 1L, Long::sum);
            sink.accept(a);
        }
        for (DeadLetter d : deadLetters.readValuesToList()) {
            deadLettersByReason.merge(d.reason(), 1L, Long::sum);
        }
        // inventory, the optional events tap and the repartition topic are not part of the backtest's output
        for (String topic : driver.producedTopicNames()) {
            if (!topic.equals(topics.alerts().name())
                    && !topic.equals(topics.deadLetters().name())) {
                otherOutputs
                        .computeIfAbsent(
                                topic,
                                t -> driver.createOutputTopic(
                                        t, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
                        .readRecordsToList();
            }
        }
    }
}
