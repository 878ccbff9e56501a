package io.fnwatch.bench;

import io.fnwatch.bench.fleet.FleetBench;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.topology.FnwatchTopology;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@code bench throughput}: pre-fills a raw topic with fleet logs, then measures, in the same run and from
 * first to last record, (a) a raw KafkaConsumer reading it, (b) the plain Kafka Streams one-minute windowed
 * count per key a user would otherwise write, and (c) the full fnwatch topology with its production settings
 * (exactly-once, all detectors, alerts, dead letters). Each is run {@code rounds} times; the median counts.
 * (b) and (c) run in interleaved pairs (count, fnwatch, count, fnwatch…) and their ratio is the median of
 * the pairs' ratios, reported with its lowest and highest, so that load from elsewhere on a shared machine
 * moves both sides of a ratio alike and shows in its spread rather than in one side's median. Warm-up pairs
 * run first and are printed but not counted: the JIT compiles fnwatch's parsers and detectors (far more code
 * than the count's) for the first minute or two of a JVM, on the same two cores, which a service running for
 * days pays once.
 */
public final class ThroughputBench {

    private final FnwatchConfig base;
    private final PrintStream log;

    public ThroughputBench(FnwatchConfig base, PrintStream log) {
        this.base = base;
        this.log = log;
    }

    public Map<String, Object> run(long events, int functions, int partitions, double maxRate, int rounds)
            throws Exception {
        return run(events, functions, partitions, maxRate, rounds, 0, List.of());
    }

