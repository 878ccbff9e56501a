package io.fnwatch.bench;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.model.AlertType;
import io.fnwatch.topology.FnwatchTopology;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench latency}: how long after the record that completes an incident is sent its alert can be read
 * from the alerts topic, with the full fnwatch topology (exactly-once, production settings) running under a
 * steady background load. The load is paced at a fixed offered rate in 1-ms slices; by default half of the
 * rate fnwatch sustains on this machine, measured first on a pre-filled topic as {@code bench throughput}
 * does. Incidents ({@link LatencyIncidents}) are spread evenly over the run after a warm-up; a
 * {@code read_committed} consumer matches each alert to its incident ({@link AlertLatencies}).
 */
public final class LatencyBench {

    static final int WARMUP_SECONDS = 5;
    static final long SUSTAIN_RECORDS = 500_000;
    private static final long COMPLETE_AFTER_NANOS = 100_000_000L;
    private static final long SLICE_NANOS = 1_000_000L;
    private static final String TOPICS = "bench-latency-";

    private final FnwatchConfig base;
    private final DetectorConfig detectors;
    private final PrintStream log;

    public LatencyBench(FnwatchConfig base, DetectorConfig detectors, PrintStream log) {
        this.base = base;
        this.detectors = detectors;
        this.log = log;
    }

    /** {@code rate} ≤ 0: half of the sustainable rate, measured first. */
    public Map<String, Object> run(double rate, int incidents, int functions, int partitions, int seconds)
            throws Exception {
        if (seconds < WARMUP_SECONDS + 2) {
            throw new IllegalArgumentException("--seconds must be at least " + (WARMUP_SECONDS + 2));
        }
        FnwatchConfig c = base.with(FnwatchConfig.PARTITIONS, partitions)
                .with(FnwatchConfig.RAW_RETENTION_MS, -1L)
                .with(FnwatchConfig.RAW_RETENTION_BYTES, -1L);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("functions", functions);
        r.put("partitions", partitions);
        r.put("seconds", seconds);
        double offered = rate;
        if (rate <= 0) {
            double sustainable = sustainable(c, functions);
            r.put("sustainablePerSecond", Math.round(sustainable));
            offered = sustainable / 2;
        }
        r.put("offeredPerSecond", Math.round(offered));
        measure(topics(c), offered, incidents, functions, seconds, r);
        print(r);
        return r;
    }

    private static FnwatchConfig topics(FnwatchConfig c) {
        return c.with(FnwatchConfig.TOPIC_RAW, TOPICS + "raw")
                .with(FnwatchConfig.TOPIC_ALERTS, TOPICS + "alerts")
                .with(FnwatchConfig.TOPIC_DEAD_LETTERS, TOPICS + "dead-letters")
                .with(FnwatchConfig.TOPIC_INVENTORY, TOPICS + "inventory")
                .with(FnwatchConfig.TOPIC_EVENTS, TOPICS + "events");
    }

