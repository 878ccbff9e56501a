package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.FreePorts;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Runs the service in child JVMs over one deterministic input (sample-logs/ plus a generated fleet with
 * poison records) in a fresh namespace per run — its own application id, topics and state directories —
 * and reads back what it committed. Kill points are chosen from a seed: once the committed input passes a
 * drawn fraction, the harness waits for the next alert to be written (so the kill lands inside an open
 * transaction, or between an alert and its commit under at-least-once) and then sends SIGKILL.
 */
final class CrashHarness {

    static final String TENANT_KEY = "crash-test-key";
    static final String OTHER_TENANT_KEY = "other-tenant-key";
    static final Duration STEP = Duration.ofMinutes(4);
    private static final int FUNCTIONS = 80;
    private static final int MINUTES = 300;
    private static Path fleet;
    private static FleetLogs.Written written;
    private static RunOutput reference;

    private final String bootstrap;
    private final Path dir;

    CrashHarness(String bootstrap, Path dir) {
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    /** The generated fleet, written once per JVM (every run and test class reads the same bytes). */
    static synchronized List<Path> input() throws IOException {
        if (fleet == null) {
            Path file = Files.createTempFile("fnwatch-fleet-", ".jsonl");
            file.toFile().deleteOnExit();
            written = new FleetLogs(20260310L, FUNCTIONS, MINUTES).write(file);
            fleet = file;
        }
        return List.of(Path.of("sample-logs"), fleet);
    }

    /** The poison records the generated fleet holds. */
    static synchronized FleetLogs.Written written() throws IOException {
        input();
        return written;
    }

    /** The uninterrupted run every crash run is compared with: computed once per JVM, on this harness's broker. */
    static synchronized RunOutput reference(CrashHarness h) throws Exception {
        if (reference == null) {
            reference = h.run("reference", "exactly_once_v2", 0, 0).output();
        }
        return reference;
    }

    /** Settings of a run named {@code name}; the child JVM gets them as --set options. */
    Map<String, String> settings(String name, String guarantee) throws IOException {
        Path keys = dir.resolve("keys.json");
        Files.writeString(
                keys,
                "[{\"sha256\":\"" + io.fnwatch.auth.KeysFile.sha256Hex(TENANT_KEY)
                        + "\",\"tenant\":\"default\"},{\"sha256\":\""
                        + io.fnwatch.auth.KeysFile.sha256Hex(OTHER_TENANT_KEY)
                        + "\",\"tenant\":\"other\"}]");
        Map<String, String> s = new HashMap<>();
        s.put(FnwatchConfig.APPLICATION_ID, "fnwatch-" + name);
        for (String topic : List.of(
                FnwatchConfig.TOPIC_RAW,
                FnwatchConfig.TOPIC_EVENTS,
                FnwatchConfig.TOPIC_ALERTS,
                FnwatchConfig.TOPIC_DEAD_LETTERS,
                FnwatchConfig.TOPIC_INVENTORY)) {
            s.put(
                    topic,
                    name + "-"
                            + FnwatchConfig.DEF
                                    .configKeys()
                                    .get(topic)
                                    .defaultValue
                                    .toString()
                                    .replace("fnwatch-", ""));
        }
        s.put(FnwatchConfig.PROCESSING_GUARANTEE, guarantee);
        // a second between commits: a kill nearly always lands between an alert's write and its commit
        s.put(FnwatchConfig.COMMIT_INTERVAL_MS, "1000");
        s.put(FnwatchConfig.MAX_RECORD_BYTES, "65536");
        s.put(OpsSettings.KEYS_FILE, keys.toString());
        // a killed instance leaves the group after 6 s (the broker's minimum) instead of 45 s
        s.put("kafka.main.consumer.session.timeout.ms", "6000");
        s.put("kafka.main.consumer.heartbeat.interval.ms", "1000");
        // one record a poll: fnwatch reads the whole input in a second or two otherwise, and the drawn kill
        // points would all fall after its end; the results do not depend on the poll size
        s.put("kafka.main.consumer.max.poll.records", "1");
        return s;
    }

    /** A child's own state directory and free ports, added to a run's settings. */
    Map<String, String> instance(Map<String, String> run, String instance) throws IOException {
        Map<String, String> s = new HashMap<>(run);
        s.put(
                FnwatchConfig.STATE_DIR,
                dir.resolve(run.get(FnwatchConfig.APPLICATION_ID) + "-" + instance)
                        .toString());
        s.put(OpsSettings.HTTP_PORT, String.valueOf(freePort()));
        s.put(OpsSettings.INTERNAL_PORT, String.valueOf(freePort()));
        s.put(OpsSettings.RATE_PER_SECOND, "0"); // Await polls every 20 ms, more than one client's rate
        return s;
    }

    FnwatchConfig config(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.put(FnwatchConfig.BOOTSTRAP_SERVERS, bootstrap);
        s.keySet().removeIf(k -> k.startsWith("kafka."));
        return FnwatchConfig.of(s);
    }

    /** Creates the run's topics and writes the whole input to its raw topic; returns the records sent. */
    long replay(FnwatchConfig c) throws Exception {
        TopicAdmin.ensure(c);
        long sent = new FileReplayer(KafkaClients.producer(c), c.string(FnwatchConfig.TOPIC_RAW), c.parserSettings())
                .replay(input(), n -> {})
                .records();
        // the runs are compared with the reference alert by alert: an input the producer wrote twice or lost in
        // part (its retries after a broker error) must fail here, not as an alert that moved
        try (KafkaProbe probe = new KafkaProbe(c)) {
            assertThat(probe.writtenTo(c.string(FnwatchConfig.TOPIC_RAW)))
                    .as("records in the raw topic after replaying %d", sent)
                    .isEqualTo(sent);
        }
        return sent;
    }

    /** Child logs stay in target/ after the test, for a look when CI fails. */
    ServiceProcess start(Map<String, String> instance, String label) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "crash-logs"));
        return ServiceProcess.start(bootstrap, instance, logs.resolve(label + ".log"));
    }

    /** What a run with kills measured, for the assertions and the test report. */
    record Outcome(RunOutput output, long records, List<Long> killedAtCommitted, int killsInsideTransactions) {}

    /** Replays the input into a fresh namespace and runs one instance, killed {@code kills} times. */
    Outcome run(String name, String guarantee, int kills, long seed) throws Exception {
        Map<String, String> run = settings(name, guarantee);
        Map<String, String> instance = instance(run, "a");
        FnwatchConfig c = config(instance);
        long records = replay(c);
        List<Long> killedAt = new ArrayList<>();
        int afterAlert = 0;
        try (KafkaProbe probe = new KafkaProbe(c)) {
            ServiceProcess child = start(instance, name + "-0");
            try {
                long previous = -1;
                for (double point : killPoints(kills, seed)) {
                    ServiceProcess current = child;
                    long after = previous;
                    // past the drawn point, and at least one commit since the last kill, so every kill finds
                    // the service at a new place in the input
                    // (never beyond the end: a kill that came after the last record must not wait forever)
                    Await.until(
                            "committed input ≥ " + point,
                            STEP,
                            () -> !current.isAlive()
                                    || probe.committedInput()
                                            >= Math.min(records, Math.max(point * records, after + 1)),
                            current::tail);
                    afterAlert += killAfterNextAlert(probe, c, current) ? 1 : 0;
                    previous = probe.committedInput();
                    killedAt.add(previous);
                    child = start(instance, name + "-" + killedAt.size());
                }
                awaitDone(c, probe, child);
            } finally {
                child.close();
            }
        }
        return new Outcome(RunOutput.read(c), records, killedAt, afterAlert);
    }

    /** Waits for the next alert write (at most 10 s), then SIGKILL; true when an alert came first. */
    private static boolean killAfterNextAlert(KafkaProbe probe, FnwatchConfig c, ServiceProcess child)
            throws Exception {
        String alerts = c.string(FnwatchConfig.TOPIC_ALERTS);
        long written = probe.writtenTo(alerts);
        boolean alert = Await.within(Duration.ofSeconds(10), () -> probe.writtenTo(alerts) > written);
        child.kill();
        return alert;
    }

    /** Everything processed and committed, and no transaction left open on the topics a run's output is read from. */
    static void awaitDone(FnwatchConfig c, KafkaProbe probe, ServiceProcess child) throws Exception {
        awaitDone(c, probe, child::tail);
    }

    /**
     * Caught up is not enough: a killed instance's transaction stays open after the survivor has committed
     * everything. Under exactly_once_v2 the survivor writes with a transactional id of its own, so it does not
     * fence that transaction; the broker aborts it only once its transaction.timeout.ms (3 min in fnwatch, set to
     * 10 s by the tests that kill an instance for good) has passed, and its abort check runs every 10 s. Until
     * then a read_committed reader stops, on each partition that transaction wrote to, at its first record, and
     * misses what the survivor committed after it. Every topic {@link RunOutput#read} reads must therefore be
     * settled, not only the alerts.
     */
    static void awaitDone(FnwatchConfig c, KafkaProbe probe, Supplier<String> context) throws Exception {
        if (!CatchUp.await(c, STEP, () -> {})) {
            throw new AssertionError("the service did not catch up\n" + context.get());
        }
        for (String topic : RunOutput.topics(c)) {
            Await.until(
                    "no open transaction on " + topic,
                    Duration.ofMinutes(1),
                    () -> probe.settled(topic),
                    () -> openTransactions(probe) + "\n" + context.get());
        }
    }

    private static String openTransactions(KafkaProbe probe) {
        try {
            return "open transactions:\n" + probe.openTransactions();
        } catch (Exception e) {
            return "open transactions unknown: " + e;
        }
    }

    static double[] killPoints(int kills, long seed) {
        Random r = new Random(seed);
        double[] points = new double[kills];
        for (int i = 0; i < kills; i++) {
            // up to 70 %: each kill also waits for a new commit, which pushes later kills further on
            points[i] = 0.05 + 0.65 * r.nextDouble();
        }
        Arrays.sort(points);
        return points;
    }

    static int freePort() {
        return FreePorts.next();
    }
}
