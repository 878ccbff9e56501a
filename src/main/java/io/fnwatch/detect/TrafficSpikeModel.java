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
 * Invocations per bucket against the function's own seasonal baseline, at several horizons at once: spikes
 * ({@code TRAFFIC_SPIKE}) and drops or silence ({@code TRAFFIC_DROP}).
 *
 * <p><b>Baseline.</b> The expected count of a bucket is {@code E = L·hour[h]·day[d]} ({@link SeasonalBaseline};
 * L the exponentially weighted level, weight α), σ² the weighted variance of {@code c − E}.
 *
 * <p><b>Spikes, one bucket.</b> A bucket with count {@code c} is anomalous when
 * {@code c ≥ T₁ = max(minCount, minRatio·E, E + z·√max(σ², E))}; the √E floor is Poisson counting noise. An
 * incident opens when {@code confirmBuckets} of the last {@code confirmWindow} buckets were anomalous.
 *
 * <p><b>Spikes, longer scales.</b> For each scale of h = 5, 15, 30 and 60 buckets ({@link #SCALES}), the count
 * {@code W_h} of the current bucket and the h − 1 closed ones before it is judged against
 * {@code μ_h = max(S·Σ season(t), Σ H[h(t)]/bucketsPerHour)} over those buckets: S a slow level (the
 * deseasonalised count learned with weight {@code longAlpha}, about 5 hours at 0.003, each bucket with its own
 * hour and day factor) and H[h] the usual calls of that local hour of the day (see drops): neither has learned
 * the window being judged, which the fast level would have; with an exact negative-binomial tail: {@code T_h} is the smallest n with
 * {@code P(X ≥ n) ≤ spikeAlpha / 4}, X of mean μ_h and variance {@code μ_h·(1 + φ) + μ_h²·a/((2 − a)·S)}
 * (a = longAlpha): φ = max(0, σ²/E − 1) is the over-dispersion the residual variance shows, and the last term
 * the uncertainty of a level learned from about {@code 2S/a} calls
 * (with none of either, the plain Poisson tail). The budget spikeAlpha is split evenly over the four scales
 * (Bonferroni), so adding scales adds no noise. A scale judges only once every hour its window spans has been
 * seen in full (a day of history). Floors: {@code T_h ≥ max(longMinCount, minRatio·μ_h)}. A crossing
 * opens the incident at once (the scale is its own confirmation). Thresholds are computed once per bucket, when
 * it begins; an event then compares integers ({@code c ≥ T_h − closed part of W_h}). The evidence names the
 * scale that fired ({@code scaleMinutes}) with the observed and expected counts over it.
 *
 * <p><b>Learning and resolving.</b> Closed buckets (empty ones count as zeros) update the baseline; buckets
 * during which any scale crossed its threshold only with {@code min(c, T₁)}, at a quarter of the rate and not
 * the variance, and no bucket adds more than {@code 3·√max(σ², E)} of error to σ². A spike incident resolves
 * after {@code resolveBuckets} normal buckets in a row: a bucket is normal when {@code c < T₁} and, when a longer
 * scale opened the incident, the windows ending at it up to that scale are under their thresholds (so a rise
 * found over 15 minutes resolves once the last 15 minutes are back to normal, silent ones included). No spike before {@code warmupBuckets}.
 *
 * <p><b>Drops.</b> Two one-sided CUSUMs of the log-likelihood ratio of "the rate fell to ρ of its expectation",
 * one for ρ = dropRatio (a fall to a fifth), one for ρ = silenceRatio (near silence, which it proves
 * {@code (1 − silenceRatio)/(1 − dropRatio)} times sooner: 1.19 at the defaults), over each closed bucket:
 * {@code C ← min(dropThreshold, max(0, C + (1 − ρ)·E' + c·ln ρ))}, with
 * {@code E' = H[h(t)]/bucketsPerHour}, H[h] the usual calls of that local hour of the day, working days and
 * weekends apart (48 figures): each full hour teaches it once a day with weight 1/4 (an hour with a spike
 * teaches nothing; an hour with a drop open teaches it, so a lasting lower rate is learned, but not the slow level S), so a function's usual idle hours and quiet weekends
 * never look like a drop (unknown hours judge nothing). Buckets with {@code E' < dropMinExpected} never start a run
 * (C stays 0): quiet functions and quiet hours do not alert for ordinary gaps. A {@code TRAFFIC_DROP} incident opens when
 * either {@code C ≥ dropThreshold} and, over that CUSUM's run since it was last 0, the calls are at most
 * {@code dropMaxRatio} of the expected ones (a drop, not a dip); it resolves when both are back to 0 (the rate is back to normal, or, after days, H has
 * learned a lasting lower rate). Under Poisson noise a run of either CUSUM reaches the threshold with probability
 * at most {@code e^−dropThreshold} (Wald). No drop before
 * {@code dropWarmupBuckets}. Drops are judged while the function is silent, and before the bucket closes:
 * {@link #advance} closes the buckets up to stream time as empty, then judges the current bucket so far as
 * {@code C + (1 − ρ)·E'·f + c·ln ρ} (f the part of it that has passed, c its calls so far: silence is evidence
 * before the bucket ends). {@link #deadline} is the time at which silence from then on could first complete a
 * drop (within the current bucket, or from the usual calls of this hour and the next; an hour on in quiet
 * hours), the next bucket end while an incident is open, and {@code Long.MAX_VALUE} when no hour of the day is
 * busy enough for a drop (most quiet functions, which then cost no tick at all).
 *
 * <p>Late events (within {@code late.grace.ms}; older ones never reach the model) count in the bucket of their
 * own time, never in the current one. The counts of the last {@value #RING} closed buckets are kept: a late call
 * amends its bucket's count and what that bucket taught the level ({@link SeasonalBaseline#amend}, discounted
 * by the {@code (1−α)^k} later buckets have worn it down by), the windows of the current bucket that hold it,
 * and re-judges the bucket against its own one-bucket threshold: if it now reaches it, it takes its place in
 * the M-of-N window, which may open the incident at once (detected at the current bucket's start). Its later
 * neighbours are not re-judged, an open incident is not escalated by late calls, and a drop already judged is
 * not revisited. A late call older than the kept buckets is not counted by this detector.
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
            double dayAlpha,
            double longAlpha,
            double spikeAlpha,
            int longMinCount,
            double dropRatio,
            double silenceRatio,
            double dropThreshold,
            double dropMaxRatio,
            double dropMinExpected,
            int dropWarmupBuckets) {

        /** These settings in another time zone. */
        public Settings withTimeZone(ZoneId zone) {
            return new Settings(
                    bucketMs,
                    alpha,
                    warmupBuckets,
                    z,
                    minRatio,
                    minCount,
                    confirmBuckets,
                    confirmWindow,
                    resolveBuckets,
                    cooldownMs,
                    zone,
                    hourAlpha,
                    dayAlpha,
                    longAlpha,
                    spikeAlpha,
                    longMinCount,
                    dropRatio,
                    silenceRatio,
                    dropThreshold,
                    dropMaxRatio,
                    dropMinExpected,
                    dropWarmupBuckets);
        }
    }

    public static final DetectorSpec<Settings, TrafficSpikeModel> SPEC = DetectorSpec.of(
                    "traffic-spike", 1, TrafficSpikeModel::new, AlertType.TRAFFIC_SPIKE, AlertType.TRAFFIC_DROP)
            .withEvents(EventKind.INVOCATION)
            // 2: the counts of the last closed buckets, for late events; 3: 60 of them for the longer scales,
            // and the drop test; 4: the silence CUSUM (versions 1 to 3 are still read)
            .withStateVersion(4)
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
                    Param.decimal("dayAlpha", 0, 1, "learning rate of the day-of-week factors"),
                    Param.decimal("longAlpha", 0.00001, 1, "weight of the newest bucket in the slow level"),
                    Param.decimal(
                            "spikeAlpha",
                            1e-15,
                            0.1,
                            "false-alarm probability per bucket, shared by the longer scales"),
                    Param.integer(
                            "longMinCount", 1, 100_000_000, "a spike over a longer scale has at least this many calls"),
                    Param.decimal(
                            "dropRatio",
                            0.001,
                            0.9,
                            "the drop the first CUSUM looks for, as a fraction of the expected rate"),
                    Param.decimal(
                            "silenceRatio",
                            0.001,
                            0.9,
                            "the near-silence the second CUSUM looks for, as a fraction of the expected rate"),
                    Param.decimal("dropThreshold", 1, 1000, "CUSUM log-likelihood ratio at which a drop opens"),
                    Param.decimal("dropMaxRatio", 0, 1, "a drop has at most this fraction of the expected calls"),
                    Param.decimal(
                            "dropMinExpected", 0, 1_000_000, "buckets expected to hold fewer calls never start a drop"),
                    Param.integer("dropWarmupBuckets", 0, 10_000_000, "buckets of history before a drop alert"))
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
                    v.decimal("dayAlpha"),
                    v.decimal("longAlpha"),
                    v.decimal("spikeAlpha"),
                    v.integer("longMinCount"),
                    v.decimal("dropRatio"),
                    v.decimal("silenceRatio"),
                    v.decimal("dropThreshold"),
                    v.decimal("dropMaxRatio"),
                    v.decimal("dropMinExpected"),
                    v.integer("dropWarmupBuckets")))
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
    /** Closed buckets a late event may still be counted in: the default 5-minute grace of 1-minute buckets. */
    static final int LATE_BUCKETS = 6;
    /** The longer scales, in buckets (minutes at the default 1-minute bucket); the one-bucket scale is T₁. */
    static final int[] SCALES = {5, 15, 30, 60};
    /** Weight of today's count of an hour in its usual figure. */
    private static final float HOURLY_WEIGHT = 0.25f;
    /** Closed bucket counts kept: the longest scale's. */
    static final int RING = 60;
    /** Seasonal factors are constant within a quarter hour of UTC (every zone's offset is a multiple of it). */
    private static final long QUARTER = 15 * 60_000L;
    /** How far ahead {@link #deadline} looks for a drop before it asks to be woken up again. */
    private static final int DEADLINE_LOOKAHEAD = 60;
    /** The drop CUSUM for a fall to dropRatio of the expected rate. */
    static final int FIFTH = 0;
    /** The drop CUSUM for a fall to silenceRatio (near silence). */
    static final int SILENCE = 1;

    private long bucketStart = -1;
    private int count;
    private int errors;
    private int timeouts;
    /** The one-bucket scale crossed T₁ during the current bucket. */
    private boolean bucketOne;
    /** A longer scale crossed its threshold during the current bucket. */
    private boolean bucketLong;

    private int bucketsSeen;
    /** Counts of the closed buckets, saturated at 65,535: ring[(head − k) mod RING] is k buckets back. */
    private final char[] ring = new char[RING];

    private int head;
    /** 1 + the index of the longer scale that opened the spike incident; 0: the one-bucket scale did. */
    private byte openScale;

    private final SeasonalBaseline baseline = new SeasonalBaseline();
    /**
     * The slow level: the deseasonalised count per bucket learned with weight longAlpha, for the longer scales
     * and drops, whose windows the fast level would learn while they are judged (-1: not yet learned).
     */
    private float slow = -1;
    /**
     * Calls per local hour of the day, each learned once a day with weight 1/4 (NaN: not yet seen in full): what
     * a drop is judged against at most, so that a function's usual idle hours never look like one.
     */
    private final float[] hourly = new float[48];
    /** The local hour being counted (-1: none), its calls and its closed buckets so far. */
    private byte hour = -1;

    private int hourCount;
    private short hourBuckets;

    {
        Arrays.fill(hourly, Float.NaN);
    }

    private final Incident incident = new Incident();

    /**
     * The drop CUSUMs ({@link #FIFTH}: rate at dropRatio, {@link #SILENCE}: at silenceRatio), and the calls,
     * expected calls and start of each one's current run.
     */
    private final float[] dropSum = new float[2];

    private final int[] runCount = new int[2];
    private final float[] runExpected = new float[2];
    private final long[] runStart = {-1, -1};
    private final Incident drop = new Incident();
    /**
     * The stream time of the last look at the current bucket so far. Stored: {@link #deadline} depends on it, and
     * a state read back (after a crash, or evicted from the write-back cache) must wake the function when the
     * uninterrupted run does, or exactly-once replays and backtests would open drops at other times.
     */
    private long peekedAt = Long.MIN_VALUE;

    // Per-bucket figures, computed once when a bucket begins (not stored: recomputed after a restore).
    private long preparedFor = Long.MIN_VALUE;
    private Settings preparedWith;
    private double e1;
    private double t1;
    private int needMin;
    private final int[] need = new int[SCALES.length];
    private final int[] thr = new int[SCALES.length];
    /** The closed buckets' part of each longer scale's window ending at the current bucket. */
    private final int[] closedSum = new int[SCALES.length];

    private final double[] mu = new double[SCALES.length];
    /** The current bucket's expected count from the slow level (drops). */
    private double eSlow;
    /** The same, the largest this hour or the next, and over any hour of the week. */
    private double eSoon;

    private double eMax;

    @Override
    public boolean warmingUp(Settings s) {
        return bucketsSeen < s.warmupBuckets();
    }

    private boolean dropWarmingUp(Settings s) {
        return bucketsSeen < s.dropWarmupBuckets();
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

    /** Start of the open spike incident, or -1. */
    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    /** Start of the open drop incident, or -1. */
    public long dropSince() {
        return drop.isOpen() ? drop.openedAt() : -1;
    }

    /** The larger drop CUSUM (for tests and diagnostics). */
    double dropSum() {
        return Math.max(dropSum[FIFTH], dropSum[SILENCE]);
    }

    /** The drop CUSUM {@code k} ({@link #FIFTH} or {@link #SILENCE}; for tests and diagnostics). */
    double dropSum(int k) {
        return dropSum[k];
    }

    /** Start of the bucket being counted (-1: none yet), its invocations and errors so far (for the history). */
    long bucketStart() {
        return bucketStart;
    }

    int bucketCount() {
        return count;
    }

    int bucketErrors() {
        return errors;
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
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        if (count >= needMin) {
            judge(t, s, out);
        }
    }

    /** The current bucket's count reached some scale's threshold. */
    private void judge(long t, Settings s, Emitter out) {
        int fired = -1;
        for (int k = 0; k < SCALES.length; k++) {
            // a window that still holds buckets of the last incident does not open another
            if (count >= need[k] && bucketStart - (SCALES[k] - 1) * s.bucketMs() > incident.resolvedAt()) {
                fired = k;
                break;
            }
        }
        boolean one = count >= t1;
        if (!one && fired < 0) {
            return;
        }
        incident.observe(count);
        boolean opens = false;
        if (one && !bucketOne) {
            opens = incident.anomalous(bucketStart, t, count, s.confirmBuckets(), s.confirmWindow(), s.cooldownMs());
            if (opens) {
                openScale = 0;
            }
        }
        bucketOne |= one;
        if (fired >= 0 && !bucketLong) {
            bucketLong = true;
            if (!incident.isOpen()) {
                // a longer scale is its own confirmation: its window already holds many buckets
                opens = incident.anomalous(bucketStart, t, count, 1, 1, s.cooldownMs());
                openScale = opens && !one ? (byte) (fired + 1) : 0;
            } else if (openScale > 0) {
                incident.anomalous(bucketStart, t, count, 1, 1, s.cooldownMs()); // still over: no resolving
            }
        }
        // the scale to report: the one-bucket one when it fired, else the shortest longer scale that did
        int scale = one ? -1 : fired;
        long observed = scale < 0 ? count : (long) closedSum[scale] + count;
        double expected = scale < 0 ? e1 : mu[scale];
        double threshold = scale < 0 ? t1 : thr[scale];
        Severity severity = Severity.ofScore(Scoring.score(observed, threshold));
        if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
            if (opens) {
                incident.severityRisesTo(severity);
            }
            emitOpen(t, bucketStart, scale, observed, errors, timeouts, expected, threshold, s, out);
        }
    }

    /**
     * Computes the current bucket's thresholds: T₁, and for each longer scale T_h and what the current bucket
     * still needs to reach it ({@code T_h} minus the closed buckets' part of the window).
     */
    private void prepare(Settings s) {
        preparedFor = bucketStart;
        preparedWith = s;
        ZoneId zone = s.timeZone();
        double var = baseline.variance();
        e1 = baseline.expected(bucketStart, zone);
        double perHour = 3_600_000.0 / s.bucketMs();
        int h = hourOf(bucketStart, zone);
        eSlow = dropExpected(h, perHour);
        t1 = threshold(e1, var, s);
        double phi = e1 > 0 ? Math.max(0, var / e1 - 1) : 0;
        double sl = Math.max(0, slow);
        double levelVar = sl > 1e-12 ? s.longAlpha() / ((2 - s.longAlpha()) * sl) : 0;
        double alpha = s.spikeAlpha() / SCALES.length;
        double cumE = 0;
        long cumC = 0;
        double cumH = 0;
        double perHourSpike = 3_600_000.0 / s.bucketMs();
        long chunk = Long.MIN_VALUE;
        double f = 0;
        double usual = 0;
        boolean known = true;
        boolean warming = warmingUp(s);
        int k = 0;
        for (int j = 0; j < RING && k < SCALES.length; j++) {
            long start = bucketStart - j * s.bucketMs();
            long q = Math.floorDiv(start, QUARTER);
            if (q != chunk) {
                chunk = q;
                f = baseline.factor(start, zone);
                float u = hourly[hourOf(start, zone)];
                usual = Float.isNaN(u) ? 0 : u / perHourSpike;
                known &= !Float.isNaN(u);
            }
            cumE += f;
            cumH += usual;
            if (j > 0) {
                cumC += closedCount(j);
            }
            if (j + 1 == SCALES[k]) {
                // the slow level has barely learned the window yet; the usual calls of its hours not at all
                mu[k] = Math.max(cumH, cumE * sl);
                closedSum[k] = (int) cumC;
                if (known && !warming) {
                    long floor = Math.max(s.longMinCount(), (long) Math.ceil(s.minRatio() * mu[k]));
                    long tail = CountTail.upper(mu[k], mu[k] > 0 ? phi / mu[k] + levelVar : 0, alpha);
                    thr[k] = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(floor, tail));
                    need[k] = (int) Math.max(1, thr[k] - cumC);
                } else { // warming up, or an hour of the window not yet seen in full: too little history
                    thr[k] = Integer.MAX_VALUE / 2;
                    need[k] = Integer.MAX_VALUE;
                }
                k++;
            }
        }
        int n = (int) Math.min(Integer.MAX_VALUE, Math.ceil(t1));
        for (int j = 0; j < SCALES.length; j++) {
            n = Math.min(n, need[j]);
        }
        needMin = warming ? Integer.MAX_VALUE : Math.max(1, n);
        long nextHour = (Math.floorDiv(bucketStart, 3_600_000L) + 1) * 3_600_000L;
        eSoon = Math.max(eSlow, dropExpected(hourOf(nextHour, zone), perHour));
        float busiest = 0;
        for (float v : hourly) {
            busiest = Float.isNaN(v) ? busiest : Math.max(busiest, v);
        }
        eMax = busiest / perHour;
    }

    /** A late call for the closed bucket {@code k} buckets before the current one, starting at {@code start}. */
    private void late(int k, long start, Settings s, Emitter out) {
        if (k > RING) {
            return; // older than the kept buckets: not counted (see the class comment)
        }
        int before = closedCount(k);
        int after = Math.min(before + 1, Character.MAX_VALUE);
        ring[Math.floorMod(head - k, RING)] = (char) after;
        if (preparedFor == bucketStart) {
            for (int j = 0; j < SCALES.length; j++) {
                if (k < SCALES[j]) { // the current bucket's window of that scale holds the late call
                    closedSum[j] += after - before;
                    need[j] = Math.max(1, thr[j] - closedSum[j]);
                    needMin = warmingUp(s) ? Integer.MAX_VALUE : Math.min(needMin, need[j]);
                }
            }
        }
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
            emitOpen(now, start, -1, after, null, null, expected, threshold, s, out);
        }
    }

    /** The count of the closed bucket {@code k} (1..{@value #RING}) buckets before the current one. */
    int closedCount(int k) {
        return ring[Math.floorMod(head - k, RING)];
    }

    /** Closes the buckets that ended by {@code now} (as empty ones after the current), judging drops. */
    @Override
    public void advance(long now, Settings s, Emitter out) {
        if (bucketStart < 0) {
            return;
        }
        long bucket = Math.floorDiv(now, s.bucketMs()) * s.bucketMs();
        if (bucket > bucketStart) {
            roll(bucket, now, s, out);
        }
        if (now > bucketStart && !drop.isOpen() && !dropWarmingUp(s)) {
            peekDrop(now, s, out);
        }
    }

    /**
     * Judges the current bucket so far at stream time {@code now}: its silence is evidence before it closes. Each
     * drop CUSUM as it would stand with the bucket's calls so far and the expected calls of the part of it that has
     * passed, {@code C + (1 − ρ)·E'·f + c·ln ρ} (f the fraction passed), opens the drop when it reaches the
     * threshold and the run holds few enough calls ({@link #fewEnough}). The CUSUMs themselves move only when the
     * bucket closes.
     */
    private void peekDrop(long now, Settings s, Emitter out) {
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        peekedAt = now;
        double f = Math.min(1, (now - bucketStart) / (double) s.bucketMs());
        for (int k = 0; k < 2; k++) {
            boolean running = dropSum[k] > 0;
            if (!running && eSlow < s.dropMinExpected()) {
                continue;
            }
            double rho = ratio(k, s);
            double expected = eSlow * f;
            double at = dropSum[k] + (1 - rho) * expected + count * Math.log(rho);
            int calls = (int) Math.min(Integer.MAX_VALUE, (running ? (long) runCount[k] : 0) + count);
            double usual = (running ? runExpected[k] : 0) + expected;
            long start = running ? runStart[k] : bucketStart;
            if (at >= s.dropThreshold()
                    && fewEnough(calls, usual, s)
                    && drop.anomalous(start, now, usual, 1, 1, s.cooldownMs())) {
                drop.severityRisesTo(Severity.ofScore(dropScore(calls, usual, s)));
                emitDrop(AlertState.OPEN, drop.openedAt(), now, count, eSlow, calls, usual, at, k, now, s, out);
                return;
            }
        }
    }

    @Override
    public long deadline(Settings s) {
        if (bucketStart < 0) {
            return Long.MAX_VALUE;
        }
        long end = bucketStart + s.bucketMs();
        if (incident.isOpen() || drop.isOpen()) {
            return end;
        }
        if (dropWarmingUp(s)) {
            return Long.MAX_VALUE;
        }
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        if (dropSum[FIFTH] <= 0 && dropSum[SILENCE] <= 0 && eMax < s.dropMinExpected()) {
            return Long.MAX_VALUE; // too quiet at every hour of the week for a drop to start
        }
        long due = Long.MAX_VALUE;
        for (int k = 0; k < 2; k++) {
            due = Math.min(due, dropDue(k, s));
        }
        // a look at this bucket so far that did not open (too many calls for a drop, or the cooldown): the
        // bucket's end judges it again
        return due <= peekedAt ? end : due;
    }

    /**
     * The earliest time at which silence from now on could take drop CUSUM {@code k} to the threshold: within
     * the current bucket, where {@link #peekDrop} looks (the CUSUM grows by {@code (1 − ρ)·E'} per bucket of
     * silence, each call takes {@code −ln ρ} off), or after it, at most {@value #DEADLINE_LOOKAHEAD} buckets on.
     */
    private long dropDue(int k, Settings s) {
        long end = bucketStart + s.bucketMs();
        double rho = ratio(k, s);
        double at = dropSum[k] + count * Math.log(rho); // the CUSUM now, before this bucket's expected calls
        double perBucket = dropSum[k] > 0 || eSlow >= s.dropMinExpected() ? (1 - rho) * eSlow : 0;
        if (perBucket > 0 && at + perBucket >= s.dropThreshold()) {
            double f = Math.max(0, (s.dropThreshold() - at) / perBucket);
            return bucketStart + Math.min(s.bucketMs(), (long) Math.ceil(f * s.bucketMs()));
        }
        double after = perBucket > 0 ? Math.max(0, at + perBucket) : dropSum[k];
        if (after <= 0 && eSoon < s.dropMinExpected() || eSoon <= 0) {
            return end + DEADLINE_LOOKAHEAD * s.bucketMs(); // a quiet hour: look again in an hour
        }
        double soon = (1 - rho) * eSoon; // at most what each silent bucket adds within the hour
        double buckets = (s.dropThreshold() - after) / soon;
        return end + (long) Math.ceil(Math.min(DEADLINE_LOOKAHEAD, Math.max(0, buckets)) * s.bucketMs());
    }

    private static double ratio(int k, Settings s) {
        return k == FIFTH ? s.dropRatio() : s.silenceRatio();
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        if (incident.isOpen() && (preparedFor != bucketStart || preparedWith != s)) {
            prepare(s);
        }
        closeBucket(bucketStart, count, bucketOne || bucketLong, true, now, s, out);
        long empty = Math.min((next - bucketStart) / s.bucketMs() - 1, MAX_EMPTY_STEPS);
        for (long i = 1; i <= empty; i++) {
            closeBucket(bucketStart + i * s.bucketMs(), 0, false, false, now, s, out);
        }
        bucketStart = next;
        count = 0;
        errors = 0;
        timeouts = 0;
        bucketOne = false;
        bucketLong = false;
    }

    /**
     * Closes one bucket: resolves, judges the drop test, learns, and pushes its count into the ring.
     * {@code prepared}: the bucket is the one whose thresholds {@link #prepare} computed.
     */
    private void closeBucket(
            long start, int c, boolean anomalous, boolean prepared, long now, Settings s, Emitter out) {
        double expected = baseline.expected(start, s.timeZone());
        if (incident.isOpen() && normal(c, prepared)) {
            long resolved = incident.normal(now, s.resolveBuckets());
            if (resolved >= 0) {
                openScale = 0;
                emitResolved(resolved, start + s.bucketMs(), c, now, expected, s, out);
            }
        } else if (incident.isOpen()) {
            incident.interrupt(); // a window still over its threshold: the normal streak starts again
        }
        double factor = baseline.factor(start, s.timeZone());
        double perHour = 3_600_000.0 / s.bucketMs();
        int h = hourOf(start, s.timeZone());
        countHour(h, c, perHour);
        judgeDrop(start, c, dropExpected(h, perHour), now, s, out);
        if (anomalous || incident.isOpen()) {
            // an hour with a spike does not teach its usual calls: it would make the same hour of the next days
            // look like drops, and an hour with a drop does (weight 1/4), or a false drop could never unlearn
            hourBuckets = Short.MIN_VALUE / 2;
        }
        double taught = anomalous ? Math.min(c, threshold(expected, s)) : c;
        if (slow >= 0 && factor > 0 && !drop.isOpen()) { // nor does a drop teach the slow level
            slow += (float) ((anomalous ? ANOMALOUS_WEIGHT : 1) * s.longAlpha() * (taught / factor - slow));
        }
        // A spike is learned only up to the threshold, at a quarter of the rate, and never widens the band;
        // any count adds at most 3·noise of error to σ², so the ramp before a spike cannot widen it either.
        double noise = Math.sqrt(Math.max(baseline.variance(), expected));
        baseline.learn(
                start,
                s.timeZone(),
                taught,
                s.alpha(),
                s.hourAlpha(),
                s.dayAlpha(),
                anomalous ? ANOMALOUS_WEIGHT : 1,
                !anomalous,
                CLIP_Z * noise);
        if (slow < 0) {
            slow = (float) baseline.level();
        }
        ring[head] = (char) Math.min(c, Character.MAX_VALUE);
        head = (head + 1) % RING;
        incident.nextBucket();
        bucketsSeen = bucketsSeen == Integer.MAX_VALUE ? bucketsSeen : bucketsSeen + 1;
    }

    /**
     * True when the bucket being closed, with count {@code c}, is normal for resolving: under T₁, and each window
     * up to the longer scale that opened the incident under its threshold. {@code prepared}: it is the bucket
     * whose thresholds were computed; an empty bucket after it is judged by the ring against those thresholds.
     */
    private boolean normal(int c, boolean prepared) {
        if (prepared) {
            if (c >= t1) {
                return false;
            }
            for (int k = 0; k < openScale; k++) {
                if ((long) closedSum[k] + c >= thr[k]) {
                    return false;
                }
            }
            return true;
        }
        long sum = 0;
        int k = 0;
        for (int j = 1; j < RING && k < openScale; j++) {
            sum += closedCount(j);
            if (j + 1 == SCALES[k]) {
                if (sum >= thr[k]) {
                    return false;
                }
                k++;
            }
        }
        return true;
    }

    /** The local hour of the day of {@code t}, plus 24 on Saturdays and Sundays: working days and weekends apart. */
    private static int hourOf(long t, ZoneId zone) {
        int slot = SeasonalProfile.slot(t, zone);
        return (slot >> 3) + ((slot & 7) >= 5 ? 24 : 0);
    }

    /** The usual calls per bucket of local hour {@code h} (0 while unknown): what drops are judged against. */
    private double dropExpected(int h, double perHour) {
        float usual = hourly[h];
        return Float.isNaN(usual) ? 0 : usual / perHour;
    }

    /** Adds a closed bucket of local hour {@code h} to the hour counts; a full hour teaches its hour's figure. */
    private void countHour(int h, int c, double perHour) {
        if (h != hour) {
            if (hour >= 0 && hourBuckets >= perHour - 0.5) {
                float old = hourly[hour];
                hourly[hour] = Float.isNaN(old) ? hourCount : old + HOURLY_WEIGHT * (hourCount - old);
            }
            hour = (byte) h;
            hourCount = 0;
            hourBuckets = 0;
        }
        hourCount = (int) Math.min(Integer.MAX_VALUE, (long) hourCount + c);
        hourBuckets = (short) Math.min(Short.MAX_VALUE, hourBuckets + 1);
    }

    /**
     * One step of both drop CUSUMs for a closed bucket of {@code c} calls against {@code expected}: opens the drop
     * when one reaches the threshold with few enough calls in its run, resolves it when both are back to 0.
     */
    private void judgeDrop(long start, int c, double expected, long now, Settings s, Emitter out) {
        if (dropWarmingUp(s)) {
            drop.nextBucket();
            return;
        }
        for (int k = 0; k < 2; k++) {
            if (dropSum[k] <= 0 && expected < s.dropMinExpected()) {
                continue; // quiet functions and hours never start a run
            }
            double rho = ratio(k, s);
            double next =
                    Math.min(s.dropThreshold(), Math.max(0, dropSum[k] + (1 - rho) * expected + c * Math.log(rho)));
            if (next <= 0) {
                dropSum[k] = 0;
                runCount[k] = 0;
                runExpected[k] = 0;
                runStart[k] = -1;
                continue;
            }
            if (dropSum[k] <= 0) {
                runStart[k] = start;
                runCount[k] = 0;
                runExpected[k] = 0;
            }
            dropSum[k] = (float) next;
            runCount[k] = (int) Math.min(Integer.MAX_VALUE, (long) runCount[k] + c);
            runExpected[k] += (float) expected;
        }
        if (drop.isOpen()) {
            if (dropSum[FIFTH] <= 0 && dropSum[SILENCE] <= 0) {
                long resolved = drop.normal(now, 1);
                emitDrop(AlertState.RESOLVED, resolved, start + s.bucketMs(), c, expected, 0, 0, 0, FIFTH, now, s, out);
            }
        } else {
            for (int k = 0; k < 2; k++) {
                if (dropSum[k] >= s.dropThreshold()
                        && fewEnough(runCount[k], runExpected[k], s)
                        && drop.anomalous(runStart[k], now, runExpected[k], 1, 1, s.cooldownMs())) {
                    drop.severityRisesTo(Severity.ofScore(dropScore(runCount[k], runExpected[k], s)));
                    emitDrop(
                            AlertState.OPEN,
                            drop.openedAt(),
                            start + s.bucketMs(),
                            c,
                            expected,
                            runCount[k],
                            runExpected[k],
                            dropSum[k],
                            k,
                            now,
                            s,
                            out);
                    break;
                }
            }
        }
        drop.nextBucket();
    }

    /** True when a run of {@code calls} against {@code expected} is a drop, not a dip: at most dropMaxRatio of them. */
    private static boolean fewEnough(int calls, double expected, Settings s) {
        return calls <= s.dropMaxRatio() * expected;
    }

    /** 50 when the run holds dropMaxRatio of its expected calls, higher the fewer it holds. */
    private static double dropScore(int calls, double expected, Settings s) {
        return Scoring.score(s.dropMaxRatio() * expected + 1, calls + 1);
    }

    /** The expected count of the bucket holding {@code t} (for status pages and diagnostics). */
    public double expected(long t, Settings s) {
        return baseline.expected(Math.floorDiv(t, s.bucketMs()) * s.bucketMs(), s.timeZone());
    }

    /** The count at which the bucket holding {@code t} becomes anomalous. */
    public double threshold(long t, Settings s) {
        return threshold(expected(t, s), s);
    }

    /** The current bucket's threshold over the longer scale {@code k} (an index of {@link #SCALES}). */
    int scaleThreshold(int k, Settings s) {
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        return thr[k];
    }

    static double threshold(double expected, double var, Settings s) {
        double noise = Math.sqrt(Math.max(var, expected));
        return Math.max(s.minCount(), Math.max(s.minRatio() * expected, expected + s.z() * noise));
    }

    private double threshold(double expected, Settings s) {
        return threshold(expected, baseline.variance(), s);
    }

    /**
     * {@code scale}: an index of {@link #SCALES}, or -1 for the one-bucket scale. {@code errors} and
     * {@code timeouts} are null for a bucket re-judged after late calls (not kept).
     */
    private void emitOpen(
            long now,
            long start,
            int scale,
            long count,
            Integer errors,
            Integer timeouts,
            double expected,
            double threshold,
            Settings s,
            Emitter out) {
        int buckets = scale < 0 ? 1 : SCALES[scale];
        Map<String, Object> ev = evidence(s, expected, threshold, buckets);
        ev.put("scaleMinutes", Scoring.round(buckets * s.bucketMs() / 60_000.0));
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
                buckets * s.bucketMs() / 1000,
                expected,
                expected > 0 ? String.format("%.1f×", count / expected) : "none usual",
                threshold);
        out.emit(new Emitter.Draft(
                AlertType.TRAFFIC_SPIKE,
                AlertState.OPEN,
                incident.openedAt(),
                scale < 0 ? incident.openedAt() : start + s.bucketMs() - buckets * s.bucketMs(),
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
        Map<String, Object> ev = evidence(s, expected, threshold, 1);
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

    /**
     * {@code OPEN}: {@code calls} against {@code usual} over the run of CUSUM {@code k}, whose value is
     * {@code cusum}; {@code RESOLVED}: the last bucket's {@code lastCount} against {@code expected}.
     */
    private void emitDrop(
            AlertState state,
            long start,
            long end,
            int lastCount,
            double expected,
            int calls,
            double usual,
            double cusum,
            int k,
            long now,
            Settings s,
            Emitter out) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("bucketSeconds", s.bucketMs() / 1000);
        boolean open = state == AlertState.OPEN;
        double threshold = s.dropMaxRatio() * usual;
        if (open) {
            ev.put("scaleMinutes", Scoring.round((end - start) / 60_000.0));
            ev.put("observedCount", calls);
            ev.put("expectedCount", Scoring.round(usual));
            ev.put("ratio", usual > 0 ? Scoring.round(calls / usual) : null);
            ev.put("cusum", Scoring.round(cusum));
            ev.put("dropThreshold", s.dropThreshold());
            ev.put("testedRatio", ratio(k, s));
        }
        ev.put("baselineLevel", Scoring.round(baseline.level()));
        ev.put("lastBucketCount", lastCount);
        ev.put("lastBucketExpected", Scoring.round(expected));
        ev.put("bucketsInBaseline", bucketsSeen);
        String summary = open
                ? String.format(
                        "%s ran %d times in %d min against %.1f expected (%s): far below its usual rate.",
                        out.key().function(),
                        calls,
                        (end - start) / 60_000,
                        usual,
                        calls == 0 ? "silent" : String.format("%.2f×", calls / usual))
                : String.format(
                        "%s is back to its usual rate (last bucket %d, expected %.1f).",
                        out.key().function(), lastCount, expected);
        out.emit(new Emitter.Draft(
                AlertType.TRAFFIC_DROP,
                state,
                start,
                open ? start : end - s.bucketMs(),
                end,
                now,
                open ? dropScore(calls, usual, s) : 50,
                open ? calls : lastCount,
                open ? usual : expected,
                open ? threshold : expected * s.dropRatio(),
                summary,
                ev));
    }

    private Map<String, Object> evidence(Settings s, double expected, double threshold, int buckets) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("bucketSeconds", s.bucketMs() / 1000);
        ev.put("expectedCount", Scoring.round(expected));
        ev.put("baselineLevel", Scoring.round(baseline.level()));
        ev.put("seasonalFactor", Scoring.round(baseline.level() > 0 ? expected / (buckets * baseline.level()) : 1));
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
        o.writeBoolean(bucketOne);
        o.writeInt(bucketsSeen);
        baseline.write(o);
        incident.write(o);
        for (int k = RING; k >= 1; k--) {
            o.writeChar(closedCount(k));
        }
        o.writeBoolean(bucketLong);
        o.writeByte(openScale);
        o.writeFloat(slow);
        for (float v : hourly) {
            o.writeFloat(v);
        }
        o.writeByte(hour);
        o.writeInt(hourCount);
        o.writeShort(hourBuckets);
        o.writeFloat(dropSum[FIFTH]);
        o.writeInt(runCount[FIFTH]);
        o.writeFloat(runExpected[FIFTH]);
        o.writeLong(runStart[FIFTH]);
        drop.write(o);
        o.writeFloat(dropSum[SILENCE]);
        o.writeInt(runCount[SILENCE]);
        o.writeFloat(runExpected[SILENCE]);
        o.writeLong(runStart[SILENCE]);
        o.writeLong(peekedAt);
    }

    @Override
    public boolean reads(int version) {
        return version >= 1 && version <= 3;
    }

    /**
     * Version 1 had no closed-bucket counts, version 2 the last {@value #LATE_BUCKETS} as ints: the others read
     * as zeros (the longer windows see less than they held for their first hour), and the drop test starts
     * fresh. Version 3 had only the first drop CUSUM: the silence one starts fresh. Nothing is relearned.
     */
    @Override
    public void read(DataInput in, int version) throws IOException {
        resetDrop(SILENCE);
        if (version == 3) {
            readV3(in);
            return;
        }
        resetDrop(FIFTH);
        readV1(in);
        Arrays.fill(ring, (char) 0);
        head = 0;
        slow = bucketsSeen > 0 ? (float) baseline.level() : -1;
        Arrays.fill(hourly, Float.NaN);
        hour = -1;
        hourCount = 0;
        hourBuckets = 0;
        if (version == 2) {
            for (int k = 1; k <= LATE_BUCKETS; k++) {
                ring[Math.floorMod(-k, RING)] = (char) Math.max(0, Math.min(in.readInt(), Character.MAX_VALUE));
            }
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        readV3(in);
        dropSum[SILENCE] = in.readFloat();
        runCount[SILENCE] = in.readInt();
        runExpected[SILENCE] = in.readFloat();
        runStart[SILENCE] = in.readLong();
        peekedAt = in.readLong();
    }

    private void resetDrop(int k) {
        dropSum[k] = 0;
        runCount[k] = 0;
        runExpected[k] = 0;
        runStart[k] = -1;
    }

    /** The layout of version 3: version 4 appends the silence CUSUM. */
    private void readV3(DataInput in) throws IOException {
        readV1(in);
        head = 0;
        for (int i = 0; i < RING; i++) {
            ring[i] = in.readChar();
        }
        bucketLong = in.readBoolean();
        openScale = in.readByte();
        slow = in.readFloat();
        for (int i = 0; i < hourly.length; i++) {
            hourly[i] = in.readFloat();
        }
        hour = in.readByte();
        hourCount = in.readInt();
        hourBuckets = in.readShort();
        dropSum[FIFTH] = in.readFloat();
        runCount[FIFTH] = in.readInt();
        runExpected[FIFTH] = in.readFloat();
        runStart[FIFTH] = in.readLong();
        drop.read(in);
    }

    private void readV1(DataInput in) throws IOException {
        preparedFor = Long.MIN_VALUE;
        peekedAt = Long.MIN_VALUE;
        bucketStart = in.readLong();
        count = in.readInt();
        errors = in.readInt();
        timeouts = in.readInt();
        bucketOne = in.readBoolean();
        bucketsSeen = in.readInt();
        baseline.read(in);
        incident.read(in);
    }
}
