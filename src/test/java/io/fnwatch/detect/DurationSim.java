package io.fnwatch.detect;

import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;

import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

/**
 * One simulated function fed straight to a {@link DurationModel}: Poisson calls at {@code perMinute(t)},
 * lognormal warm durations (median, σ), cold starts, timeouts at a usual rate, and a change from
 * {@code changeAt}: durations multiplied for all calls or for a share of them, or timeouts at another rate.
 * Seeded: same arguments, same alerts.
 */
final class DurationSim {

    static final FunctionKey KEY = new FunctionKey("default", "aws", "123456789012", "us-east-1", "sim");

    long seed = 1;
    LongToDoubleFunction perMinute = t -> 2;
    double medianMs = 120;
    double sigma = 0.4;
    double coldRate = 0.02;
    double timeoutRate = 0.001;
    long until = T0 + 3 * Events.DAY;
    long changeAt = Long.MAX_VALUE;
    long changeUntil = Long.MAX_VALUE;
    /** Every warm call's duration is multiplied by this after the change. */
    double shift = 1;
    /** A share of warm calls is multiplied by {@link #tailFactor} after the change. */
    double tailShare = 0;

    double tailFactor = 10;
    /** The timeout rate after the change. */
    double changedTimeoutRate = -1;

    final List<Alert> alerts = new ArrayList<>();
    final DurationModel model = new DurationModel();

    DurationSim seed(long s) {
        seed = s;
        return this;
    }

    DurationSim run(DurationModel.Settings settings) {
        Random r = new Random(seed);
        Emitter out = new Emitter(KEY, alerts);
        for (long m = T0; m < until; m += MINUTE) {
            int n = io.fnwatch.bench.fleet.Poisson.sample(perMinute.applyAsDouble(m), r);
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                times[i] = m + (long) (r.nextDouble() * MINUTE);
            }
            java.util.Arrays.sort(times);
            for (long t : times) {
                boolean changed = t >= changeAt && t < changeUntil;
                double d = medianMs * Math.exp(r.nextGaussian() * sigma);
                if (changed) {
                    d *= shift;
                    if (r.nextDouble() < tailShare) {
                        d *= tailFactor;
                    }
                }
                double pt = changed && changedTimeoutRate >= 0 ? changedTimeoutRate : timeoutRate;
                boolean timeout = r.nextDouble() < pt;
                boolean cold = !timeout && r.nextDouble() < coldRate;
                FunctionEvent e = Events.invocation(
                        "sim", t, timeout ? 3000 : d, cold, timeout ? FunctionEvent.TIMEOUT : FunctionEvent.SUCCESS);
                model.onEvent(e, settings, out);
            }
        }
        return this;
    }

    /** Minutes from the change to the first OPEN at or after it, or +∞ when none. */
    double delayMinutes() {
        return alerts.stream()
                .filter(a -> a.state() == io.fnwatch.model.AlertState.OPEN)
                .mapToLong(a -> a.detectedAt().toEpochMilli())
                .filter(t -> t >= changeAt)
                .map(t -> t - changeAt)
                .mapToDouble(ms -> ms / (double) MINUTE)
                .min()
                .orElse(Double.POSITIVE_INFINITY);
    }

    long opens() {
        return alerts.stream()
                .filter(a -> a.state() == io.fnwatch.model.AlertState.OPEN)
                .map(Alert::id)
                .distinct()
                .count();
    }
}