    /**
     * As {@link #run(long, int, int, double, int)} after {@code warmup} uncounted pairs, then fnwatch again with
     * each of {@code moreThreads} stream threads (same instance, same partitions): the scaling within one machine.
     */
    public Map<String, Object> run(
            long events,
            int functions,
            int partitions,
            double maxRate,
            int rounds,
            int warmup,
            List<Integer> moreThreads)
            throws Exception {
        FnwatchConfig c = base.with(FnwatchConfig.PARTITIONS, partitions)
                .with(FnwatchConfig.TOPIC_RAW, "bench-logs-raw")
                .with(FnwatchConfig.RAW_RETENTION_MS, -1L);
        TopicAdmin.ensure(c);
        long n = prefill(c, events, functions, maxRate);
        log.printf(
                "pre-filled %,d records of %d functions, in event-time order, into %d partitions%n",
                n, functions, partitions);
        double raw = median(rounds, () -> rawConsumer(c, n));
        DetectorConfig detectors = DetectorConfig.load(null, c.longValue(FnwatchConfig.LATE_GRACE_MS));
        if (warmup > 0) {
            pairs(c, detectors, warmup, "warm-up pair");
        }
        Pairs pairs = pairs(c, detectors, rounds, "pair");
        double counted = median(pairs.count());
        double fnwatch = median(pairs.fnwatch());
        double[] ratios = pairs.ratios();
        double cpuPerEvent = pairs.processCpuNanos() / 1000.0 / (rounds * (double) n);
        double streamThreadCpuPerEvent = pairs.streamThreadCpuNanos() / 1000.0 / (rounds * (double) n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", n);
        r.put("warmupPairs", warmup);
        r.put("eventsPerSecond", Math.round(n / fnwatch));
        r.put("rawConsumerPerSecond", Math.round(n / raw));
        r.put("windowedCountPerSecond", Math.round(n / counted));
        r.put("ratioToRawConsumer", round2(raw / fnwatch));
        r.put("ratioToWindowedCount", round2(median(ratios)));
        r.put("ratioToWindowedCountMin", round2(Arrays.stream(ratios).min().orElseThrow()));
        r.put("ratioToWindowedCountMax", round2(Arrays.stream(ratios).max().orElseThrow()));
        r.put(
                "ratiosToWindowedCountByPair",
                Arrays.stream(ratios).map(ThroughputBench::round2).boxed().toList());
        r.put("cpuMicrosPerEvent", round2(cpuPerEvent));
        r.put("streamThreadCpuMicrosPerEvent", round2(streamThreadCpuPerEvent));
        log.printf(
                "%-44s %,12d records/s%n%-44s %,12d records/s%n%-44s %,12d records/s%n",
                "raw KafkaConsumer",
                r.get("rawConsumerPerSecond"),
                "Kafka Streams 1-min windowed count",
                r.get("windowedCountPerSecond"),
                "fnwatch (exactly-once, all detectors), " + c.integer(FnwatchConfig.STREAM_THREADS) + " thread(s)",
                r.get("eventsPerSecond"));
        log.printf(
                "fnwatch / windowed count, median of %d interleaved pairs: %.2f (min %.2f, max %.2f)%n",
                rounds,
                r.get("ratioToWindowedCount"),
                r.get("ratioToWindowedCountMin"),
                r.get("ratioToWindowedCountMax"));
        log.printf(
                "CPU per record: %.2f µs in the stream threads, %.2f µs for the whole process (with the broker)%n",
                streamThreadCpuPerEvent, cpuPerEvent);
        Map<String, Object> byThreads = new LinkedHashMap<>();
        byThreads.put(String.valueOf(c.integer(FnwatchConfig.STREAM_THREADS)), r.get("eventsPerSecond"));
        for (int threads : moreThreads) {
            FnwatchConfig t = c.with(FnwatchConfig.STREAM_THREADS, threads);
            double s = median(rounds, () -> fnwatchRound(t, detectors));
            byThreads.put(String.valueOf(threads), Math.round(n / s));
            log.printf(
                    "%-44s %,12d records/s (%.2fx)%n",
                    "fnwatch, " + threads + " stream thread(s)", Math.round(n / s), fnwatch / s);
        }
        if (!moreThreads.isEmpty()) {
            r.put("eventsPerSecondByStreamThreads", byThreads);
        }
        return r;
    }

    /**
     * Writes fleet logs of as many days as {@code events} needs, then sends the first {@code events} records
     * of all functions merged in event-time order, as a live fleet's logs arrive: functions interleave in
     * every partition, and each commit touches many functions' state.
     */
    private long prefill(FnwatchConfig c, long events, int functions, double maxRate) throws Exception {
        Path logs = TempFolders.create("fnwatch-bench-logs-");
        try {
            int days = 1;
            long lines = FleetBench.writeLogs(functions, days, 7, maxRate, logs, new ArrayList<>());
            if (lines < events) {
                TempFolders.delete(logs);
                logs = TempFolders.create("fnwatch-bench-logs-");
                days = (int) Math.min(366, (long) Math.ceil(1.05 * events / Math.max(1, lines)));
                lines = FleetBench.writeLogs(functions, days, 7, maxRate, logs, new ArrayList<>());
            }
            log.printf("generated %,d lines: %d day(s) of %d functions%n", lines, days, functions);
            return send(c, FileReplayer.files(List.of(logs)), events);
        } finally {
            TempFolders.delete(logs);
        }
    }

    /** One file's next line, parsed, ordered by its event time (unreadable lines first). */
    private record Head(long time, byte[] value, ParseResult parsed, BufferedReader rest) {}

    private static Head next(BufferedReader r, LogParser parser) throws IOException {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.isBlank()) {
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                ParseResult p = parser.parse(value);
                return new Head(
                        p.events().isEmpty()
                                ? Long.MIN_VALUE
                                : p.events().get(0).epochMillis(),
                        value,
                        p,
                        r);
            }
        }
        r.close();
        return null;
    }

    private long send(FnwatchConfig c, List<Path> files, long events) throws Exception {
        String topic = c.string(FnwatchConfig.TOPIC_RAW);
        LogParser parser = new LogParser(c.parserSettings());
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::time));
        for (Path f : files) {
            Head h = next(FileReplayer.open(f), parser);
            if (h != null) {
                heads.add(h);
            }
        }
        SendFailures failures = new SendFailures();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
            while (sent < events && !heads.isEmpty()) {
                Head h = heads.poll();
                producer.send(RawRecords.of(topic, h.value(), h.parsed()), failures);
                sent++;
                Head following = next(h.rest(), parser);
                if (following != null) {
                    heads.add(following);
                }
            }
            producer.flush();
        } finally {
            for (Head h : heads) {
                h.rest().close();
            }
        }
        failures.check();
        return sent;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Seconds of the median round. */
    private double median(int rounds, Supplier<Double> round) {
        double[] s = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            s[i] = round.get();
        }
        return median(s);
    }

    /** The middle value; of an even count, the mean of the two middle ones. */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * Seconds of each contender's rounds, run as pairs (count, then fnwatch, on the same topic), the ratio of
     * each pair, and fnwatch's CPU time: background load on a shared machine that slows one round slows its
     * pair's other round too, so the per-pair ratio stays steadier than either figure.
     */
    private record Pairs(double[] count, double[] fnwatch, long processCpuNanos, long streamThreadCpuNanos) {

        /** Count seconds over fnwatch seconds: above 1, fnwatch is faster. */
        double[] ratios() {
            double[] r = new double[count.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = count[i] / fnwatch[i];
            }
            return r;
        }
    }

    private Pairs pairs(FnwatchConfig c, DetectorConfig detectors, int rounds, String label) {
        double[] count = new double[rounds];
        double[] fnwatch = new double[rounds];
        long processCpu = 0;
        long[] streamThreadCpu = new long[1];
        for (int i = 0; i < rounds; i++) {
            count[i] = BenchStreams.timedRound(c, windowedCount(c), "bench-count-", "at_least_once");
            long before = cpu();
            fnwatch[i] = fnwatchRound(c, detectors, streamThreadCpu);
            processCpu += cpu() - before;
            log.printf(
                    "%s %d of %d: windowed count %.2f s, fnwatch %.2f s, ratio %.2f%n",
                    label, i + 1, rounds, count[i], fnwatch[i], count[i] / fnwatch[i]);
        }
        return new Pairs(count, fnwatch, processCpu, streamThreadCpu[0]);
    }

    private double rawConsumer(FnwatchConfig c, long n) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(c, null))) {
            List<TopicPartition> parts = consumer.partitionsFor(c.string(FnwatchConfig.TOPIC_RAW)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long start = System.nanoTime();
            long seen = 0;
            while (seen < n) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * The peer: a one-minute windowed count per key, with fnwatch's {@code late.grace.ms} as its grace, so that
     * both keep the same out-of-order records (without one it dropped, and logged, each record a little late).
     * Its store keeps a year so that it is one RocksDB segment: with the default retention (the window size
     * and grace) a new segment, a whole RocksDB instance, is opened for every minute of event time, which live
     * is once a minute but here, with days replayed in seconds, was most of its time.
     */
    static Topology windowedCount(FnwatchConfig c) {
        Duration grace = Duration.ofMillis(c.longValue(FnwatchConfig.LATE_GRACE_MS));
        StreamsBuilder b = new StreamsBuilder();
        b.stream(c.string(FnwatchConfig.TOPIC_RAW), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), grace))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>with(Serdes.String(), Serdes.Long())
                        .withRetention(Duration.ofDays(400)));
        return b.build();
    }

    /**
     * Seconds the full fnwatch topology, with the service's settings (exactly-once), takes from RUNNING to
     * its last committed offset on the raw topic of {@code c}, under a fresh application id.
     */
    static double fnwatchRound(FnwatchConfig c, DetectorConfig detectors) {
        return fnwatchRound(c, detectors, new long[1]);
    }

    /** As above, adding the stream threads' CPU nanoseconds of the round to {@code streamThreadCpu[0]}. */
    static double fnwatchRound(FnwatchConfig c, DetectorConfig detectors, long[] streamThreadCpu) {
        BenchStreams.Round r =
                BenchStreams.measuredRound(c, FnwatchTopology.build(c, detectors), "bench-fnwatch-", null);
        streamThreadCpu[0] += r.streamThreadCpuNanos();
        return r.seconds();
    }
}
