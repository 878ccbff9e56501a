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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
 * <p>Memory: a first pass reads every file once (counting it, and finding how far out of event-time order its
 * records are); the second merges the files (see {@link MergedInput}), so memory is bounded by the number of files
 * open at once (at most {@value #MAX_OPEN_FILES}, about 60 KiB each) and by how far out of order they are, not by
 * the number of records. A file nearly in order is put in order through a buffer of its records within its
 * lateness; a file in no order, or one JSON document, ends up held whole (its records' bytes plus about 50 bytes a
 * record); the progress notes say how many. The records are piped in the same order either way: that of a stable
 * sort of all records by event time, files in the order given.
 * Outputs are drained every few thousand records, so they do not add up.
 */
public final class Backtest {

    public static final String APPLICATION_ID = "fnwatch-backtest";
    public static final int PROGRESS_EVERY = 100_000;
    private static final int DRAIN_EVERY = 10_000;
    /** The most files read at once; past it, files are read into memory as the merge reaches them. */
    public static final int MAX_OPEN_FILES = 2_000;
    /** For tests: today's way before the merge, every record read and sorted in memory. */
    static final int ALL_IN_MEMORY = -1;

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
        return run(inputs, config, detectors, hints, from, to, sink, progress, note -> {});
    }

    /** As above; {@code notes} hears how the files are read (streamed, or some held in memory, and why). */
    public static Result run(
            List<Path> inputs,
            FnwatchConfig config,
            DetectorConfig detectors,
            SourceHints hints,
            Instant from,
            Instant to,
            Consumer<Alert> sink,
            LongConsumer progress,
            Consumer<String> notes)
            throws IOException {
        return run(inputs, config, detectors, hints, from, to, sink, progress, notes, MAX_OPEN_FILES);
    }

    /** As above, with at most {@code maxOpenFiles} open at once, or {@link #ALL_IN_MEMORY}. */
    static Result run(
            List<Path> inputs,
            FnwatchConfig config,
            DetectorConfig detectors,
            SourceHints hints,
            Instant from,
            Instant to,
            Consumer<Alert> sink,
            LongConsumer progress,
            Consumer<String> notes,
            int maxOpenFiles)
            throws IOException {
        List<Path> files = FileReplayer.files(inputs);
        long read;
        long events;
        Iterator<BacktestInput.Stamped> records;
        MergedInput merged = null;
        if (maxOpenFiles == ALL_IN_MEMORY) {
            BacktestInput.Loaded input = BacktestInput.load(files, config.parserSettings(), hints, from, to);
            read = input.read();
            events = input.events();
            records = releasing(input.records());
        } else {
            merged = MergedInput.open(files, config.parserSettings(), hints, from, to, maxOpenFiles);
            read = merged.read();
            events = merged.events();
            records = iterator(merged);
            notes.accept(describe(merged.plan(), maxOpenFiles));
        }
        Path stateDir = TempFolders.create("fnwatch-backtest-");
        try {
            Backtest backtest = new Backtest(config, detectors, stateDir, sink);
            long piped;
            try {
                piped = backtest.pipe(records, hints, progress);
            } finally {
                backtest.driver.close();
            }
            return new Result(
                    files.size(),
                    read,
                    piped,
                    events,
                    Collections.unmodifiableMap(backtest.deadLettersByReason),
                    Collections.unmodifiableMap(backtest.alertsByType));
        } catch (ReadFailed e) {
            throw e.getCause();
        } finally {
            try {
                if (merged != null) {
                    merged.close();
                }
            } finally {
                TempFolders.delete(stateDir);
            }
        }
    }

    static String describe(MergedInput.Plan plan, int maxOpenFiles) {
        int held = plan.files() - plan.streamed();
        StringBuilder s = new StringBuilder(
                String.format("  merging %d file(s) in event-time order: %d streamed", plan.files(), plan.streamed()));
        if (plan.notInOrder() > 0) {
            s.append(String.format(
                    "; %d of these not in event-time order, put in order through a buffer of the records up to"
                            + " %.1f s late (the most late; a file in no order is held whole, about 0.55 GB a"
                            + " million lines)",
                    plan.notInOrder(), plan.maxLateness() / 1000.0));
        }
        if (plan.documents() > 0) {
            s.append(String.format("; %d whole-file JSON document(s) read into memory", plan.documents()));
        }
        if (plan.pastOpenLimit() > 0) {
            s.append(String.format(
                    "; %d past the limit of %d files open at once, so read into memory",
                    plan.pastOpenLimit(), maxOpenFiles));
        }
        int rest = held - plan.documents() - plan.pastOpenLimit();
        if (rest > 0) {
            s.append(String.format("; %d with one record or none in the window", rest));
        }
        return s.toString();
    }

    /** The records of a list, each let go once it is handed on: memory is released as the run proceeds. */
    private static Iterator<BacktestInput.Stamped> releasing(List<BacktestInput.Stamped> records) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < records.size();
            }

            @Override
            public BacktestInput.Stamped next() {
                BacktestInput.Stamped r = records.get(i);
                records.set(i++, null);
                return r;
            }
        };
    }

    private static Iterator<BacktestInput.Stamped> iterator(MergedInput merged) {
        return new Iterator<>() {
            private BacktestInput.Stamped next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = merged.next();
                    } catch (IOException e) {
                        throw new ReadFailed(e);
                    }
                }
                return next != null;
            }

            @Override
            public BacktestInput.Stamped next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BacktestInput.Stamped r = next;
                next = null;
                return r;
            }
        };
    }

    /** An input file that failed while the merge read it, carried out of the iterator. */
    private static final class ReadFailed extends RuntimeException {
        ReadFailed(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
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

    private long pipe(Iterator<BacktestInput.Stamped> records, SourceHints hints, LongConsumer progress) {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(
                topics.raw().name(),
                topics.raw().keySerde().serializer(),
                topics.raw().valueSerde().serializer());
        long piped = 0;
        while (records.hasNext()) {
            BacktestInput.Stamped r = records.next();
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
        return piped;
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
