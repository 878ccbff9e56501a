package io.fnwatch.bench.fleet;

import io.fnwatch.backtest.Backtest;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A quick loop on {@code TRAFFIC_DROP} of {@code bench fleet}: draws the fleet of {@code functions} for {@code seed}
 * and {@code days}, writes only the functions whose name starts with one of {@code PREFIXES} (comma-separated,
 * e.g. {@code drop-,office-,fn-}; each function has its own random stream, so they are the very logs of the whole
 * fleet's run) into {@code DIR/logs} (kept: a second run on the same DIR reuses them), backtests them with the
 * production topology, scores TRAFFIC_DROP with {@link FleetEvaluation} and prints every planted drop with the
 * function's nominal rate and its delay, and every drop alert that matches none. Not a test: run it from the test
 * classpath, {@code java -cp target/test-classes:target/fnwatch.jar io.fnwatch.bench.fleet.DropFleetProbe SEED DAYS
 * FUNCTIONS PREFIXES DIR} from the project folder (it reads {@code detectors/}).
 */
public final class DropFleetProbe {
    public static void main(String[] a) throws Exception {
        long seed = Long.parseLong(a[0]);
        int days = Integer.parseInt(a[1]);
        int functions = Integer.parseInt(a[2]);
        List<String> prefixes = Arrays.asList(a[3].split(","));
        Path dir = Path.of(a[4]);
        Path logs = dir.resolve("logs");
        boolean reuse = Files.isDirectory(logs);
        Files.createDirectories(logs);
        List<FleetFunction> fleet = new FleetGenerator(seed, days).draw(functions, 5);
        FleetWriter writer = new FleetWriter(seed + 1, days);
        List<PlantedIncident> planted = new ArrayList<>();
        Map<String, FleetFunction> byName = new java.util.HashMap<>();
        List<Path> files = new ArrayList<>();
        int n = 0;
        for (FleetFunction f : fleet) {
            if (prefixes.stream().noneMatch(f.name::startsWith)) continue;
            n++;
            byName.put(f.name, f);
            Path file = logs.resolve(f.name + ".jsonl.gz");
            if (!reuse || !Files.exists(file)) writer.write(f, file);
            files.add(file);
            planted.addAll(f.incidents);
        }
        FnwatchConfig config = FnwatchConfig.load(null, Map.of(), Map.of());
        DetectorConfig det = DetectorConfig.load(Path.of("detectors"), config.longValue(FnwatchConfig.LATE_GRACE_MS));
        List<Alert> alerts = new ArrayList<>();
        long t0 = System.nanoTime();
        Backtest.run(files, config, det, null, null, alerts::add, x -> {});
        System.out.printf(Locale.ROOT, "backtest of %d functions: %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
        List<Alert> da =
                alerts.stream().filter(x -> x.type() == AlertType.TRAFFIC_DROP).toList();
        List<PlantedIncident> dp =
                planted.stream().filter(i -> i.type() == AlertType.TRAFFIC_DROP).toList();
        for (FleetEvaluation.Row r : FleetEvaluation.evaluate(planted, alerts, (double) n * days)) {
            if (r.incidents() == 0 && r.alertIncidents() == 0) continue;
            System.out.printf(
                    Locale.ROOT,
                    "seed %d %s: incidents %d detected %d alerts %d false %d recall %.3f precision %.3f delay p50 %.1f p90 %.1f%n",
                    seed,
                    r.type(),
                    r.incidents(),
                    r.detected(),
                    r.alertIncidents(),
                    r.falseAlerts(),
                    r.recall(),
                    r.precision(),
                    r.medianDelayMin(),
                    r.p90DelayMin());
        }
        for (FleetEvaluation.ClassRow c : FleetEvaluation.classes(dp, da)) {
            System.out.printf(
                    Locale.ROOT,
                    "  %s %d/%d p50 %.1f p90 %.1f%n",
                    c.shape(),
                    c.detected(),
                    c.incidents(),
                    c.medianDelayMin(),
                    c.p90DelayMin());
        }
        List<Alert> opens =
                da.stream().filter(x -> x.state() == AlertState.OPEN).toList();
        for (PlantedIncident i : dp) {
            FleetFunction f = byName.get(i.function());
            List<Alert> hits = opens.stream()
                    .filter(x -> x.function().equals(i.function())
                            && x.detectedAt().toEpochMilli() >= i.start() - 300_000
                            && x.detectedAt().toEpochMilli() <= i.end() + 1_800_000)
                    .toList();
            double delay =
                    hits.isEmpty() ? Double.NaN : (hits.get(0).detectedAt().toEpochMilli() - i.start()) / 60_000.0;
            System.out.printf(
                    Locale.ROOT,
                    "  drop %s %-5s rate %5.2f%s %s delay %.1f %s%n",
                    i.function(),
                    i.shape(),
                    f.perMinute,
                    f.businessHours ? " office" : "",
                    Instant.ofEpochMilli(i.start()),
                    delay,
                    hits.isEmpty()
                            ? ""
                            : hits.get(0).summary() + " "
                                    + hits.get(0).evidence().get("cusum"));
        }
        for (Alert x : opens) {
            boolean hit = dp.stream()
                    .anyMatch(i -> x.function().equals(i.function())
                            && x.detectedAt().toEpochMilli() >= i.start() - 300_000
                            && x.detectedAt().toEpochMilli() <= i.end() + 1_800_000);
            if (!hit) System.out.printf("  FALSE %s %s %s%n", x.function(), x.detectedAt(), x.summary());
        }
        for (Alert x : alerts) { // other types on these functions (none is planted on drop-*)
            if (x.type() != AlertType.TRAFFIC_DROP && x.state() == AlertState.OPEN)
                System.out.printf("  OTHER %s %s %s %s%n", x.type(), x.function(), x.detectedAt(), x.summary());
        }
    }
}
