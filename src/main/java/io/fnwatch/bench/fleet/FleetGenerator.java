package io.fnwatch.bench.fleet;

import io.fnwatch.model.AlertType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws a fleet: per-function rates log-uniform from a few a day to {@code maxPerMinute}, daily and weekly
 * rhythms, lognormal durations, cold starts, rare timeouts, benign background denials, deployments that shift
 * durations by up to 15 %, dormant functions — and labelled incidents of every alert type at known times.
 * Same seed, same fleet.
 */
final class FleetGenerator {

    static final long MINUTE = 60_000L;
    static final long DAY = 86_400_000L;
    /** Fleets start on a Monday. */
    static final long START = Instant.parse("2026-02-02T00:00:00Z").toEpochMilli();

    private static final String[] RUNTIMES = {"python:3.12.v38", "nodejs:22.v12", "java:21.v27", "python:3.13.v9"};
    static final String OUTDATED = "python:3.8.v52";

    private final Random r;
    private final int days;

    FleetGenerator(long seed, int days) {
        this.r = new Random(seed);
        this.days = days;
    }

    List<FleetFunction> draw(int count, double maxPerMinute) {
        List<FleetFunction> fleet = new ArrayList<>();
        double low = Math.log(3.0 / 1440);
        double high = Math.log(maxPerMinute);
        for (int i = 0; i < count; i++) {
            boolean dormant = r.nextDouble() < 0.06;
            boolean outdated = r.nextDouble() < 0.05;
            double rate = dormant ? 0 : Math.exp(low + r.nextDouble() * (high - low));
            FleetFunction f = new FleetFunction(
                    String.format("fn-%03d", i),
                    outdated ? OUTDATED : RUNTIMES[r.nextInt(RUNTIMES.length)],
                    128 << r.nextInt(4),
                    rate,
                    0.3 + 0.7 * r.nextDouble(),
                    20 * Math.exp(r.nextDouble() * 4),
                    0.2 + 0.3 * r.nextDouble(),
                    0.005 + 0.02 * r.nextDouble(),
                    dormant);
            if (r.nextDouble() < 0.2) {
                f.deployAt = START + (long) ((1 + r.nextDouble() * (days - 2)) * DAY);
                f.deployShift = 1 + (r.nextBoolean() ? 1 : -1) * (0.05 + 0.10 * r.nextDouble());
            }
            plant(f, outdated);
            fleet.add(f);
        }
        return fleet;
    }

    /** Plants at most one incident of each kind that suits the function, far enough apart to tell apart. */
    private void plant(FleetFunction f, boolean outdated) {
        if (outdated) {
            // every run on the runtime is the incident, a dormant function's history 40 days back included
            f.incidents.add(new PlantedIncident(
                    AlertType.OUTDATED_RUNTIME_INVOKED, f.name, START - 41 * DAY, START + days * DAY, "runtime"));
        }
        if (f.dormant) {
            if (r.nextBoolean()) {
                long wake = randomTime(3);
                f.incidents.add(new PlantedIncident(
                        AlertType.STALE_FUNCTION_INVOKED, f.name, wake, wake + 10 * MINUTE, "wake"));
            }
            return;
        }
        List<long[]> taken = new ArrayList<>();
        if (r.nextDouble() < 0.10) {
            String[] shapes = {"step", "burst", "ramp"};
            String shape = shapes[r.nextInt(shapes.length)];
            add(f, AlertType.TRAFFIC_SPIKE, shape, "burst".equals(shape) ? 6 : 20, taken);
        }
        if (f.perMinute >= 2 && r.nextDouble() < 0.35) {
            String[] shapes = {"median", "tail", "timeouts"};
            String shape = shapes[r.nextInt(shapes.length)];
            add(f, AlertType.DURATION_ANOMALY, shape, "timeouts".equals(shape) ? 30 : 60, taken);
        }
        if (r.nextDouble() < 0.08) {
            add(f, AlertType.PERMISSION_DENIED_BURST, "probe", 5, taken);
        }
        if (r.nextDouble() < 0.05) {
            add(f, AlertType.SECRET_IN_LOGS, "leak", 1, taken);
        }
    }

    private void add(FleetFunction f, AlertType type, String shape, int minutes, List<long[]> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            long start = randomTime(2);
            long end = start + minutes * MINUTE;
            boolean clear = taken.stream().noneMatch(t -> start < t[1] + 6 * 3_600_000L && end > t[0] - 6 * 3_600_000L);
            if (clear && end < START + days * DAY - 2 * 3_600_000L) {
                taken.add(new long[] {start, end});
                f.incidents.add(new PlantedIncident(type, f.name, start, end, shape));
                return;
            }
        }
    }

    /** A minute-aligned time at least {@code fromDay} days into the fleet. */
    private long randomTime(int fromDay) {
        long span = (days - fromDay) * DAY - 3 * 3_600_000L;
        return START + fromDay * DAY + Math.floorDiv((long) (r.nextDouble() * span), MINUTE) * MINUTE;
    }
}
