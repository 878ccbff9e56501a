package io.fnwatch.bench;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.parse.LogParser;
import io.fnwatch.topology.FnwatchTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code bench state --functions N,...}: what N functions cost the running service. For each N, a raw topic
 * gets a few records of each of N distinct functions ({@link ScaleFleet}); the real topology (exactly-once,
 * RocksDB in a state folder) processes it until caught up; then the detector state is read back through an
 * interactive query and measured per detector part, the heap is measured after a full GC with the service
 * still running, and the client is closed (its stores flushed) to measure RocksDB's files on disk.
 */
public final class StateScaleBench {

    private final FnwatchConfig base;
    private final DetectorConfig detectors;
    private final PrintStream log;

    public StateScaleBench(FnwatchConfig base, DetectorConfig detectors, PrintStream log) {
        this.base = base;
        this.detectors = detectors;
        this.log = log;
    }

    public Map<String, Object> run(List<Integer> counts, int invocations, int partitions) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        for (int n : counts) {
            results.put(String.valueOf(n), one(n, invocations, partitions));
        }
        print(results);
        return results;
    }

    private Map<String, Object> one(int functions, int invocations, int partitions) throws Exception {
        String prefix = "bench-state-" + functions + "-";
        FnwatchConfig c = base.with(FnwatchConfig.PARTITIONS, partitions)
                .with(FnwatchConfig.RAW_RETENTION_MS, -1L)
                .with(FnwatchConfig.RAW_RETENTION_BYTES, -1L)
                .with(FnwatchConfig.TOPIC_RAW, prefix + "raw")
                .with(FnwatchConfig.TOPIC_ALERTS, prefix + "alerts")
                .with(FnwatchConfig.TOPIC_EVENTS, prefix + "events")
                .with(FnwatchConfig.TOPIC_DEAD_LETTERS, prefix + "dead-letters")
                .with(FnwatchConfig.TOPIC_INVENTORY, prefix + "inventory");
        TopicAdmin.ensure(c);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("functions", functions);
        long produceStart = System.nanoTime();
        long records = prefill(c, functions, invocations);
        r.put("records", records);
        r.put("recordsPerFunction", Math.round(records * 100.0 / functions) / 100.0);
        log.printf(
                Locale.ROOT,
                "%,d functions: pre-filled %,d records in %.0f s; running fnwatch%n",
                functions,
                records,
                (System.nanoTime() - produceStart) / 1e9);
        long heapBefore = heapAfterGc();
        r.put("heapBeforeMb", mb(heapBefore));
        r.put("completed", false);
        try (BenchStreams s = BenchStreams.start(c, FnwatchTopology.build(c, detectors), prefix, null)) {
            double secs = s.secondsToCatchUp(Duration.ofHours(2));
            r.put("seconds", Math.round(secs * 10) / 10.0);
            r.put("recordsPerSecond", Math.round(records / secs));
            r.put("state", stateSizes(s));
            long heap = heapAfterGc();
            r.put("heapAfterGcMb", mb(heap));
            r.put("heapOfStreamsMb", mb(heap - heapBefore));
            r.put("processRssMb", mb(rss()));
            s.stop();
            r.put("rocksDbMb", mb(rocksDbBytes(s.stateDir())));
            r.put("completed", true);
        } catch (OutOfMemoryError | IllegalStateException e) {
            r.put("error", e.toString());
            log.printf("%,d functions did not complete: %s%n", functions, e);
        } finally {
            deleteTopics(c, prefix);
        }
        return r;
    }

    /** Sends the functions' records through one producer, round after round, never holding them in memory. */
    private long prefill(FnwatchConfig c, int functions, int invocations) throws IOException {
        String topic = c.string(FnwatchConfig.TOPIC_RAW);
        LogParser parser = new LogParser(c.parserSettings());
        ScaleFleet fleet = new ScaleFleet(functions, invocations);
        SendFailures failures = new SendFailures();
        long[] sent = {0};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
            fleet.forEach(line -> {
                producer.send(RawRecords.of(topic, line, parser.parse(line)), failures);
                if (++sent[0] % 1_000_000 == 0) {
                    log.printf("  pre-filled %,d records%n", sent[0]);
                }
            });
            producer.flush();
        }
        failures.check();
        return sent[0];
    }

    /** Serialized state per function, read back through an interactive query: mean and max per part. */
    private Map<String, Object> stateSizes(BenchStreams s) {
        ReadOnlyKeyValueStore<String, byte[]> store = s.streams()
                .store(StoreQueryParameters.fromNameAndType(
                        FnwatchTopology.STATE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        Map<String, long[]> parts = new LinkedHashMap<>(); // registry order, total last, as sizes() gives them
        long n = 0;
        long keyBytes = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                n++;
                keyBytes += kv.key.length();
                FunctionState.fromBytes(kv.value).sizes().forEach((part, bytes) -> add(parts, part, bytes));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("functionsInStore", n);
        out.put("meanKeyBytes", n == 0 ? 0 : Math.round((double) keyBytes / n));
        long count = n;
        parts.forEach((part, t) -> out.put(
                part,
                Map.of(
                        "meanBytes",
                        count == 0 ? 0 : Math.round((double) t[0] / count),
                        "maxBytes",
                        t[1],
                        "totalMb",
                        mb(t[0]))));
        return out;
    }

    private static void add(Map<String, long[]> parts, String part, long bytes) {
        long[] t = parts.computeIfAbsent(part, p -> new long[2]);
        t[0] += bytes;
        t[1] = Math.max(t[1], bytes);
    }

    /** Heap in use after a full collection (System.gc() is one under G1 unless told otherwise). */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident memory of the whole process (heap, RocksDB's native memory, the broker), or -1 off Linux. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** Bytes of every file below a {@code rocksdb} folder of the state folder. */
    static long rocksDbBytes(Path stateDir) {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> stateDir.relativize(p).toString().contains("rocksdb"))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes this count's topics, its changelog included, to give the disk back before the next count. */
    private static void deleteTopics(FnwatchConfig c, String prefix) {
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            var names = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix))
                    .toList();
            admin.deleteTopics(names).all().get();
        } catch (Exception e) {
            // only disk space is at stake: the broker is temporary
        }
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> results) {
        log.printf(Locale.ROOT, "%n%-34s", "");
        results.keySet()
                .forEach(k -> log.printf(
                        Locale.ROOT, " %20s", String.format(Locale.ROOT, "%,d functions", Integer.parseInt(k))));
        log.println();
        row(results, "records", r -> String.format(Locale.ROOT, "%,d", r.get("records")));
        row(results, "completed", r -> String.valueOf(r.get("completed")));
        row(results, "seconds to catch up", r -> String.valueOf(r.getOrDefault("seconds", "-")));
        row(
                results,
                "records/s",
                r -> r.containsKey("recordsPerSecond")
                        ? String.format(Locale.ROOT, "%,d", r.get("recordsPerSecond"))
                        : "-");
        Map<String, Object> firstState = (Map<String, Object>) results.values().stream()
                .map(r -> ((Map<String, Object>) r).get("state"))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(Map.of());
        firstState.forEach((part, v) -> {
            if (v instanceof Map) {
                row(results, part + " mean/max B", r -> {
                    Map<String, Object> st = (Map<String, Object>) r.get("state");
                    Map<String, Object> f = st == null ? null : (Map<String, Object>) st.get(part);
                    return f == null ? "-" : f.get("meanBytes") + " / " + f.get("maxBytes");
                });
            }
        });
        row(results, "heap after GC (MB)", r -> String.valueOf(r.getOrDefault("heapAfterGcMb", "-")));
        row(results, "  added by fnwatch (MB)", r -> String.valueOf(r.getOrDefault("heapOfStreamsMb", "-")));
        row(results, "process RSS (MB)", r -> String.valueOf(r.getOrDefault("processRssMb", "-")));
        row(results, "RocksDB on disk (MB)", r -> String.valueOf(r.getOrDefault("rocksDbMb", "-")));
    }

    @SuppressWarnings("unchecked")
    private void row(
            Map<String, Object> results, String name, java.util.function.Function<Map<String, Object>, String> f) {
        log.printf(Locale.ROOT, "%-34s", name);
        results.values().forEach(r -> log.printf(Locale.ROOT, " %20s", f.apply((Map<String, Object>) r)));
        log.println();
    }
}
