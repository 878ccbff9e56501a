package io.fnwatch.cli;

import io.fnwatch.bench.ParseBench;
import io.fnwatch.bench.StateBench;
import io.fnwatch.model.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks (see docs/benchmarks.md).",
        subcommands = {
            BenchCommand.Parse.class,
            BenchCommand.State.class,
            BenchCommand.History.class,
            BenchCommand.Nab.class,
            BenchCommand.Fleet.class,
            BenchCommand.Throughput.class,
            BenchCommand.Latency.class,
            BenchCommand.Masking.class,
            BenchCommand.Adversarial.class,
            BenchCommand.NotifyDelivery.class,
            BenchCommand.Pullers.class
        })
final class BenchCommand {

    /** A bench that needs Kafka: given the config that reaches the broker, returns its results. */
    private interface OnBroker {
        Map<String, Object> run(io.fnwatch.config.FnwatchConfig config) throws Exception;
    }

    /**
     * Runs {@code bench} against a temporary embedded broker (or {@code bootstrap.servers}, when set), then
     * prints its JSON line: {@code {"bench": name, ...labels, "results": ...}}.
     */
    private static int onBroker(
            io.fnwatch.config.FnwatchConfig config, String name, Map<String, Object> labels, OnBroker bench)
            throws Exception {
        var started = io.fnwatch.service.FnwatchService.startBroker(config, true);
        try {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("bench", name);
            json.putAll(labels);
            json.put("results", bench.run(started.config()));
            System.out.println(Json.string(json));
            return 0;
        } finally {
            if (started.broker() != null) {
                started.broker().close();
            }
        }
    }

    @Command(
            name = "parse",
            mixinStandardHelpOptions = true,
            description = "Single-thread parse throughput against plain jackson-databind tree parsing.")
    static final class Parse implements Callable<Integer> {

        @Option(names = "--events", defaultValue = "200000", description = "Events per input mix.")
        int events;

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds (median reported).")
        int rounds;

