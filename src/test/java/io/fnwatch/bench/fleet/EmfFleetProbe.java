package io.fnwatch.bench.fleet;

import io.fnwatch.backtest.Backtest;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A quick loop on the {@code emf-*} class of {@code bench fleet} alone (METRIC_ANOMALY only comes from it): draws the
 * fleet of {@code functions} for {@code seed} and {@code days}, writes only the emf-* functions' logs (each has its
 * own random stream, so they are the very logs of the whole fleet's run), backtests them with the production
 * topology and scores METRIC_ANOMALY with {@link FleetEvaluation}. With 200 functions that is the fleet's 10
 * emf-* functions (about 6 minutes on the shared machine instead of 14); a larger count draws more of them (the
 * first ones unchanged). Not a test: run it from the test classpath,
 * {@code java -cp target/test-classes:target/fnwatch.jar io.fnwatch.bench.fleet.EmfFleetProbe SEED DAYS FUNCTIONS [v]}
 * from the project folder (it reads {@code detectors/}).
 */
public final class EmfFleetProbe {
    public static void main(String[] a) throws Exception {
        long seed = Long.parseLong(a[0]);
        int days = Integer.parseInt(a[1]);
        int functions = Integer.parseInt(a[2]);
        boolean verbose = a.length > 3;
        Path dir = Files.createTempDirectory("emf");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<FleetFunction> fleet = new FleetGenerator(seed, days).draw(functions, 5);
        FleetWriter writer = new FleetWriter(seed + 1, days);
        List<PlantedIncident> planted = new ArrayList<>();
        int n = 0;
        for (FleetFunction f : fleet) {
            if (!f.name.startsWith("emf-")) continue;
            n++;
            writer.write(f, logs.resolve(f.name + ".jsonl.gz"));
            planted.addAll(f.incidents);
        }
        FnwatchConfig config = FnwatchConfig.load(null, Map.of(), Map.of());
        DetectorConfig det = DetectorConfig.load(Path.of("detectors"), config.longValue(FnwatchConfig.LATE_GRACE_MS));
        List<Alert> alerts = new ArrayList<>();
        Backtest.run(List.of(logs), config, det, null, null, alerts::add, x -> {});
        List<Alert> ma = alerts.stream()
                .filter(x -> x.type() == AlertType.METRIC_ANOMALY)
                .toList();
        List<PlantedIncident> mp = planted.stream()
                .filter(i -> i.type() == AlertType.METRIC_ANOMALY)
                .toList();
        for (FleetEvaluation.Row r : FleetEvaluation.evaluate(mp, ma, (double) n * days)) {
            if (r.type() != AlertType.METRIC_ANOMALY) continue;
            System.out.printf(
                    Locale.ROOT,
                    "seed %d emf %d: incidents %d detected %d alerts %d false %d recall %.3f precision %.3f delay p50 %.1f p90 %.1f%n",
                    seed,
                    n,
                    r.incidents(),
                    r.detected(),
                    r.alertIncidents(),
                    r.falseAlerts(),
                    r.recall(),
                    r.precision(),
                    r.medianDelayMin(),
                    r.p90DelayMin());
        }
        for (FleetEvaluation.ClassRow c : FleetEvaluation.classes(mp, ma)) {
            if (c.type() == AlertType.METRIC_ANOMALY)
                System.out.printf(Locale.ROOT, "  %s %d/%d%n", c.shape(), c.detected(), c.incidents());
        }
        // misses
        for (PlantedIncident i : mp) {
            boolean hit = ma.stream()
                    .anyMatch(x -> x.state() == AlertState.OPEN
                            && x.function().equals(i.function())
                            && x.windowStart().toEpochMilli() >= i.start() - 300_000
                            && x.windowStart().toEpochMilli() <= i.end() + 1_800_000);
            if (!hit || verbose)
                System.out.printf(
                        "  %s %s %s %s-%s%n",
                        hit ? "hit " : "MISS",
                        i.function(),
                        i.shape(),
                        java.time.Instant.ofEpochMilli(i.start()),
                        java.time.Instant.ofEpochMilli(i.end()));
        }
        if (verbose)
            for (Alert x : ma)
                if (x.state() == AlertState.OPEN)
                    System.out.printf("  open %s %s %s%n", x.function(), x.windowStart(), x.summary());
    }
}
