package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invocations per bucket against the function's own recent rate.
 *
 * <p>Rule: with μ and σ² the exponentially weighted mean and variance (weight α) of past bucket counts,
 * a bucket with count {@code c} is anomalous when
 * {@code c ≥ T = max(minCount, minRatio·μ, μ + z·√max(σ², μ))} — the √μ floor is Poisson counting noise,
 * so rare functions need many more calls than their mean to alert. A bucket is judged the moment its count
 * reaches T (detection within the bucket); closed normal buckets update μ and σ², anomalous ones do not,
 * so a spike does not poison the baseline; empty buckets count as zeros. No alert before {@code warmupBuckets}.
 */
public final class TrafficSpikeModel {

    public record Settings(long bucketMs, double alpha, int warmupBuckets, double z, double minRatio,
            int minCount, int confirmBuckets, int resolveBuckets, long cooldownMs) {
    }

    private static final int MAX_ZERO_STEPS = 100_000;

    private long bucketStart = -1;
    private int count;
    private int errors;
    private boolean bucketAnomalous;
    private double mean;
    private double var;
    private int bucketsSeen;
    private final Incident incident = new Incident();

    public boolean warmingUp(Settings s) {
        return bucketsSeen < s.warmupBuckets();
    }

    public double mean() {
        return mean;
    }

    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        if (e.kind() != EventKind.INVOCATION) {
            return;
        }
        long t = e.epochMillis();
        long bucket = Math.floorDiv(t, s.bucketMs()) * s.bucketMs();
        if (bucketStart < 0) {
            bucketStart = bucket;
        } else if (bucket > bucketStart) {
            roll(bucket, t, s, out);
        }
        count++;
        if (!FunctionEvent.SUCCESS.equals(e.status())) {
            errors++;
        }
        double threshold = threshold(s);
        if (!warmingUp(s) && count >= threshold) {
            incident.observe(count);
            if (!bucketAnomalous) {
                bucketAnomalous = true;
                if (incident.anomalous(bucketStart, t, count, s.confirmBuckets(), s.cooldownMs())) {
                    emit(AlertState.OPEN, t, threshold, s, out);
                }
            }
        }
    }

    /** Closes the open bucket and any empty buckets up to {@code next}. */
    private void roll(long next, long now, Settings s, Emitter out) {
        closeBucket(bucketStart, count, bucketAnomalous, now, s, out);
        long empty = Math.min((next - bucketStart) / s.bucketMs() - 1, MAX_ZERO_STEPS);
        for (long i = 1; i <= empty; i++) {
            closeBucket(bucketStart + i * s.bucketMs(), 0, false, now, s, out);
        }
        bucketStart = next;
        count = 0;
        errors = 0;
        bucketAnomalous = false;
    }

    private void closeBucket(long start, int c, boolean anomalous, long now, Settings s, Emitter out) {
        double threshold = threshold(s);
        long resolvedStart = anomalous ? -1 : incident.normal(now, s.resolveBuckets());
        if (resolvedStart >= 0) {
            emitResolved(resolvedStart, start + s.bucketMs(), c, now, threshold, s, out);
        }
        if (anomalous) {
            return; // a spike must not become the baseline it is judged against
        }
        double x = c;
        if (bucketsSeen == 0) {
            mean = x;
            var = 0;
        } else {
            double d = x - mean;
            mean += s.alpha() * d;
            var = (1 - s.alpha()) * (var + s.alpha() * d * d);
        }
        bucketsSeen = bucketsSeen == Integer.MAX_VALUE ? bucketsSeen : bucketsSeen + 1;
    }

    double threshold(Settings s) {
        double noise = Math.sqrt(Math.max(var, mean));
        return Math.max(s.minCount(), Math.max(s.minRatio() * mean, mean + s.z() * noise));
    }

    private void emit(AlertState state, long now, double threshold, Settings s, Emitter out) {
        double ratio = mean > 0 ? count / mean : Double.POSITIVE_INFINITY;
        Map<String, Object> ev = evidence(s, threshold);
        ev.put("observedCount", count);
        ev.put("ratio", Double.isInfinite(ratio) ? null : Scoring.round(ratio));
        ev.put("errorsInBucket", errors);
        String summary = String.format("%s ran %d times in %d s against %.1f expected (%.1f×, threshold %.0f).",
                out.key().function(), count, s.bucketMs() / 1000, mean, ratio, threshold);
        out.emit(new Emitter.Draft(AlertType.TRAFFIC_SPIKE, state, incident.openedAt(), bucketStart,
                bucketStart + s.bucketMs(), now, Scoring.score(count, threshold), count, mean, threshold, summary,
                ev));
    }

    private void emitResolved(long start, long end, int lastCount, long now, double threshold, Settings s,
            Emitter out) {
        Map<String, Object> ev = evidence(s, threshold);
        ev.put("peakCount", (int) incident.peak());
        ev.put("lastBucketCount", lastCount);
        String summary = String.format("%s is back to its usual rate (last bucket %d, expected %.1f, peak was %d).",
                out.key().function(), lastCount, mean, (int) incident.peak());
        out.emit(new Emitter.Draft(AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED, start, start, end, now, Scoring.score(incident.peak(), threshold), lastCount, mean,
                threshold, summary, ev));
    }

    private Map<String, Object> evidence(Settings s, double threshold) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("bucketSeconds", s.bucketMs() / 1000);
        ev.put("baselineMean", Scoring.round(mean));
        ev.put("baselineStdDev", Scoring.round(Math.sqrt(var)));
        ev.put("bandUpper", Scoring.round(threshold));
        ev.put("bucketsInBaseline", bucketsSeen);
        return ev;
    }

    void write(DataOutput o) throws IOException {
        o.writeLong(bucketStart);
        o.writeInt(count);
        o.writeInt(errors);
        o.writeBoolean(bucketAnomalous);
        o.writeDouble(mean);
        o.writeDouble(var);
        o.writeInt(bucketsSeen);
        incident.write(o);
    }

    void read(DataInput in) throws IOException {
        bucketStart = in.readLong();
        count = in.readInt();
        errors = in.readInt();
        bucketAnomalous = in.readBoolean();
        mean = in.readDouble();
        var = in.readDouble();
        bucketsSeen = in.readInt();
        incident.read(in);
    }
}
