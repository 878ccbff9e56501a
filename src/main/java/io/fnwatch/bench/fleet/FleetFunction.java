package io.fnwatch.bench.fleet;

import io.fnwatch.model.AlertType;
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
    /**
     * Benign rhythm: called only on weekdays from {@link #OFFICE_OPENS} to {@link #OFFICE_CLOSES} (UTC) at about
     * {@link #perMinute}, never at night or at weekends.
     */
    boolean businessHours;
    /** Benign rhythm: when positive, exactly one call every this many minutes, on the dot, and nothing else. */
    int cronMinutes;
    /** How many times its usual rate a {@code quiet-*} spike calls the function. */
    double spikeFactor = 1;
    /** When positive, each invocation logs an Embedded Metric Format record: a latency around this level. */
    double emfLevel;
    /** The account its logs name. */
    String account = "123456789012";
    /**
     * A concurrency surge: from {@link #surgeStart} to {@link #surgeEnd} extra calls of about
     * {@link #surgeDurationMs} each keep about {@link #surgeConcurrency} of them running (0: none).
     */
    double surgeConcurrency;

    long surgeStart = -1;
    long surgeEnd = -1;
    double surgeDurationMs;
    /** Reserved concurrency the bench sets for it (0: none). */
    int reservedConcurrency;

    /** {@code err-*}: the share of calls that fail as a rule, and during a planted {@code ERROR_BURST}. */
    double errorRate;

    double burstErrorRate;
    /**
     * {@code cost-*}: how many times the calls ({@code calls}, 1.5× this), the billed duration ({@code duration})
     * or the memory ({@code memory}: 4×) grow during a planted {@code COST_SPIKE}.
     */
    double costFactor = 1;

    static final int OFFICE_OPENS = 8;
    static final int OFFICE_CLOSES = 18;

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

    /**
     * Expected invocations in the minute starting at {@code t} without incidents: daily rhythm, quieter weekends
     * (a business-hours function: a gentle arch over office hours, nothing else; a cron function: see {@link
     * #cronMinutes}).
     */
    double rate(long t) {
        double hour = (t % 86_400_000L) / 3_600_000.0;
        boolean weekend = weekend(t);
        if (businessHours) {
            return weekend || hour < OFFICE_OPENS || hour >= OFFICE_CLOSES
                    ? 0
                    : perMinute
                            * (0.8 + 0.4 * Math.sin(Math.PI * (hour - OFFICE_OPENS) / (OFFICE_CLOSES - OFFICE_OPENS)));
        }
        double daily = 0.35 + 0.65 * 0.5 * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24));
        return perMinute * daily * (weekend ? weekendFactor : 1) * 1.2;
    }

    /**
     * Expected invocations in the minute starting at {@code t} with the planted traffic changes that scale the
     * usual rate: a drop to zero ({@code zero}) or to a fifth ({@code fifth}), a quiet function's spike.
     */
    double plannedRate(long t) {
        double base = rate(t);
        PlantedIncident drop = incidentAt(t, AlertType.TRAFFIC_DROP);
        if (drop != null) {
            return "zero".equals(drop.shape()) ? 0 : base / 5;
        }
        PlantedIncident spike = incidentAt(t, AlertType.TRAFFIC_SPIKE);
        if (spike != null && spike.shape().startsWith("quiet")) {
            return base * spikeFactor;
        }
        PlantedIncident cost = costFactor != 1 ? incidentAt(t, AlertType.COST_SPIKE) : null;
        if (cost != null && "calls".equals(cost.shape())) {
            return base * 1.5 * costFactor;
        }
        return base;
    }

    static boolean weekend(long t) {
        long day = Math.floorDiv(t, 86_400_000L);
        return Math.floorMod(day + 3, 7) >= 5;
    }

    static int poisson(double lambda, Random r) {
        return Poisson.sample(lambda, r);
    }

    PlantedIncident incidentAt(long t, AlertType type) {
        for (PlantedIncident i : incidents) {
            if (i.type() == type && t >= i.start() && t < i.end()) {
                return i;
            }
        }
        return null;
    }

    /** The memory configured at {@code t}: four times more during a planted {@code memory} cost spike. */
    int memoryAt(long t) {
        PlantedIncident cost = costFactor != 1 ? incidentAt(t, AlertType.COST_SPIKE) : null;
        return cost != null && "memory".equals(cost.shape()) ? memoryMb * 4 : memoryMb;
    }
}