        @Override
        public Integer call() {
            Map<String, Object> result = new ParseBench().run(events, rounds, System.out);
            System.out.println(Json.string(Map.of("bench", "parse", "results", result)));
            return 0;
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Bytes the console's per-minute history keeps per function-hour, after log files.")
    static final class History implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "FILE", description = "Log files or folders.")
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            var config = common.load(Map.of());
            var inputs = files.isEmpty() ? java.util.List.of(java.nio.file.Path.of("sample-logs")) : files;
            Map<String, Object> result = new io.fnwatch.bench.HistoryBench()
                    .run(inputs, config, CommonOptions.detectors(config), System.out);
            System.out.println(Json.string(Map.of("bench", "history", "results", result)));
            return 0;
        }
    }

    @Command(
            name = "state",
            mixinStandardHelpOptions = true,
            description = {
                "Serialized detector state per function after replaying log files (default sample-logs);",
                "with --functions, the running service's state, heap and RocksDB size for that many functions."
            })
    static final class State implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "FILE", description = "Log files or folders.")
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();

        @Option(
                names = "--functions",
                split = ",",
                paramLabel = "N",
                description = "Scale mode: distinct functions, comma-separated counts (e.g. 100000,1000000).")
        java.util.List<Integer> functions = new java.util.ArrayList<>();

        @Option(
                names = "--invocations",
                defaultValue = "2",
                description = "Scale mode: invocations per function, 2 records each (default ${DEFAULT-VALUE}).")
        int invocations;

        @Option(
                names = "--partitions",
                defaultValue = "3",
                description = "Scale mode: partitions (default ${DEFAULT-VALUE}).")
        int partitions;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!functions.isEmpty()) {
                return scale();
            }
            var config = common.load(Map.of());
            var inputs = files.isEmpty() ? java.util.List.of(java.nio.file.Path.of("sample-logs")) : files;
            Map<String, Object> result = new StateBench().run(inputs, CommonOptions.detectors(config), System.out);
            System.out.println(Json.string(Map.of("bench", "state", "results", result)));
            return 0;
        }

        private Integer scale() throws Exception {
            if (!files.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "give either FILE... or --functions, not both");
            }
            if (functions.stream().anyMatch(n -> n < 1) || invocations < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--functions and --invocations must be at least 1");
            }
            var config = common.load(Map.of(io.fnwatch.config.FnwatchConfig.EMBEDDED_PORT, "0"));
            var detectors = CommonOptions.detectors(config);
            return onBroker(
                    config,
                    "state",
                    Map.of("mode", "scale"),
                    c -> new io.fnwatch.bench.StateScaleBench(c, detectors, System.out)
                            .run(functions, invocations, partitions));
        }
    }

    @Command(
            name = "nab",
            mixinStandardHelpOptions = true,
            description = "Run fnwatch's metric model over a NAB-layout folder, write results CSVs, print NAB scores.")
    static final class Nab implements Callable<Integer> {

        @Option(
                names = "--data",
                required = true,
                paramLabel = "DIR",
                description = "Folder in NAB's layout (data/, labels/combined_windows.json, config/profiles.json).")
        java.nio.file.Path data;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results CSVs go.")
        java.nio.file.Path out;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> result = new io.fnwatch.bench.nab.NabBench()
                    .run(data, out, io.fnwatch.detect.MetricAnomalyModel.Settings.DEFAULTS, System.out);
            System.out.println(Json.string(Map.of("bench", "nab", "scores", result)));
            return 0;
        }
    }

    @Command(
            name = "fleet",
            mixinStandardHelpOptions = true,
            description = "Generate a labelled serverless fleet, backtest it, print detection quality per alert type.")
    static final class Fleet implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--functions", defaultValue = "200", description = "Functions (default ${DEFAULT-VALUE}).")
        int functions;

        @Option(names = "--days", defaultValue = "28", description = "Days of logs (default ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--max-rate",
                defaultValue = "5",
                description =
                        "Highest invocations a minute of the mixed functions; the dedicated classes keep their own rates (default ${DEFAULT-VALUE}).")
        double maxRate;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where logs, labels and alerts go.")
        java.nio.file.Path out;

        @Override
        public Integer call() throws Exception {
            var config = common.load(Map.of());
            Map<String, Object> result = new io.fnwatch.bench.fleet.FleetBench()
                    .run(functions, days, seed, maxRate, out, config, CommonOptions.detectors(config), System.out);
            System.out.println(Json.string(
                    Map.of("bench", "fleet", "functions", functions, "days", days, "seed", seed, "results", result)));
            return 0;
        }
    }

    @Command(
            name = "throughput",
            mixinStandardHelpOptions = true,
            description = "Raw consumer vs Kafka Streams windowed count vs fnwatch, on the same pre-filled topic.")
    static final class Throughput implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(names = "--functions", defaultValue = "1000", description = "Functions (default ${DEFAULT-VALUE}).")
        int functions;

        @Option(
                names = "--events",
                defaultValue = "2500000",
                paramLabel = "N",
                description = "Records to pre-fill, all functions in event-time order (default ${DEFAULT-VALUE}).")
        long events;

        @Option(
                names = "--max-rate",
                defaultValue = "10",
                description = "Busiest function's invocations a minute; 1,000 functions log about 2.5 M records a day.")
        double maxRate;

        @Option(names = "--partitions", defaultValue = "3", description = "Partitions (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--rounds",
                defaultValue = "5",
                description = "Rounds per contender, count and fnwatch in interleaved pairs; the median counts.")
        int rounds;

        @Option(
                names = "--warmup",
                defaultValue = "2",
                description = "Pairs run first and not counted, while the JIT compiles (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(
                names = "--threads",
                split = ",",
                paramLabel = "T",
                description = "Also run fnwatch with these numbers of stream threads (e.g. 2), for the scaling.")
        java.util.List<Integer> threads = new java.util.ArrayList<>();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (rounds < 1 || warmup < 0) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--rounds must be at least 1 and --warmup at least 0");
            }
            var config = common.load(Map.of(io.fnwatch.config.FnwatchConfig.EMBEDDED_PORT, "0"));
            return onBroker(
                    config,
                    "throughput",
                    Map.of(),
                    c -> new io.fnwatch.bench.ThroughputBench(c, System.out)
                            .run(events, functions, partitions, maxRate, rounds, warmup, threads));
        }
    }

    @Command(
            name = "latency",
            mixinStandardHelpOptions = true,
            description = "Delay from the record that completes an incident to its alert, under a steady load.")
    static final class Latency implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(
                names = "--rate",
                defaultValue = "0",
                paramLabel = "R",
                description = "Offered background records/s (default: half of the rate fnwatch sustains, measured).")
        double rate;

        @Option(
                names = "--incidents",
                defaultValue = "200",
                paramLabel = "N",
                description = "Incidents spread over the run (default ${DEFAULT-VALUE}).")
        int incidents;

        @Option(
                names = "--functions",
                defaultValue = "1000",
                paramLabel = "F",
                description = "Functions of the background load (default ${DEFAULT-VALUE}).")
        int functions;

        @Option(
                names = "--partitions",
                defaultValue = "3",
                paramLabel = "P",
                description = "Partitions (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--seconds",
                defaultValue = "60",
                paramLabel = "S",
                description = "Seconds of load, the first 5 without incidents (default ${DEFAULT-VALUE}).")
        int seconds;

        @Override
        public Integer call() throws Exception {
            var config = common.load(Map.of(io.fnwatch.config.FnwatchConfig.EMBEDDED_PORT, "0"));
            var detectors = CommonOptions.detectors(config);
            return onBroker(
                    config,
                    "latency",
                    Map.of(),
                    c -> new io.fnwatch.bench.LatencyBench(c, detectors, System.out)
                            .run(rate, incidents, functions, partitions, seconds));
        }
    }

    @Command(
            name = "masking",
            mixinStandardHelpOptions = true,
            description = "Recall on planted secrets of many kinds, false positives on sample-logs and benign lines.")
    static final class Masking implements Callable<Integer> {

        @Option(names = "--per-kind", defaultValue = "40", description = "Plants per kind (default ${DEFAULT-VALUE}).")
        int perKind;

        @Option(names = "--benign", defaultValue = "5000", description = "Benign lines (default ${DEFAULT-VALUE}).")
        int benign;

        @Option(names = "--seed", defaultValue = "13", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--sample-logs",
                defaultValue = "sample-logs",
                paramLabel = "DIR",
                description = "Real logs for the false-positive rate (default ${DEFAULT-VALUE}; skipped if absent).")
        java.nio.file.Path sampleLogs;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> result =
                    new io.fnwatch.bench.masking.MaskingBench().run(seed, perKind, sampleLogs, benign, System.out);
            System.out.println(Json.string(Map.of("bench", "masking", "results", result)));
            return 0;
        }
    }

    @Command(
            name = "adversarial",
            mixinStandardHelpOptions = true,
            description = "Hostile records through the parser: worst CPU per input KiB and heap per record, by class.")
    static final class Adversarial implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "Seed of the generated class (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            var settings = common.load(Map.of()).parserSettings();
            Map<String, Object> result = new io.fnwatch.bench.AdversarialBench(settings).run(seed, System.out);
            System.out.println(Json.string(Map.of("bench", "adversarial", "results", result)));
            return Boolean.TRUE.equals(result.get("met")) ? 0 : 1;
        }
    }

    @Command(
            name = "notify",
            mixinStandardHelpOptions = true,
            description = "Alerts delivered per second to a local signed-webhook receiver, and the delay from the "
                    + "alert's commit on the alerts topic to the receiver (p50, p99), per number of routes.")
    static final class NotifyDelivery implements Callable<Integer> {

        @Option(names = "--alerts", defaultValue = "2000", description = "Alerts written (default ${DEFAULT-VALUE}).")
        int alerts;

        @Option(
                names = "--routes",
                split = ",",
                defaultValue = "1,20",
                description = "Route counts, comma-separated; every alert matches every route (default "
                        + "${DEFAULT-VALUE}).")
        java.util.List<Integer> routes;

        @Option(
                names = "--rate",
                defaultValue = "0",
                description = "Alerts a second, one per transaction, for the delay at a steady rate below capacity;"
                        + " 0 writes them all at once (default ${DEFAULT-VALUE}).")
        double rate;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--rate must be 0 or a positive number of alerts a second");
            }
            var results = new io.fnwatch.bench.NotifyBench().run(alerts, routes, rate, System.err);
            System.out.println(Json.string(Map.of("bench", "notify", "results", results)));
            return 0;
        }
    }

    @Command(
            name = "pullers",
            mixinStandardHelpOptions = true,
            description = "Messages per second the Pub/Sub and Event Hubs pullers move into Kafka from a backlog on a "
                    + "local Pub/Sub server and a SASL/PLAIN listener standing in for Event Hubs.")
    static final class Pullers implements Callable<Integer> {

        @Option(
                names = "--messages",
                defaultValue = "50000",
                description = "Pub/Sub messages, one LogEntry each; 0 skips Pub/Sub (default ${DEFAULT-VALUE}).")
        int messages;

        @Option(
                names = "--events",
                defaultValue = "10000",
                description = "Event Hubs events of 20 records each; 0 skips Event Hubs (default ${DEFAULT-VALUE}).")
        int events;

        @Option(
                names = "--max-outstanding",
                defaultValue = "1000",
                description = "pubsub.max.outstanding.messages of the Pub/Sub run (default ${DEFAULT-VALUE}).")
        long maxOutstanding;

        @Override
        public Integer call() throws Exception {
            var results = new io.fnwatch.bench.PullersBench(maxOutstanding).run(messages, events, System.err);
            System.out.println(Json.string(Map.of("bench", "pullers", "results", results)));
            return 0;
        }
    }
}
