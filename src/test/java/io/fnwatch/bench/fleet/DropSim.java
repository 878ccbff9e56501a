package io.fnwatch.bench.fleet;

import static io.fnwatch.bench.fleet.FleetGenerator.DAY;
import static io.fnwatch.bench.fleet.FleetGenerator.MINUTE;
import static io.fnwatch.bench.fleet.FleetGenerator.START;

import io.fnwatch.detect.Defaults;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.Events;
import io.fnwatch.detect.TrafficSpikeModel;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A fast check of {@code TRAFFIC_DROP} over many fleets: draws the {@code bench fleet} fleet of each seed, and for
 * each function (of the classes named, or all) draws its invocation times minute by minute from the same planned
 * rate the fleet's writer uses (its Poisson counts, not its log lines), and drives the traffic detector alone with
 * stream time ticking every 10 s, as the topology does. Prints every planted drop with its delay, every drop alert
 * that matches none, and the pooled median delay per class. Not a test: run it from the test classpath, {@code java
 * -cp target/test-classes:target/fnwatch.jar io.fnwatch.bench.fleet.DropSim FROM_SEED TO_SEED DAYS FUNCTIONS
 * PREFIXES|all [v]} from the project folder.
 */
public final class DropSim {
    private static final long TICK = 10_000;

