package io.fnwatch.bench;

import io.fnwatch.bench.fleet.FleetBench;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.topology.FnwatchTopology;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * {@code bench throughput}: pre-fills a raw topic with fleet logs, then measures, in the same run and from
 * first to last record, (a) a raw KafkaConsumer reading it, (b) the plain Kafka Streams one-minute windowed
 * count per key a user would otherwise write, and (c) the full fnwatch topology with its production settings
 * (exactly-once, all detectors, alerts, dead letters). Each is run {@code rounds} times; the median counts.
 */
public final class ThroughputBench {

    private final FnwatchConfig base;
    private final PrintStream log;

    public ThroughputBench(FnwatchConfig base, PrintStream log) {
        this.base = base;
        this.log = log;
    }

    public Map<String, Object> run(int functions, int partitions, double maxRate, int rounds) throws Exception {
        return run(functions, partitions, maxRate, rounds, List.of());
    }

    /**
     * As {@link #run(int, int, double, int)}, then fnwatch again with each of {@code moreThreads} stream
     * threads (same instance, same partitions): the scaling within one machine.
     */
    public Map<String, Object> run(int functions, int partitions, double maxRate, int rounds,
            List<Integer> moreThreads) throws Exception {
        Path logs = TempFolders.create("fnwatch-bench-logs-");
        FnwatchConfig c = base.with(FnwatchConfig.PARTITIONS, partitions)
                .with(FnwatchConfig.TOPIC_RAW, "bench-logs-raw").with(FnwatchConfig.RAW_RETENTION_MS, -1L);
        long lines = FleetBench.writeLogs(functions, 1, 7, maxRate, logs, new ArrayList<>());
        TopicAdmin.ensure(c);
        long n = new FileReplayer(KafkaClients.producer(c), c.string(FnwatchConfig.TOPIC_RAW), c.parserSettings())
                .replay(List.of(logs), x -> { }).records();
        TempFolders.delete(logs);
        log.printf("pre-filled %,d records (%,d lines of %d functions) into %d partitions%n", n, lines, functions,
                partitions);
        double raw = median(rounds, () -> rawConsumer(c, n));
        double counted = median(rounds,
                () -> BenchStreams.timedRound(c, windowedCount(c), "bench-count-", "at_least_once"));
        long cpuBefore = cpu();
        long[] streamThreadCpu = new long[1];
        DetectorConfig detectors = DetectorConfig.load(null, c.longValue(FnwatchConfig.LATE_GRACE_MS));
        double fnwatch = median(rounds, () -> fnwatchRound(c, detectors, streamThreadCpu));
        double cpuPerEvent = (cpu() - cpuBefore) / 1000.0 / (rounds * (double) n);
        double streamThreadCpuPerEvent = streamThreadCpu[0] / 1000.0 / (rounds * (double) n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", n);
        r.put("eventsPerSecond", Math.round(n / fnwatch));
        r.put("rawConsumerPerSecond", Math.round(n / raw));
        r.put("windowedCountPerSecond", Math.round(n / counted));
        r.put("ratioToRawConsumer", Math.round(raw / fnwatch * 100) / 100.0);
        r.put("ratioToWindowedCount", Math.round(counted / fnwatch * 100) / 100.0);
        r.put("cpuMicrosPerEvent", Math.round(cpuPerEvent * 100) / 100.0);
        r.put("streamThreadCpuMicrosPerEvent", Math.round(streamThreadCpuPerEvent * 100) / 100.0);
        log.printf("%-44s %,12d records/s%n%-44s %,12d records/s%n%-44s %,12d records/s%n", "raw KafkaConsumer",
                r.get("rawConsumerPerSecond"), "Kafka Streams 1-min windowed count", r.get("windowedCountPerSecond"),
                "fnwatch (exactly-once, all detectors), " + c.integer(FnwatchConfig.STREAM_THREADS) + " thread(s)",
                r.get("eventsPerSecond"));
        log.printf("CPU per record: %.2f µs in the stream threads, %.2f µs for the whole process (with the broker)%n",
                streamThreadCpuPerEvent, cpuPerEvent);
        Map<String, Object> byThreads = new LinkedHashMap<>();
        byThreads.put(String.valueOf(c.integer(FnwatchConfig.STREAM_THREADS)), r.get("eventsPerSecond"));
        for (int threads : moreThreads) {
            FnwatchConfig t = c.with(FnwatchConfig.STREAM_THREADS, threads);
            double s = median(rounds, () -> fnwatchRound(t, detectors));
            byThreads.put(String.valueOf(threads), Math.round(n / s));
            log.printf("%-44s %,12d records/s (%.2fx)%n", "fnwatch, " + threads + " stream thread(s)",
                    Math.round(n / s), fnwatch / s);
        }
        if (!moreThreads.isEmpty()) {
            r.put("eventsPerSecondByStreamThreads", byThreads);
        }
        return r;
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
        Arrays.sort(s);
        return s[rounds / 2];
    }

    private double rawConsumer(FnwatchConfig c, long n) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(c, null))) {
            List<TopicPartition> parts = consumer.partitionsFor(c.string(FnwatchConfig.TOPIC_RAW)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
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

    private static Topology windowedCount(FnwatchConfig c) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(c.string(FnwatchConfig.TOPIC_RAW), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1))).count();
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
        BenchStreams.Round r = BenchStreams.measuredRound(c, FnwatchTopology.build(c, detectors), "bench-fnwatch-",
                null);
        streamThreadCpu[0] += r.streamThreadCpuNanos();
        return r.seconds();
    }
}
