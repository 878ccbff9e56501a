package io.fnwatch.bench.fleet;

import io.fnwatch.backtest.Backtest;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.fnwatch.parse.SourceHints;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench fleet}: draws a labelled fleet, writes its logs, backtests them with the production topology
 * and prints, per alert type, incidents, detections, precision, recall, F1, detection delays (event time) and
 * false alerts per 1,000 function-days, a line for all types together, incidents, detections and delays per
 * class of planted incident (type and shape), and false alerts per class of functions (name prefix) and type. Same seed ⇒ same logs ⇒ same numbers.
 */
public final class FleetBench {

    public Map<String, Object> run(
            int functions,
            int days,
            long seed,
            double maxPerMinute,
            Path out,
            FnwatchConfig config,
            DetectorConfig detectors,
            PrintStream log)
            throws IOException, InterruptedException {
        Path logs = Files.createDirectories(out.resolve("logs"));
        List<PlantedIncident> planted = new ArrayList<>();
        long lines = writeLogs(functions, days, seed, maxPerMinute, logs, planted);
        Files.writeString(out.resolve("labels.json"), Json.string(planted));
        log.printf(
                "generated %,d log lines for %d functions over %d days, %d incidents planted%n",
                lines, functions, days, planted.size());
        List<Alert> alerts = new ArrayList<>();
        Backtest.run(
                List.of(logs),
                config,
                withReserved(detectors, functions, days, seed, maxPerMinute),
                SourceHints.NONE,
                null,
                null,
                alerts::add,
                n -> log.printf("  backtested %,d records%n", n),
                log::println);
        Files.write(
                out.resolve("alerts.ndjson"), alerts.stream().map(Json::string).toList());
        List<FleetEvaluation.Row> rows = FleetEvaluation.evaluate(planted, alerts, (double) functions * days);
        List<FleetEvaluation.ClassRow> classes = FleetEvaluation.classes(planted, alerts);
        FleetEvaluation.Total total = FleetEvaluation.total(rows, (double) functions * days);
        List<FleetEvaluation.FalseRow> falseAlerts = FleetEvaluation.falseAlerts(planted, alerts);
        print(rows, total, classes, falseAlerts, log);
        Map<String, Object> json = new LinkedHashMap<>();
        rows.forEach(r -> json.put(r.type().name(), r));
        json.put("all", total);
        json.put("classes", classes);
        json.put("falseAlertsByFunctions", falseAlerts);
        return json;
    }

    /** The detectors with each {@code reserved-*} function's reserved concurrency set, as its owner would. */
    static DetectorConfig withReserved(
            DetectorConfig detectors, int functions, int days, long seed, double maxPerMinute) {
        DetectorConfig out = detectors;
        for (FleetFunction f : new FleetGenerator(seed, days).draw(functions, maxPerMinute)) {
            if (f.reservedConcurrency > 0) {
                out = out.withOverride("concurrency", f.name, Map.of("reservedConcurrency", f.reservedConcurrency));
            }
        }
        return out;
    }

    /** Draws a fleet and writes its logs, one gzip file per function, into {@code dir}; returns the lines. */
    public static long writeLogs(
            int functions, int days, long seed, double maxPerMinute, Path dir, List<PlantedIncident> planted)
            throws IOException {
        List<FleetFunction> fleet = new FleetGenerator(seed, days).draw(functions, maxPerMinute);
        FleetWriter writer = new FleetWriter(seed + 1, days);
        long lines = 0;
        for (FleetFunction f : fleet) {
            lines += writer.write(f, dir.resolve(f.name + ".jsonl.gz"));
            planted.addAll(f.incidents);
        }
        return lines;
    }

    private static void print(
            List<FleetEvaluation.Row> rows,
            FleetEvaluation.Total total,
            List<FleetEvaluation.ClassRow> classes,
            List<FleetEvaluation.FalseRow> falseAlerts,
            PrintStream log) {
        log.printf(
                "%-26s %9s %8s %7s %9s %7s %7s %9s %9s %12s%n",
                "type",
                "incidents",
                "detected",
                "alerts",
                "precision",
                "recall",
                "F1",
                "delay p50",
                "delay p90",
                "false/1k f-d");
        for (FleetEvaluation.Row r : rows) {
            log.printf(
                    Locale.ROOT,
                    "%-26s %9d %8d %7d %9s %7s %7s %9s %9s %12.2f%n",
                    r.type(),
                    r.incidents(),
                    r.detected(),
                    r.alertIncidents(),
                    ratio(r.precision()),
                    ratio(r.recall()),
                    ratio(r.f1()),
                    minutes(r.medianDelayMin()),
                    minutes(r.p90DelayMin()),
                    r.falsePer1000FunctionDays());
        }
        log.printf(
                Locale.ROOT,
                "%-26s %9d %8d %7d %9s %7s %7s %9s %9s %12.2f%n",
                "all types",
                total.incidents(),
                total.detected(),
                total.alertIncidents(),
                ratio(total.precision()),
                ratio(total.recall()),
                "",
                "",
                "",
                total.falsePer1000FunctionDays());
        log.println();
        log.printf(
                "%-26s %-10s %9s %8s %7s %9s %9s%n",
                "class", "shape", "incidents", "detected", "recall", "delay p50", "delay p90");
        for (FleetEvaluation.ClassRow c : classes) {
            log.printf(
                    Locale.ROOT,
                    "%-26s %-10s %9d %8d %7s %9s %9s%n",
                    c.type(),
                    c.shape(),
                    c.incidents(),
                    c.detected(),
                    ratio(c.recall()),
                    minutes(c.medianDelayMin()),
                    minutes(c.p90DelayMin()));
        }
        log.println();
        log.printf("%-26s %-10s %12s%n", "false alerts", "functions", "false alerts");
        if (falseAlerts.isEmpty()) {
            log.printf("%-26s %-10s %12d%n", "(none)", "", 0);
        }
        for (FleetEvaluation.FalseRow f : falseAlerts) {
            log.printf("%-26s %-10s %12d%n", f.type(), f.functions(), f.falseAlerts());
        }
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String minutes(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1fm", value);
    }
}