    /** Records/s of the full topology over a pre-filled topic of the same background load. */
    private double sustainable(FnwatchConfig c, int functions) throws Exception {
        FnwatchConfig s = c.with(FnwatchConfig.TOPIC_RAW, TOPICS + "sustain");
        TopicAdmin.ensure(s);
        BackgroundLoad load = new BackgroundLoad(s.string(FnwatchConfig.TOPIC_RAW), functions, 1, s.parserSettings());
        SendFailures failures = new SendFailures();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(s))) {
            long t0 = System.currentTimeMillis() - SUSTAIN_RECORDS / 100; // 100 records an event-time millisecond
            for (long i = 0; i < SUSTAIN_RECORDS; i++) {
                producer.send(load.next(t0 + i / 100), failures);
            }
            producer.flush();
        }
        failures.check();
        double secs = ThroughputBench.fnwatchRound(s, detectors);
        double perSecond = SUSTAIN_RECORDS / secs;
        log.printf(
                Locale.ROOT,
                "sustainable: %,d pre-filled records in %.1f s = %,.0f records/s%n",
                SUSTAIN_RECORDS,
                secs,
                perSecond);
        return perSecond;
    }

    private void measure(FnwatchConfig c, double rate, int incidents, int functions, int seconds, Map<String, Object> r)
            throws Exception {
        TopicAdmin.ensure(c);
        AlertLatencies latencies = new AlertLatencies();
        AlertReader reader = new AlertReader(c, latencies);
        Thread readerThread = new Thread(reader, "bench-latency-alerts");
        readerThread.start();
        try (BenchStreams streams =
                BenchStreams.start(c, FnwatchTopology.build(c, detectors), "bench-latency-", null)) {
            reader.awaitReady();
            log.printf(
                    Locale.ROOT,
                    "fnwatch RUNNING; offering %,.0f records/s of %,d functions for %d s, %d incidents"
                            + " after a %d-s warm-up%n",
                    rate,
                    functions,
                    seconds,
                    incidents,
                    WARMUP_SECONDS);
            long cpu0 = cpu();
            long wall0 = System.nanoTime();
            Load load = produce(c, rate, incidents, functions, seconds, latencies, streams);
            long loadEnd = System.nanoTime();
            streams.secondsToCatchUp(Duration.ofMinutes(10));
            double drain = (System.nanoTime() - loadEnd) / 1e9;
            double cpuShare = (cpu() - cpu0)
                    / (double) (System.nanoTime() - wall0)
                    / Runtime.getRuntime().availableProcessors();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (latencies.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            reader.stop();
            readerThread.join();
            reader.check();
            results(load, latencies, drain, cpuShare, r);
        } finally {
            reader.stop();
        }
    }

    /** What the producer sent: background records and seconds, incidents completed, incident records. */
    private record Load(long background, double seconds, int incidents, long incidentRecords) {}

    /** An incident whose completing record is due at {@code at} (nanoTime). */
    private record Due(LatencyIncidents.Planned incident, long at) {}

    private Load produce(
            FnwatchConfig c,
            double rate,
            int incidents,
            int functions,
            int seconds,
            AlertLatencies latencies,
            BenchStreams streams)
            throws Exception {
        String topic = c.string(FnwatchConfig.TOPIC_RAW);
        BackgroundLoad load = new BackgroundLoad(topic, functions, 2, c.parserSettings());
        LatencyIncidents plans = new LatencyIncidents(detectors, c.parserSettings());
        ArrayDeque<Due> completions = new ArrayDeque<>();
        SendFailures failures = new SendFailures();
        long sent = 0;
        long incidentRecords = 0;
        int planned = 0;
        int completed = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long first = start + WARMUP_SECONDS * 1_000_000_000L;
        long span = (seconds - WARMUP_SECONDS - 1) * 1_000_000_000L;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
            for (long now = start; now < end; now = System.nanoTime()) {
                long due = (long) ((now - start) / 1e9 * rate);
                long ms = System.currentTimeMillis();
                for (; sent < due; sent++) {
                    producer.send(load.next(ms), failures);
                }
                while (planned < incidents && now >= first + span * planned / incidents) {
                    LatencyIncidents.Planned p = plans.plan(planned++, ms + COMPLETE_AFTER_NANOS / 1_000_000);
                    for (LatencyIncidents.Raw raw : p.buildUp()) {
                        producer.send(record(topic, p, raw), failures);
                    }
                    incidentRecords += p.buildUp().size() + 1;
                    completions.add(new Due(p, now + COMPLETE_AFTER_NANOS));
                }
                while (!completions.isEmpty() && now >= completions.peek().at()) {
                    LatencyIncidents.Planned p = completions.poll().incident();
                    latencies.sent(p.function(), p.type(), System.nanoTime());
                    producer.send(record(topic, p, p.completing()), failures);
                    completed++;
                }
                if ((sent & 0xFF) == 0) {
                    streams.checkAlive();
                }
                LockSupport.parkNanos(SLICE_NANOS);
            }
            producer.flush();
        }
        failures.check();
        return new Load(sent, (System.nanoTime() - start) / 1e9, completed, incidentRecords);
    }

    private static ProducerRecord<String, byte[]> record(
            String topic, LatencyIncidents.Planned p, LatencyIncidents.Raw raw) {
        return new ProducerRecord<>(topic, null, raw.timestamp(), p.key(), raw.value());
    }

    private static void results(
            Load load, AlertLatencies latencies, double drain, double cpuShare, Map<String, Object> r) {
        r.put("achievedPerSecond", Math.round(load.background() / load.seconds()));
        r.put("backgroundRecords", load.background());
        r.put("incidentRecords", load.incidentRecords());
        r.put("incidents", load.incidents());
        Map<AlertType, long[]> delays = latencies.delays();
        long[] all =
                delays.values().stream().flatMapToLong(java.util.Arrays::stream).toArray();
        r.put("detected", all.length);
        r.put("missed", latencies.pending());
        r.putAll(figures(all));
        Map<String, Object> byType = new LinkedHashMap<>();
        delays.forEach((t, d) -> byType.put(t.name(), figures(d)));
        r.put("byType", byType);
        r.put("repeatAlerts", latencies.repeats());
        r.put("earlyAlerts", latencies.earlyAlerts());
        r.put("backgroundAlerts", latencies.otherAlerts());
        r.put("drainSeconds", Math.round(drain * 10) / 10.0);
        r.put("processCpuShare", Math.round(cpuShare * 100) / 100.0);
    }

    private static Map<String, Object> figures(long[] nanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", nanos.length);
        m.put("p50Ms", ms(AlertLatencies.percentile(nanos, 0.50)));
        m.put("p99Ms", ms(AlertLatencies.percentile(nanos, 0.99)));
        m.put("maxMs", ms(AlertLatencies.percentile(nanos, 1.0)));
        return m;
    }

    private static double ms(double nanos) {
        return Double.isNaN(nanos) ? -1 : Math.round(nanos / 100_000.0) / 10.0;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> r) {
        log.println();
        if (r.containsKey("sustainablePerSecond")) {
            log.printf(
                    Locale.ROOT,
                    "sustainable rate (pre-filled topic)   %,12d records/s%n",
                    r.get("sustainablePerSecond"));
        }
        log.printf(Locale.ROOT, "offered rate                          %,12d records/s%n", r.get("offeredPerSecond"));
        log.printf(Locale.ROOT, "achieved rate                         %,12d records/s%n", r.get("achievedPerSecond"));
        log.printf(Locale.ROOT, "caught up after the load stopped      %12.1f s%n", r.get("drainSeconds"));
        log.printf(Locale.ROOT, "process CPU (share of all cores)      %12.2f%n", r.get("processCpuShare"));
        log.printf(Locale.ROOT, "%n%-26s %6s %9s %9s %9s%n", "incident", "count", "p50 ms", "p99 ms", "max ms");
        ((Map<String, Map<String, Object>>) r.get("byType")).forEach((t, f) -> row(t, f));
        row("all", r);
        log.printf(
                Locale.ROOT,
                "incidents %d, detected %d, missed %d; repeat alerts %d, early %d, background %d%n",
                r.get("incidents"),
                r.get("detected"),
                r.get("missed"),
                r.get("repeatAlerts"),
                r.get("earlyAlerts"),
                r.get("backgroundAlerts"));
    }

    private void row(String name, Map<String, Object> f) {
        log.printf(
                Locale.ROOT,
                "%-26s %6d %9.1f %9.1f %9.1f%n",
                name,
                f.get("count"),
                f.get("p50Ms"),
                f.get("p99Ms"),
                f.get("maxMs"));
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
