package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invocations per bucket against the function's own seasonal baseline.
 *
 * <p>Rule: the expected count is {@code E = L·hour[h]·day[d]} ({@link SeasonalBaseline}; L the exponentially
 * weighted level, weight α), and a bucket with count {@code c} is anomalous when
 * {@code c ≥ T = max(minCount, minRatio·E, E + z·√max(σ², E))}, σ² the weighted variance of {@code c − E}:
 * the √E floor is Poisson counting noise, so a function that runs a few times an hour needs many more calls
 * than usual to alert. A bucket is judged the moment its count reaches T; an incident opens when
 * {@code confirmBuckets} of the last {@code confirmWindow} buckets were anomalous. Closed buckets (empty ones
 * count as zeros) update the baseline; anomalous ones only with {@code min(c, T)}, at a quarter of the rate and
 * not the variance, and no bucket adds more than {@code 3·√max(σ², E)} of error to σ² — so neither a spike nor
 * the ramp before it widens its own band, while a lasting new level (or a rhythm not yet learned) is still
 * absorbed within hours instead of staying an incident forever. No alert before {@code warmupBuckets}.
 *
 * <p>Late events (within {@code late.grace.ms}; older ones never reach the model) count in the bucket of their
 * own time, never in the current one. The counts of the last {@value #LATE_BUCKETS} closed buckets are kept:
 * a late call amends its bucket's count and what that bucket taught the level ({@link SeasonalBaseline#amend},
 * discounted by the {@code (1−α)^k} later buckets have worn it down by), and re-judges it against its own
 * expected count: if it now reaches its threshold it takes its place in the M-of-N window, which may open the
 * incident at once (detected at the current bucket's start). Its later neighbours are not re-judged, and an
 * open incident is not escalated by late calls. A late call older than the kept buckets (only when the grace
 * is longer than {@value #LATE_BUCKETS} buckets) is not counted by this detector.
 */
public final class TrafficSpikeModel implements Detector<TrafficSpikeModel.Settings> {

    public record Settings(
            long bucketMs,
            double alpha,
            int warmupBuckets,
            double z,
            double minRatio,
            int minCount,
            int confirmBuckets,
            int confirmWindow,
            int resolveBuckets,
            long cooldownMs,
            ZoneId timeZone,
            double hourAlpha,
            double dayAlpha) {}

    public static final DetectorSpec<Settings, TrafficSpikeModel> SPEC = DetectorSpec.of(
                    "traffic-spike", 1, TrafficSpikeModel::new, AlertType.TRAFFIC_SPIKE)
            .withStateVersion(2) // 2: the counts of the last closed buckets, for late events
            .withParams(
                    Param.duration("bucket", "10s", "1h", "length of one counting bucket"),
                    Param.decimal("alpha", 0.0001, 1, "weight of the newest bucket in the baseline"),
                    Param.integer("warmupBuckets", 0, 1_000_000, "buckets of history before alerting"),
                    Param.decimal("z", 0.5, 100, "standard deviations above the mean that count as a spike"),
                    Param.decimal("minRatio", 1, 1000, "a spike is at least this multiple of the expected count"),
                    Param.integer("minCount", 1, 100_000_000, "a spike has at least this many invocations per bucket"),
                    Param.integer("confirmBuckets", 1, 31, "anomalous buckets (of confirmWindow) before OPEN"),
                    Param.integer("confirmWindow", 1, 31, "the last this many buckets are counted for confirmBuckets"),
                    Param.integer("resolveBuckets", 1, 10_000, "normal buckets in a row before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"),
                    Param.zone("timeZone", "local time of the hour-of-day and day-of-week rhythm"),
                    Param.decimal("hourAlpha", 0, 1, "learning rate of the hour-of-day factors"),
                    Param.decimal("dayAlpha", 0, 1, "learning rate of the day-of-week factors"))
            .withSettings(v -> new Settings(
                    v.millis("bucket"),
                    v.decimal("alpha"),
                    v.integer("warmupBuckets"),
                    v.decimal("z"),
                    v.decimal("minRatio"),
                    v.integer("minCount"),
                    v.integer("confirmBuckets"),
                    v.integer("confirmWindow"),
                    v.integer("resolveBuckets"),
                    v.millis("cooldown"),
                    v.zone("timeZone"),
                    v.decimal("hourAlpha"),
                    v.decimal("dayAlpha")))
            .withCheck(TrafficSpikeModel::checkConfirm);

    /** More anomalous buckets than the window holds could never open an incident. */
    private static void checkConfirm(DetectorSpec.Values v, String where, List<String> problems) {
        if (v.has("confirmBuckets")
                && v.has("confirmWindow")
                && v.integer("confirmBuckets") > v.integer("confirmWindow")) {
            problems.add(where + ": confirmBuckets (" + v.integer("confirmBuckets") + ") exceeds confirmWindow ("
                    + v.integer("confirmWindow") + "): an incident could never open");
        }
    }

    private static final int MAX_EMPTY_STEPS = 7 * 24 * 60;
    /** Anomalous buckets teach the level at this fraction of the normal rate (and only up to the threshold). */
    private static final double ANOMALOUS_WEIGHT = 0.25;
    /** No bucket adds more than this many noise units of error to the variance. */
    private static final double CLIP_Z = 3;
    /** Closed buckets whose counts are kept for late events: the default 5-minute grace of 1-minute buckets. */
    static final int LATE_BUCKETS = 6;

    private long bucketStart = -1;
    private int count;
    private int errors;
    private int timeouts;
    private boolean bucketAnomalous;
    private int bucketsSeen;
    /** closed[k − 1]: the count of the bucket k buckets before the current one. */
    private final int[] closed = new int[LATE_BUCKETS];

    private final SeasonalBaseline baseline = new SeasonalBaseline();
    private final Incident incident = new Incident();

    @Override
    public boolean warmingUp(Settings s) {
        return bucketsSeen < s.warmupBuckets();
    }

    /** Read-only baseline figures for the status page (no state changes). */
    public Map<String, Object> baseline(Settings s) {
        double expected = bucketStart < 0 ? 0 : expected(bucketStart, s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucketSeconds", s.bucketMs() / 1000);
        m.put("level", Scoring.round(baseline.level()));
        m.put("expectedPerBucket", Scoring.round(expected));
        m.put("threshold", Scoring.round(threshold(expected, s)));
        m.put("currentBucketCount", count);
        m.put("bucketsSeen", bucketsSeen);
        return m;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        baselines.put("traffic", baseline(s));
    }

    /** Start of the open incident, or -1. */
    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    @Override
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
        } else if (bucket < bucketStart) {
            late((int) Math.min((bucketStart - bucket) / s.bucketMs(), Integer.MAX_VALUE), bucket, s, out);
            return;
        }
        count++;
        errors += FunctionEvent.ERROR.equals(e.status()) ? 1 : 0;
        timeouts += e.isTimeout() ? 1 : 0;
        double expected = expected(bucketStart, s);
        double threshold = threshold(expected, s);
        if (warmingUp(s) || count < threshold) {
            return;
        }
        incident.observe(count);
        boolean opens = !bucketAnomalous
                && incident.anomalous(bucketStart, t, count, s.confirmBuckets(), s.confirmWindow(), s.cooldownMs());
        bucketAnomalous = true;
        Severity severity = Severity.ofScore(Scoring.score(count, threshold));
        if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
            if (opens) {
                incident.severityRisesTo(severity);
            }
            emitOpen(t, bucketStart, count, errors, timeouts, expected, threshold, s, out);
        }
    }

    /** A late call for the closed bucket {@code k} buckets before the current one, starting at {@code start}. */
    private void late(int k, long start, Settings s, Emitter out) {
        if (k > LATE_BUCKETS) {
            return; // older than the kept buckets: not counted (see the class comment)
        }
        int before = closed[k - 1];
        int after = before == Integer.MAX_VALUE ? before : before + 1;
        closed[k - 1] = after;
        double expected = baseline.expected(start, s.timeZone());
        double threshold = threshold(expected, s);
        boolean wasAnomalous = incident.wasAnomalous(k);
        boolean anomalous = wasAnomalous || (!warmingUp(s) && after >= threshold);
        // what the bucket would have taught had the call been on time: anomalous buckets teach only up to T
        double delta = anomalous ? Math.max(0, Math.min(after, threshold) - Math.min(before, threshold)) : 1;
        double weight = anomalous ? ANOMALOUS_WEIGHT : 1;
        baseline.amend(start, s.timeZone(), delta, s.alpha() * weight * Math.pow(1 - s.alpha(), k));
        if (!anomalous || wasAnomalous) {
            return;
        }
        long now = bucketStart; // the late call arrived no earlier than the current bucket began
        boolean opens =
                incident.anomalousBefore(k, start, now, after, s.confirmBuckets(), s.confirmWindow(), s.cooldownMs());
        if (opens) {
            incident.severityRisesTo(Severity.ofScore(Scoring.score(after, threshold)));
            emitOpen(now, start, after, null, null, expected, threshold, s, out);
        }
    }

    /** The count of the closed bucket {@code k} (1..{@value #LATE_BUCKETS}) buckets before the current one. */
    int closedCount(int k) {
        return closed[k - 1];
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        closeBucket(bucketStart, count, bucketAnomalous, now, s, out);
        long empty = Math.min((next - bucketStart) / s.bucketMs() - 1, MAX_EMPTY_STEPS);
        for (long i = 1; i <= empty; i++) {
            closeBucket(bucketStart + i * s.bucketMs(), 0, false, now, s, out);
        }
        bucketStart = next;
        count = 0;
        errors = 0;
        timeouts = 0;
        bucketAnomalous = false;
    }

    private void closeBucket(long start, int c, boolean anomalous, long now, Settings s, Emitter out) {
        System.arraycopy(closed, 0, closed, 1, LATE_BUCKETS - 1);
        closed[0] = c;
        double expected = baseline.expected(start, s.timeZone());
        if (!anomalous) {
            long resolved = incident.normal(now, s.resolveBuckets());
            if (resolved >= 0) {
                emitResolved(resolved, start + s.bucketMs(), c, now, expected, s, out);
            }
        }
        // A spike is learned only up to the threshold, at a quarter of the rate, and never widens the band;
        // any count adds at most 3·noise of error to σ², so the ramp before a spike cannot widen it either.
        double noise = Math.sqrt(Math.max(baseline.variance(), expected));
        baseline.learn(
                start,
                s.timeZone(),
                anomalous ? Math.min(c, threshold(expected, s)) : c,
                s.alpha(),
                s.hourAlpha(),
                s.dayAlpha(),
                anomalous ? ANOMALOUS_WEIGHT : 1,
                !anomalous,
                CLIP_Z * noise);
        incident.nextBucket();
        bucketsSeen = bucketsSeen == Integer.MAX_VALUE ? bucketsSeen : bucketsSeen + 1;
    }

    /** The expected count of the bucket holding {@code t} (for status pages and diagnostics). */
    public double expected(long t, Settings s) {
        return baseline.expected(Math.floorDiv(t, s.bucketMs()) * s.bucketMs(), s.timeZone());
    }

    /** The count at which the bucket holding {@code t} becomes anomalous. */
    public double threshold(long t, Settings s) {
        return threshold(expected(t, s), s);
    }

    static double threshold(double expected, double var, Settings s) {
        double noise = Math.sqrt(Math.max(var, expected));
        return Math.max(s.minCount(), Math.max(s.minRatio() * expected, expected + s.z() * noise));
    }

    private double threshold(double expected, Settings s) {
        return threshold(expected, baseline.variance(), s);
    }

    /** {@code errors} and {@code timeouts} are null for a bucket re-judged after late calls (not kept). */
    private void emitOpen(
            long now,
            long start,
            int count,
            Integer errors,
            Integer timeouts,
            double expected,
            double threshold,
            Settings s,
            Emitter out) {
        Map<String, Object> ev = evidence(s, expected, threshold);
        ev.put("observedCount", count);
        ev.put("ratio", expected > 0 ? Scoring.round(count / expected) : null);
        ev.put("errorsInBucket", errors);
        ev.put("timeoutsInBucket", timeouts);
        if (start != bucketStart) {
            ev.put("lateCountedBucket", Instant.ofEpochMilli(start).toString());
        }
        String summary = String.format(
                "%s ran %d times in %d s against %.1f expected (%s, threshold %.0f).",
                out.key().function(),
                count,
                s.bucketMs() / 1000,
                expected,
                expected > 0 ? String.format("%.1f×", count / expected) : "none usual",
                threshold);
        out.emit(new Emitter.Draft(
                AlertType.TRAFFIC_SPIKE,
                AlertState.OPEN,
                incident.openedAt(),
                incident.openedAt(),
                start + s.bucketMs(),
                now,
                Scoring.score(count, threshold),
                count,
                expected,
                threshold,
                summary,
                ev));
    }

    private void emitResolved(long start, long end, int lastCount, long now, double expected, Settings s, Emitter out) {
        double threshold = threshold(expected, s);
        Map<String, Object> ev = evidence(s, expected, threshold);
        ev.put("peakCount", (int) incident.peak());
        ev.put("lastBucketCount", lastCount);
        String summary = String.format(
                "%s is back to its usual rate (last bucket %d, expected %.1f, peak was %d).",
                out.key().function(), lastCount, expected, (int) incident.peak());
        out.emit(new Emitter.Draft(
                AlertType.TRAFFIC_SPIKE,
                AlertState.RESOLVED,
                start,
                start,
                end,
                now,
                Scoring.score(incident.peak(), threshold),
                lastCount,
                expected,
                threshold,
                summary,
                ev));
    }

    private Map<String, Object> evidence(Settings s, double expected, double threshold) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("bucketSeconds", s.bucketMs() / 1000);
        ev.put("expectedCount", Scoring.round(expected));
        ev.put("baselineLevel", Scoring.round(baseline.level()));
        ev.put("seasonalFactor", Scoring.round(baseline.level() > 0 ? expected / baseline.level() : 1));
        ev.put("residualStdDev", Scoring.round(Math.sqrt(baseline.variance())));
        ev.put("bandUpper", Scoring.round(threshold));
        ev.put("bucketsInBaseline", bucketsSeen);
        return ev;
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(bucketStart);
        o.writeInt(count);
        o.writeInt(errors);
        o.writeInt(timeouts);
        o.writeBoolean(bucketAnomalous);
        o.writeInt(bucketsSeen);
        baseline.write(o);
        incident.write(o);
        for (int c : closed) {
            o.writeInt(c);
        }
    }

    @Override
    public boolean reads(int version) {
        return version == 1;
    }

    /** Version 1 had no closed-bucket counts: late calls amend nothing until the buckets have rolled. */
    @Override
    public void read(DataInput in, int version) throws IOException {
        readV1(in);
        Arrays.fill(closed, 0);
    }

    @Override
    public void read(DataInput in) throws IOException {
        readV1(in);
        for (int k = 0; k < LATE_BUCKETS; k++) {
            closed[k] = in.readInt();
        }
    }

    private void readV1(DataInput in) throws IOException {
        bucketStart = in.readLong();
        count = in.readInt();
        errors = in.readInt();
        timeouts = in.readInt();
        bucketAnomalous = in.readBoolean();
        bucketsSeen = in.readInt();
        baseline.read(in);
        incident.read(in);
    }
}
