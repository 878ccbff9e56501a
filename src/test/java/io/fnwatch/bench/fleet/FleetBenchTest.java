package io.fnwatch.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetBenchTest {

    @TempDir
    Path dir;

    private static Alert open(AlertType type, String function, long at, long incident) {
        FunctionKey k = new FunctionKey("default", "aws", "1", "r", function);
        return new Alert(
                Alert.incidentId(type, k, incident),
                type,
                AlertState.OPEN,
                "default",
                "aws",
                "1",
                "r",
                function,
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at),
                Severity.LOW,
                50,
                1,
                1,
                1,
                "s",
                Map.of());
    }

    @Test
    void shouldWriteIdenticalLogsAndLabelsWhenTheSeedIsTheSame() throws IOException {
        for (String run : List.of("a", "b")) {
            List<FleetFunction> fleet = new FleetGenerator(42, 3).draw(12, 2);
            FleetWriter writer = new FleetWriter(43, 3);
            Files.createDirectories(dir.resolve(run));
            for (FleetFunction f : fleet) {
                writer.write(f, dir.resolve(run).resolve(f.name + ".jsonl.gz"));
            }
        }
        try (var files = Files.list(dir.resolve("a"))) {
            for (Path a : files.toList()) {
                assertThat(Files.readAllBytes(a))
                        .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(a.getFileName())));
            }
        }
    }

    @Test
    void shouldPlantIncidentsOfEveryAlertTypeInADefaultSizedFleet() {
        List<FleetFunction> fleet = new FleetGenerator(1, 28).draw(200, 5);

        assertThat(fleet.stream()
                        .flatMap(f -> f.incidents.stream())
                        .map(PlantedIncident::type)
                        .distinct())
                .containsExactlyInAnyOrder(AlertType.values());
    }

    @Test
    void shouldCountDetectionsDelaysAndFalseAlertsWhenMatchingAlertsToIncidents() {
        long t = FleetGenerator.START + 3 * FleetGenerator.DAY;
        List<PlantedIncident> planted = List.of(
                new PlantedIncident(AlertType.TRAFFIC_SPIKE, "fn-1", t, t + 600_000, "step"),
                new PlantedIncident(AlertType.TRAFFIC_SPIKE, "fn-2", t, t + 600_000, "step"));
        List<Alert> alerts = List.of(
                open(AlertType.TRAFFIC_SPIKE, "fn-1", t + 120_000, t),
                open(AlertType.TRAFFIC_SPIKE, "fn-1", t + 180_000, t),
                open(AlertType.TRAFFIC_SPIKE, "fn-3", t, t));

        FleetEvaluation.Row row =
                FleetEvaluation.evaluate(planted, alerts, 1000).get(0);

        assertThat(row.type()).isEqualTo(AlertType.TRAFFIC_SPIKE);
        assertThat(row.detected()).isEqualTo(1);
        assertThat(row.recall()).isEqualTo(0.5);
        assertThat(row.alertIncidents()).isEqualTo(2);
        assertThat(row.precision()).isEqualTo(0.5);
        assertThat(row.medianDelayMin()).isEqualTo(2.0);
        assertThat(row.falsePer1000FunctionDays()).isEqualTo(1.0);
    }

    private static final long MINUTE = FleetGenerator.MINUTE;
    private static final long DAY = FleetGenerator.DAY;
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    /** The default fleet of one seed, by name. */
    private static Map<String, FleetFunction> fleet(long seed) {
        return new FleetGenerator(seed, 28)
                .draw(200, 5).stream().collect(Collectors.toMap(f -> f.name, Function.identity()));
    }

    /** Start times of the invocations in one function's written logs. */
    private List<Long> invocations(FleetFunction f) throws IOException {
        Path file = dir.resolve(f.name + ".jsonl.gz");
        new FleetWriter(2, 28).write(f, file);
        List<Long> starts = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher m = TIMESTAMP.matcher(line);
                if ((line.contains("START RequestId") || line.contains("platform.start")) && m.find()) {
                    starts.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return starts;
    }

    private static long count(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t < to).count();
    }

    private static double expected(FleetFunction f, long from, long to) {
        double sum = 0;
        for (long t = from; t < to; t += MINUTE) {
            sum += f.rate(t);
        }
        return sum;
    }

    private static long count(List<FleetFunction> fleet, AlertType type, String shape) {
        return fleet.stream()
                .flatMap(f -> f.incidents.stream())
                .filter(i -> i.type() == type && i.shape().startsWith(shape))
                .count();
    }

    @Test
    void shouldPlantEnoughIncidentsOfEachDedicatedClassWhateverTheSeed() {
        for (long seed : new long[] {1, 2, 3}) {
            List<FleetFunction> fleet = new FleetGenerator(seed, 28).draw(200, 5);

            assertThat(count(fleet, AlertType.TRAFFIC_SPIKE, "quiet"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(15);
            assertThat(count(fleet, AlertType.TRAFFIC_DROP, "zero"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(15);
            assertThat(count(fleet, AlertType.TRAFFIC_DROP, "fifth"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(15);
            assertThat(count(fleet, AlertType.DURATION_ANOMALY, "median"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(10);
            assertThat(count(fleet, AlertType.DURATION_ANOMALY, "tail"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(10);
            assertThat(count(fleet, AlertType.DURATION_ANOMALY, "timeouts"))
                    .as("seed %d", seed)
                    .isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void shouldLeaveTheOtherClassesAsTheyWereWhenOneClassIsDrawnDifferently() {
        // the mixed population comes first from the seed's own stream, each class from a stream of its own
        List<FleetFunction> a = new FleetGenerator(5, 28).draw(200, 5);
        List<FleetFunction> b = new FleetGenerator(5, 28).draw(200, 20);

        assertThat(a.stream().filter(f -> !f.name.startsWith("fn-")).map(f -> f.name + f.incidents + f.perMinute))
                .containsExactlyElementsOf(b.stream()
                        .filter(f -> !f.name.startsWith("fn-"))
                        .map(f -> f.name + f.incidents + f.perMinute)
                        .toList());
    }

    @Test
    void shouldCallAQuietFunctionTenToThirtyTimesItsUsualRateDuringItsSpike() throws IOException {
        List<FleetFunction> quiet = fleet(1).values().stream()
                .filter(f -> f.name.startsWith("quiet-"))
                .sorted(java.util.Comparator.comparing(f -> f.name))
                .limit(4)
                .toList();
        assertThat(quiet).hasSize(4);
        for (FleetFunction f : quiet) {
            PlantedIncident spike = f.incidents.get(0);
            assertThat(f.perMinute).isBetween(0.05, 1.0);
            assertThat(spike.end() - spike.start()).isBetween(15 * MINUTE, 30 * MINUTE);
            for (long t = spike.start(); t < spike.end(); t += MINUTE) {
                assertThat(f.plannedRate(t) / f.rate(t)).isBetween(10.0, 30.0);
            }
            double usual = expected(f, spike.start(), spike.end());
            long seen = count(invocations(f), spike.start(), spike.end());
            // ×10 of at least 0.75 calls: Poisson noise can't bring it below half
            assertThat((double) seen).as(f.name).isGreaterThan(5 * usual);
        }
    }

    @Test
    void shouldCallABusinessHoursFunctionOnlyOnWeekdaysDuringOfficeHours() throws IOException {
        FleetFunction office = fleet(1).get("office-000");

        List<Long> calls = invocations(office);

        assertThat(calls).isNotEmpty();
        assertThat(calls).allSatisfy(t -> {
            assertThat(FleetFunction.weekend(t)).isFalse();
            assertThat(Math.floorMod(t, DAY) / FleetGenerator.HOUR)
                    .isBetween((long) FleetFunction.OFFICE_OPENS, (long) FleetFunction.OFFICE_CLOSES - 1);
        });
        // every weekday is busy: the night gap is the function's rhythm, not an outage
        for (int day = 0; day < 28; day++) {
            long d = FleetGenerator.START + day * DAY;
            if (!FleetFunction.weekend(d)) {
                assertThat(count(calls, d, d + DAY)).isPositive();
            }
        }
    }

    @Test
    void shouldStopCallsDuringAZeroDropAndCutThemToAboutAFifthDuringAFifthDrop() throws IOException {
        Map<String, FleetFunction> fleet = fleet(1);
        for (FleetFunction f : List.of(fleet.get("drop-000"), fleet.get("drop-001"))) {
            List<Long> calls = invocations(f);
            for (PlantedIncident drop : f.incidents) {
                assertThat(drop.type()).isEqualTo(AlertType.TRAFFIC_DROP);
                assertThat(drop.end() - drop.start()).isBetween(60 * MINUTE, 180 * MINUTE);
                assertThat(FleetFunction.weekend(drop.start())).isFalse();
                double usual = expected(f, drop.start(), drop.end());
                // active hours: at least a call a minute expected
                assertThat(usual).isGreaterThanOrEqualTo((drop.end() - drop.start()) / (double) MINUTE);
                long seen = count(calls, drop.start(), drop.end());
                if (drop.shape().equals("zero")) {
                    assertThat(seen).as(f.name).isZero();
                } else {
                    assertThat((double) seen).as(f.name).isBetween(usual / 5 * 0.5, usual / 5 * 1.5);
                }
                // and the hour before is as usual
                long before = count(calls, drop.start() - 60 * MINUTE, drop.start());
                assertThat((double) before).isGreaterThan(0.5 * expected(f, drop.start() - 60 * MINUTE, drop.start()));
            }
        }
    }

    @Test
    void shouldCallACronFunctionOncePerPeriodOnTheDot() throws IOException {
        FleetFunction cron = fleet(1).values().stream()
                .filter(f -> f.cronMinutes > 0)
                .findFirst()
                .orElseThrow();

        List<Long> calls = invocations(cron);

        assertThat(calls).hasSize(28 * 1440 / cron.cronMinutes);
        assertThat(calls).allSatisfy(t -> {
            assertThat(Math.floorMod(t, cron.cronMinutes * MINUTE)).isLessThan(1_000L);
        });
    }

    @Test
    void shouldBreakDetectionsDownByClassAndAddUpFalseAlertsOfAllTypes() {
        long t = FleetGenerator.START + 3 * DAY;
        List<PlantedIncident> planted = List.of(
                new PlantedIncident(AlertType.TRAFFIC_DROP, "fn-1", t, t + 3_600_000, "zero"),
                new PlantedIncident(AlertType.TRAFFIC_DROP, "fn-2", t, t + 3_600_000, "fifth"),
                new PlantedIncident(AlertType.TRAFFIC_DROP, "fn-3", t, t + 3_600_000, "fifth"),
                new PlantedIncident(AlertType.TRAFFIC_SPIKE, "fn-4", t, t + 900_000, "quiet-x10"));
        List<Alert> alerts = List.of(
                open(AlertType.TRAFFIC_DROP, "fn-1", t + 240_000, t),
                open(AlertType.TRAFFIC_DROP, "fn-2", t + 3_600_000 + 30 * 60_000, t),
                open(AlertType.TRAFFIC_DROP, "fn-3", t + 3_600_000 + 31 * 60_000, t),
                open(AlertType.TRAFFIC_SPIKE, "office-9", t, t));

        List<FleetEvaluation.ClassRow> classes = FleetEvaluation.classes(planted, alerts);
        FleetEvaluation.Total total = FleetEvaluation.total(FleetEvaluation.evaluate(planted, alerts, 2000), 2000);

        assertThat(classes)
                .extracting(c -> c.type() + "/" + c.shape() + " " + c.incidents() + " " + c.detected())
                .containsExactly("TRAFFIC_SPIKE/quiet-x10 1 0", "TRAFFIC_DROP/fifth 2 1", "TRAFFIC_DROP/zero 1 1");
        assertThat(classes.get(2).medianDelayMin()).isEqualTo(4.0);
        assertThat(classes.get(1).medianDelayMin()).isEqualTo(90.0);
        assertThat(total.incidents()).isEqualTo(4);
        assertThat(total.detected()).isEqualTo(2);
        assertThat(total.falseAlerts()).isEqualTo(2);
        assertThat(total.falsePer1000FunctionDays()).isEqualTo(1.0);
        assertThat(FleetEvaluation.falseAlerts(planted, alerts))
                .containsExactly(
                        new FleetEvaluation.FalseRow("fn", AlertType.TRAFFIC_DROP, 1),
                        new FleetEvaluation.FalseRow("office", AlertType.TRAFFIC_SPIKE, 1));
    }

    @Test
    void shouldSurgeAnAccountPastItsShareWhileEachOfItsFunctionsStaysUnderAFewTenthsOfTheLimit() {
        for (long seed : new long[] {1, 2, 3}) {
            List<FleetFunction> fleet = new FleetGenerator(seed, 28).draw(200, 5);
            java.util.Map<String, List<FleetFunction>> accounts = new java.util.TreeMap<>();
            fleet.stream()
                    .filter(f -> f.name.startsWith("surge-"))
                    .forEach(f -> accounts.computeIfAbsent(f.account, k -> new java.util.ArrayList<>())
                            .add(f));
            assertThat(accounts).hasSize(3);
            List<PlantedIncident> planted = fleet.stream()
                    .flatMap(f -> f.incidents.stream())
                    .filter(i -> i.type() == AlertType.CONCURRENCY_NEAR_LIMIT)
                    .toList();
            assertThat(planted.stream().filter(i -> i.function().equals("*"))).hasSize(3);
            assertThat(planted.stream().filter(i -> i.shape().equals("reserved")))
                    .hasSize(6);
            for (List<FleetFunction> account : accounts.values()) {
                double total =
                        account.stream().mapToDouble(f -> f.surgeConcurrency).sum();
                assertThat(total).isBetween(0.95 * FleetGenerator.ACCOUNT_LIMIT, 1.2 * FleetGenerator.ACCOUNT_LIMIT);
                account.forEach(f -> assertThat(f.surgeConcurrency).isLessThanOrEqualTo(0.4 * total));
                assertThat(account.stream().map(f -> f.surgeStart).distinct()).hasSize(1);
            }
            // no two accounts surge on the same day, so an account alert ("*") matches one planted incident
            assertThat(accounts.values().stream()
                            .map(a -> a.get(0).surgeStart / FleetGenerator.DAY)
                            .distinct())
                    .hasSize(3);
            fleet.stream()
                    .filter(f -> f.name.startsWith("reserved-"))
                    .forEach(f -> assertThat(f.surgeConcurrency)
                            .isBetween(0.9 * f.reservedConcurrency, 1.0 * f.reservedConcurrency));
        }
    }
}
