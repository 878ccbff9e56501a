package io.fnwatch.cli;

import io.fnwatch.backtest.BacktestInput;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.CatchUp;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TempFolders;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.Json;
import io.fnwatch.parse.SourceHints;
import io.fnwatch.service.FnwatchService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start an embedded broker and the service, replay sample logs, print the alerts, exit "
                + "(with --serve: then serve the console until Ctrl-C).")
final class DemoCommand implements Callable<Integer> {

    private final AlertFormat format = new AlertFormat();
    /** Counted down once the demo has closed the service and deleted its state (a Ctrl-C waits for it). */
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    @Mixin
    CommonOptions common;

    @Option(
            names = "--logs",
            paramLabel = "DIR",
            defaultValue = "sample-logs",
            description = "Logs to replay (default: ${DEFAULT-VALUE}).")
    Path logs;

    @Option(names = "--json", description = "Print alerts as JSON lines instead of readable lines.")
    boolean json;

    @Option(
            names = "--serve",
            description = "After the replay, print the console's URL and a sign-in key for tenant 'default', "
                    + "and keep serving until Ctrl-C.")
    boolean serve;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Give up if processing takes longer than this.")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path state = TempFolders.create("fnwatch-state-");
        try {
            return demo(state);
        } finally {
            TempFolders.delete(state);
            closed.countDown();
        }
    }

    private int demo(Path state) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Map<String, String> defaults = new java.util.HashMap<>(Map.of(
                FnwatchConfig.APPLICATION_ID, "fnwatch-demo",
                FnwatchConfig.STATE_DIR, state.toString(),
                FnwatchConfig.RAW_RETENTION_MS, "-1",
                // one partition: the records are processed in the event-time order they are sent in, so the
                // account's concurrency sums its functions' slices in order, and the alerts print in that order
                FnwatchConfig.PARTITIONS, "1",
                // free ports: a demo must not collide with a `run` on the same machine
                OpsSettings.HTTP_PORT, "0",
                OpsSettings.INTERNAL_PORT, "0"));
        String key = serve ? demoKey(state, defaults) : null;
        FnwatchConfig config = common.load(defaults);
        DetectorConfig detectors = CommonOptions.detectors(config);
        List<Path> files = FileReplayer.files(List.of(logs));
        err.println("fnwatch demo: starting an embedded Kafka broker and the service...");
        FnwatchService.Started started = FnwatchService.startBroker(config, true);
        try (FnwatchService service = FnwatchService.start(started, detectors, Duration.ofMinutes(2))) {
            FnwatchConfig c = service.config();
            err.println("Kafka bootstrap servers: " + c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
            err.println("metrics and health: http://127.0.0.1:" + service.internalPort() + "/metrics");
            Map<String, Integer> alertsByType = new TreeMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread printer = new Thread(
                    () -> {
                        try (TopicReader reader = new TopicReader(c, c.string(FnwatchConfig.TOPIC_ALERTS))) {
                            reader.follow(r -> print(Json.read(r.value(), Alert.class), alertsByType, out), stop::get);
                            reader.readToEnd(r -> print(Json.read(r.value(), Alert.class), alertsByType, out));
                        }
                    },
                    "alert-printer");
            printer.start();
            err.printf("replaying %d file(s) from %s%n", files.size(), logs);
            FileReplayer.Result sent = replayInTimeOrder(c, files, n -> err.printf("  replayed %,d records%n", n));
            err.println("waiting for the service to process everything...");
            boolean done = CatchUp.await(c, Duration.ofSeconds(timeoutSeconds), () -> {});
            stop.set(true);
            printer.join();
            if (!done) {
                err.println("fnwatch demo: processing did not finish within " + timeoutSeconds + " s");
                return 1;
            }
            summary(c, sent, alertsByType, out);
            if (serve) {
                serve(service, key, out);
            }
        }
        return 0;
    }

    /** A fresh key for tenant {@code default}, in a keys file in the demo's state folder that the console reads. */
    private static String demoKey(Path state, Map<String, String> settings) throws IOException {
        String key = io.fnwatch.auth.KeysFile.newKey();
        Path file = state.resolve("demo-keys.yaml");
        io.fnwatch.auth.KeysFile.write(
                file,
                List.of(new io.fnwatch.auth.TenantKey(
                        "demo", io.fnwatch.auth.KeysFile.sha256Hex(key), "default", List.of(), false)));
        settings.put(OpsSettings.KEYS_FILE, file.toString());
        return key;
    }

    /** Serves the console until Ctrl-C (the JVM's shutdown hook lets this thread close the service first). */
    private void serve(FnwatchService service, String key, PrintStream out) throws InterruptedException {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "fnwatch-demo-stop"));
        out.println();
        out.println("Console: http://127.0.0.1:" + service.apiPort() + "/ui/");
        out.println("Sign in with the key: " + key);
        out.println("(tenant 'default'; the key lasts as long as this demo). Ctrl-C to stop.");
        out.flush();
        stop.await();
    }

    /**
     * Sends the records of {@code files} keyed and stamped as {@code replay} does, but in event-time order across
     * the files, as the logs of many functions arrive live (and as {@code backtest} reads them): the account's
     * concurrency sums its functions' slices as they close, and slices that come after the account's clock has
     * moved past them (file after file, one function's three days after another's) would be dropped as late.
     */
    private static FileReplayer.Result replayInTimeOrder(FnwatchConfig c, List<Path> files, LongConsumer progress)
            throws IOException, InterruptedException {
        List<BacktestInput.Stamped> records = BacktestInput.load(
                        files, c.parserSettings(), SourceHints.NONE, null, null)
                .records();
        String topic = c.string(FnwatchConfig.TOPIC_RAW);
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
            Future<RecordMetadata> last = null;
            for (int i = 0; i < records.size(); i++) {
                BacktestInput.Stamped r = records.get(i);
                // a file with no readable time at all is stamped 0 for the sort; sent now, as replay sends it,
                // so that its dead letters are not older than every topic's retention
                Long time = r.timestamp() > 0 ? r.timestamp() : null;
                last = producer.send(new ProducerRecord<>(topic, null, time, r.key(), r.value()));
                bytes += r.value().length;
                if ((i + 1) % 10_000 == 0) {
                    progress.accept(i + 1);
                }
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (ExecutionException e) {
            throw new IOException(
                    "Kafka did not accept the records: " + e.getCause().getMessage(), e.getCause());
        }
        progress.accept(records.size());
        return new FileReplayer.Result(records.size(), bytes, files);
    }

    private void print(Alert a, Map<String, Integer> byType, PrintStream out) {
        synchronized (byType) {
            byType.merge(a.type() + " " + a.state(), 1, Integer::sum);
        }
        out.println(json ? Json.string(a) : format.line(a));
    }

    private static void summary(
            FnwatchConfig c, FileReplayer.Result sent, Map<String, Integer> alerts, PrintStream out) {
        Map<String, Integer> dead = new TreeMap<>();
        try (TopicReader reader = new TopicReader(c, c.string(FnwatchConfig.TOPIC_DEAD_LETTERS))) {
            reader.readToEnd(
                    r -> dead.merge(Json.read(r.value(), DeadLetter.class).reason(), 1, Integer::sum));
        }
        out.println();
        out.println("Summary");
        out.printf(
                "  records read:   %,d (%,d bytes from %d files)%n",
                sent.records(), sent.bytes(), sent.files().size());
        out.printf(
                "  dead letters:   %,d %s%n",
                dead.values().stream().mapToInt(Integer::intValue).sum(), dead.isEmpty() ? "" : dead);
        out.printf(
                "  alerts:         %,d%n",
                alerts.values().stream().mapToInt(Integer::intValue).sum());
        alerts.forEach((type, n) -> out.printf("    %-32s %d%n", type, n));
    }
}
