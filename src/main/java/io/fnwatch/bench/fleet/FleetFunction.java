package io.fnwatch.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated function: its steady behaviour (rate, rhythm, durations, cold starts, runtime) and the
 * changes planted on it — incidents to detect, and benign changes (deployments, background denials) not to.
 */
final class FleetFunction {

    final String name;
    final String runtime;
    final int memoryMb;
    final double perMinute;
    final double weekendFactor;
    final double medianMs;
    final double sigma;
    final double coldRate;
    final boolean dormant;
    final List<PlantedIncident> incidents = new ArrayList<>();
    /** Benign deployment: from this time durations shift by {@link #deployShift}. */
    long deployAt = Long.MAX_VALUE;

    double deployShift = 1;

    FleetFunction(
            String name,
            String runtime,
            int memoryMb,
            double perMinute,
            double weekendFactor,
            double medianMs,
            double sigma,
            double coldRate,
            boolean dormant) {
        this.name = name;
        this.runtime = runtime;
        this.memoryMb = memoryMb;
        this.perMinute = perMinute;
        this.weekendFactor = weekendFactor;
        this.medianMs = medianMs;
        this.sigma = sigma;
        this.coldRate = coldRate;
        this.dormant = dormant;
    }

    /** Expected invocations in the minute starting at {@code t}: daily rhythm, quieter weekends. */
    double rate(long t) {
        double hour = (t % 86_400_000L) / 3_600_000.0;
        double daily = 0.35 + 0.65 * 0.5 * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24));
        long day = Math.floorDiv(t, 86_400_000L);
        boolean weekend = Math.floorMod(day + 3, 7) >= 5;
        return perMinute * daily * (weekend ? weekendFactor : 1) * 1.2;
    }

    static int poisson(double lambda, Random r) {
        return Poisson.sample(lambda, r);
    }

    PlantedIncident incidentAt(long t, io.fnwatch.model.AlertType type) {
        for (PlantedIncident i : incidents) {
            if (i.type() == type && t >= i.start() && t < i.end()) {
                return i;
            }
        }
        return null;
    }
}