    public static void main(String[] a) throws Exception {
        long from = Long.parseLong(a[0]);
        long to = Long.parseLong(a[1]);
        int days = Integer.parseInt(a[2]);
        int functions = Integer.parseInt(a[3]);
        List<String> prefixes = "all".equals(a[4]) ? List.of("") : Arrays.asList(a[4].split(","));
        boolean verbose = a.length > 5;
        TrafficSpikeModel.Settings s = overridden(Defaults.settings().of(TrafficSpikeModel.SPEC));
        System.out.println(s);
        List<Double> zero = new ArrayList<>();
        List<Double> fifth = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        int missed = 0;
        int falseAlerts = 0;
        long functionDays = 0;
        for (long seed = from; seed <= to; seed++) {
            List<FleetFunction> fleet = new FleetGenerator(seed, days).draw(functions, 5);
            for (FleetFunction f : fleet) {
                if (prefixes.stream().noneMatch(f.name::startsWith)) continue;
                functionDays += days;
                List<Alert> alerts = run(f, seed, days, s);
                List<Alert> opens = alerts.stream()
                        .filter(x -> x.type() == AlertType.TRAFFIC_DROP && x.state() == AlertState.OPEN)
                        .toList();
                for (PlantedIncident i : f.incidents) {
                    if (i.type() != AlertType.TRAFFIC_DROP) continue;
                    Alert hit = opens.stream()
                            .filter(x -> matches(i, x))
                            .findFirst()
                            .orElse(null);
                    double delay = hit == null
                            ? Double.NaN
                            : Math.max(0, hit.detectedAt().toEpochMilli() - i.start()) / 60_000.0;
                    if (hit == null) missed++;
                    else {
                        all.add(delay);
                        ("zero".equals(i.shape()) ? zero : fifth).add(delay);
                    }
                    if (verbose || hit == null)
                        System.out.printf(
                                Locale.ROOT,
                                "seed %d %s %-5s rate %5.2f%s delay %5.1f %s%n",
                                seed,
                                f.name,
                                i.shape(),
                                f.perMinute,
                                f.businessHours ? " office" : "",
                                delay,
                                hit == null ? "" : hit.summary());
                }
                for (Alert x : opens) {
                    if (f.incidents.stream().noneMatch(i -> i.type() == AlertType.TRAFFIC_DROP && matches(i, x))) {
                        falseAlerts++;
                        System.out.printf(
                                Locale.ROOT, "seed %d FALSE %s %s %s%n", seed, f.name, x.detectedAt(), x.summary());
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "after seed %d: drops found %d missed %d false %d; median all %.1f zero %.1f fifth %.1f%n",
                    seed,
                    all.size(),
                    missed,
                    falseAlerts,
                    median(all),
                    median(zero),
                    median(fifth));
        }
        System.out.printf(
                Locale.ROOT,
                "function-days %d; p90 all %.1f zero %.1f fifth %.1f%n",
                functionDays,
                pct(all, 0.9),
                pct(zero, 0.9),
                pct(fifth, 0.9));
    }

    /** The settings with each decimal component named by a system property ({@code -DdropThreshold=16}) set to it. */
    private static TrafficSpikeModel.Settings overridden(TrafficSpikeModel.Settings s) throws Exception {
        var components = TrafficSpikeModel.Settings.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = components[i].getAccessor().invoke(s);
            String v = System.getProperty(components[i].getName());
            if (v != null && types[i] == double.class) values[i] = Double.parseDouble(v);
        }
        return TrafficSpikeModel.Settings.class.getDeclaredConstructor(types).newInstance(values);
    }

    private static boolean matches(PlantedIncident i, Alert x) {
        long t = x.detectedAt().toEpochMilli();
        return t >= i.start() - 5 * MINUTE && t <= i.end() + 30 * MINUTE;
    }

    private static double median(List<Double> v) {
        return pct(v, 0.5);
    }

    /** As {@link FleetEvaluation}: the value at floor(q·n) of the sorted list. */
    private static double pct(List<Double> v, double q) {
        if (v.isEmpty()) return Double.NaN;
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static List<Alert> run(FleetFunction f, long seed, int days, TrafficSpikeModel.Settings s) {
        Random r = new Random(seed * 31 + f.name.hashCode());
        TrafficSpikeModel model = new TrafficSpikeModel();
        List<Alert> out = new ArrayList<>();
        FunctionEvent first = Events.invocation(f.name, START, 100, false, "success");
        Emitter emitter = new Emitter(first.key(), out);
        long tick = START;
        long[] at = new long[0];
        for (long t = START; t < START + days * DAY; t += MINUTE) {
            int n;
            if (f.cronMinutes > 0) {
                n = Math.floorMod(t / MINUTE, f.cronMinutes) == 0 ? 1 : 0;
            } else {
                double surge = f.surgeConcurrency > 0 && t >= f.surgeStart && t < f.surgeEnd
                        ? f.surgeConcurrency / f.surgeDurationMs * MINUTE
                        : 0;
                n = FleetFunction.poisson(f.plannedRate(t) + spikeExtra(f, t) + surge, r);
            }
            if (at.length < n) at = new long[n];
            for (int i = 0; i < n; i++) {
                at[i] = f.cronMinutes > 0 ? t + r.nextInt(1_000) : t + (long) (r.nextDouble() * MINUTE);
            }
            Arrays.sort(at, 0, n);
            for (int i = 0; i < n; i++) {
                for (; tick <= at[i]; tick += TICK) {
                    if (model.deadline(s) <= tick) model.advance(tick, s, emitter);
                }
                model.onEvent(Events.invocation(f.name, at[i], 100, false, "success"), s, emitter);
            }
        }
        for (; tick <= START + days * DAY; tick += TICK) {
            if (model.deadline(s) <= tick) model.advance(tick, s, emitter);
        }
        return out;
    }

    /** The mixed functions' additive spikes, as FleetWriter draws them. */
    private static double spikeExtra(FleetFunction f, long t) {
        PlantedIncident s = f.incidentAt(t, AlertType.TRAFFIC_SPIKE);
        if (s == null || s.shape().startsWith("quiet")) {
            return 0;
        }
        double base = Math.max(f.perMinute, 1);
        return switch (s.shape()) {
            case "burst" -> Math.max(60, 15 * base);
            case "ramp" ->
                Math.max(60, 10 * base) * Math.min(1, (t - s.start() + MINUTE) / (double) (s.end() - s.start()) * 2);
            case "surge" -> 0;
            default -> Math.max(40, 8 * base);
        };
    }
}
