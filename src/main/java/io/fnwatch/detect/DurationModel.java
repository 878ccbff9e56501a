package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Warm-invocation durations against the function's own duration distribution, plus timeout surges.
 *
 * <p>Rule: the baseline B is an exponentially decayed {@link LogHistogram} of past normal windows (weight
 * {@code max(α·min(1, n/minSamples), n/N)} per window of n samples, N the samples seen so far: a running
 * average while history is short). A window W of {@code n ≥ minSamples} warm
 * invocations is anomalous when, for the median or for the 95th percentile q ∈ {0.5, 0.95}:
 * {@code ⌊W_q⌋ ≥ ratio_q·B_q} (⌊⌋ the lower edge of W_q's bin, so histogram resolution never fires it) and the count k of window samples above B_q's bin passes the binomial test
 * {@code k ≥ n·p + z·√(n·p·(1−p))} with p = B's share above that bin (at least {@code minTailSamples} for the
 * tail). It is also anomalous when timeouts {@code k_t ≥ minTimeouts} and {@code k_t ≥ max(timeoutRatio·r,
 * 0.1)·invocations}, r the baseline timeout rate. Cold starts (Init Duration) and timed-out invocations
 * are not duration samples. Normal windows update the baseline; anomalous ones do not. A function too quiet
 * to fill a window is judged over the last hour of windows as well ({@link DurationHorizon}): at least 85 % of
 * its samples above B's median (10 or more samples) with an exact binomial tail probability of at most 10⁻⁶,
 * or the hour's timeouts passing the timeout rule. Once open, an incident stays open while windows of 3 or more
 * samples keep their median above {@code minRatio·B_0.5} (hysteresis), and resolves after
 * {@code resolveWindows} windows that do not.
 */
public final class DurationModel implements Detector<DurationModel.Settings> {

    public record Settings(
            long windowMs,
            double alpha,
            int warmupSamples,
            int minSamples,
            double z,
            double minRatio,
            double tailRatio,
            int minTailSamples,
            int minTimeouts,
            double timeoutRatio,
            int confirmWindows,
            int resolveWindows,
            long cooldownMs) {}

    public static final DetectorSpec<Settings, DurationModel> SPEC = DetectorSpec.of(
                    "duration-anomaly", 2, DurationModel::new, AlertType.DURATION_ANOMALY)
            .withParams(
                    Param.duration("window", "10s", "1h", "length of one evaluation window"),
                    Param.decimal("alpha", 0.0001, 1, "weight of the newest full window in the baseline distribution"),
                    Param.integer("warmupSamples", 0, 100_000_000, "warm invocations seen before alerting"),
                    Param.integer("minSamples", 1, 100_000, "warm invocations a window needs to be judged"),
                    Param.decimal("z", 0.5, 100, "binomial standard deviations of samples above the baseline quantile"),
                    Param.decimal(
                            "minRatio", 1, 1000, "a median regression is at least this multiple of the usual median"),
                    Param.decimal("tailRatio", 1, 1000, "a tail regression is at least this multiple of the usual p95"),
                    Param.integer("minTailSamples", 1, 100_000, "samples above the usual p95 a tail regression needs"),
                    Param.integer("minTimeouts", 1, 100_000, "timeouts a window needs to be a timeout surge"),
                    Param.decimal("timeoutRatio", 1, 10_000, "a surge is this multiple of the usual timeout rate"),
                    Param.integer("confirmWindows", 1, 31, "anomalous windows in a row before OPEN"),
                    Param.integer("resolveWindows", 1, 10_000, "normal windows in a row before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withSettings(v -> new Settings(
                    v.millis("window"),
                    v.decimal("alpha"),
                    v.integer("warmupSamples"),
                    v.integer("minSamples"),
                    v.decimal("z"),
                    v.decimal("minRatio"),
                    v.decimal("tailRatio"),
                    v.integer("minTailSamples"),
                    v.integer("minTimeouts"),
                    v.decimal("timeoutRatio"),
                    v.integer("confirmWindows"),
                    v.integer("resolveWindows"),
                    v.millis("cooldown")));

    private static final int MAX_EMPTY_STEPS = 10_000;
    private static final int MAX_SAMPLE_IDS = 3;
    /** The one-window tail test needs this many samples; quieter functions are judged over the horizon. */
    private static final int TAIL_MIN_WINDOW = 20;

    private static final double HORIZON_MEDIAN_SHARE = 0.85;
    /** Fewer samples than this in an hour say too little about a median (tail: TAIL_MIN_WINDOW). */
    private static final int HORIZON_MIN_MEDIAN = 10;
    /** Samples a window needs to keep an open incident open. */
    private static final int CONTINUE_SAMPLES = 3;

    private static final double HORIZON_ALPHA = 1e-6;

    private long windowStart = -1;
    private final LogHistogram window = new LogHistogram();
    private final LogHistogram baseline = new LogHistogram();
    private double maxMs;
    private int invocations;
    private int timeouts;
    private boolean windowAnomalous;
    private final List<String> slowRequests = new ArrayList<>(MAX_SAMPLE_IDS);
    private int memorySizeMb;
    private int maxMemoryUsedMb;
    private double timeoutRate;
    private int samplesSeen;
    private final Incident incident = new Incident();
    private final DurationHorizon horizon = new DurationHorizon();
    private String lastTimeoutRequest;

    @Override
    public boolean warmingUp(Settings s) {
        return samplesSeen < s.warmupSamples();
    }

    /** Read-only baseline figures for the status page (no state changes). */
    public Map<String, Object> baseline() {
        boolean known = baseline.total() > 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50Ms", known ? Scoring.round(baseline.quantile(0.5)) : null);
        m.put("p95Ms", known ? Scoring.round(baseline.quantile(0.95)) : null);
        m.put("timeoutRate", Scoring.round(timeoutRate));
        m.put("samplesSeen", samplesSeen);
        return m;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        baselines.put("duration", baseline());
    }

    /** Start of the open incident, or -1. */
    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        boolean invocation = e.kind() == EventKind.INVOCATION;
        if (!invocation && !(e.kind() == EventKind.ERROR && e.isTimeout())) {
            return;
        }
        long t = e.epochMillis();
        long start = Math.floorDiv(t, s.windowMs()) * s.windowMs();
        if (windowStart < 0) {
            windowStart = start;
        } else if (start > windowStart) {
            roll(start, t, s, out);
        }
        record(e, invocation);
        if (warmingUp(s)) {
            return;
        }
        String why = anomaly(s);
        if (why == null) {
            return;
        }
        double observed = window.quantile(0.5);
        boolean opens = !windowAnomalous
                && incident.anomalous(windowStart, t, observed, s.confirmWindows(), s.confirmWindows(), s.cooldownMs());
        windowAnomalous = true;
        Severity severity = Severity.ofScore(score(s));
        if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
            if (opens) {
                incident.severityRisesTo(severity);
            }
            emit(AlertState.OPEN, incident.openedAt(), windowStart + s.windowMs(), t, why, s, out);
        }
    }

    private void record(FunctionEvent e, boolean invocation) {
        if (e.isTimeout()) {
            // the current format says it twice (REPORT "Status: timeout" and "Task timed out"): count it once
            if (e.requestId() == null || !e.requestId().equals(lastTimeoutRequest)) {
                timeouts++;
            }
            lastTimeoutRequest = e.requestId();
        } else if (!e.isColdStart() && e.durationMs() != null && e.durationMs() > 0) {
            window.add(LogHistogram.bin(e.durationMs()), 1);
            if (e.durationMs() > maxMs) {
                maxMs = e.durationMs();
            }
            double p95 = baseline.quantile(0.95);
            if (e.requestId() != null && slowRequests.size() < MAX_SAMPLE_IDS && !(e.durationMs() < p95)) {
                slowRequests.add(e.requestId());
            }
        }
        if (invocation) {
            invocations++;
            memorySizeMb = e.memorySizeMb() == null ? memorySizeMb : e.memorySizeMb();
            maxMemoryUsedMb = e.maxMemoryUsedMb() == null ? maxMemoryUsedMb : e.maxMemoryUsedMb();
        }
    }

    /** Which rule the window (or, for quiet functions, the last hour) breaks: median, tail, timeouts, or null. */
    private String anomaly(Settings s) {
        int n = (int) window.total();
        if (incident.isOpen() && n >= CONTINUE_SAMPLES && stillSlow(s)) {
            return "median";
        }
        if (n >= s.minSamples() && exceeds(0.5, s.minRatio(), 0, n, s)) {
            return "median";
        }
        if (n >= TAIL_MIN_WINDOW && exceeds(0.95, s.tailRatio(), s.minTailSamples(), n, s)) {
            return "tail";
        }
        if (timingOut(timeouts, invocations, s)) {
            return "timeouts";
        }
        return horizonAnomaly(s);
    }

    /**
     * The median and timeout questions over the last hour of windows, for functions too quiet for one: most
     * samples above the usual median, with an exact binomial tail — an effect size a 15 % deployment shift
     * never reaches, however many samples there are. (The tail question is not asked over the hour: a quiet
     * function's p95 is too uncertain to judge a few slow calls without false alarms — measured by bench fleet.)
     */
    private String horizonAnomaly(Settings s) {
        double b50 = baseline.quantile(0.5);
        if (Double.isNaN(b50)) {
            return null;
        }
        int[] now = tallies();
        int n = horizon.sum(0) + now[0];
        int k50 = horizon.sum(1) + now[1];
        double p50 = baseline.shareAbove(LogHistogram.bin(b50));
        if (n >= HORIZON_MIN_MEDIAN && k50 >= HORIZON_MEDIAN_SHARE * n && rare(k50, n, p50)) {
            return "median";
        }
        return timingOut(horizon.sum(3) + timeouts, horizon.sum(4) + invocations, s) ? "timeouts" : null;
    }

    /**
     * Hysteresis: an open incident goes on while the window's median stays above the band, without proving
     * significance again on every window's handful of samples (only opening needs the binomial test).
     */
    private boolean stillSlow(Settings s) {
        double base = baseline.quantile(0.5);
        return !Double.isNaN(base) && window.quantileFloor(0.5) >= s.minRatio() * base;
    }

    private boolean timingOut(int k, int calls, Settings s) {
        return k >= s.minTimeouts() && k >= Math.max(s.timeoutRatio() * timeoutRate, 0.1) * Math.max(calls, 1);
    }

    /**
     * Exact binomial upper tail: the chance of k or more of n samples above a level each exceeds with
     * probability p is at most {@code HORIZON_ALPHA} (few samples: the normal approximation is far too lenient).
     */
    private static boolean rare(int k, int n, double p) {
        if (p <= 0 || p >= 1) {
            return p <= 0 && k > 0;
        }
        return 1 - new BinomialDistribution(null, n, p).cumulativeProbability(k - 1) <= HORIZON_ALPHA;
    }

    private static boolean significant(double k, int n, double p, double z) {
        return k >= n * p + z * Math.sqrt(n * p * (1 - p));
    }

    /** This window's samples, samples above the usual median's bin, above the usual p95's bin. */
    private int[] tallies() {
        double b50 = baseline.quantile(0.5);
        double b95 = baseline.quantile(0.95);
        if (Double.isNaN(b50)) {
            return new int[] {(int) window.total(), 0, 0};
        }
        return new int[] {
            (int) window.total(),
            (int) window.weightAbove(LogHistogram.bin(b50)),
            (int) window.weightAbove(LogHistogram.bin(b95))
        };
    }

    private boolean exceeds(double q, double ratio, int minAbove, int n, Settings s) {
        double base = baseline.quantile(q);
        if (Double.isNaN(base) || window.quantileFloor(q) < ratio * base) {
            return false;
        }
        int bin = LogHistogram.bin(base);
        double p = baseline.shareAbove(bin);
        double k = window.weightAbove(bin);
        return k >= minAbove && significant(k, n, p, s.z());
    }

    private double score(Settings s) {
        double base = baseline.quantile(0.5);
        double slow = Double.isNaN(base) || window.total() == 0 ? 0 : window.quantile(0.5) / (s.minRatio() * base);
        double timeoutShare = invocations == 0 ? 0 : timeouts / (double) invocations / 0.1;
        return Scoring.score(Math.max(slow, timeoutShare), 1);
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        if (!windowAnomalous) {
            long resolved = incident.normal(now, s.resolveWindows());
            if (resolved >= 0) {
                emit(AlertState.RESOLVED, resolved, windowStart + s.windowMs(), now, null, s, out);
            }
            learn(s);
        }
        int[] closed = tallies();
        horizon.push(closed[0], closed[1], closed[2], timeouts, invocations);
        incident.nextBucket();
        long empty = Math.min((next - windowStart) / s.windowMs() - 1, MAX_EMPTY_STEPS);
        for (long i = 0; i < Math.min(empty, DurationHorizon.SLOTS); i++) {
            horizon.push(0, 0, 0, 0, 0);
        }
        for (long i = 0; i < empty && incident.isOpen(); i++) {
            long resolved = incident.normal(now, s.resolveWindows());
            if (resolved >= 0) {
                emit(AlertState.RESOLVED, resolved, windowStart + (i + 2) * s.windowMs(), now, null, s, out);
            }
            incident.nextBucket();
        }
        windowStart = next;
        window.clear();
        maxMs = 0;
        invocations = 0;
        timeouts = 0;
        windowAnomalous = false;
        slowRequests.clear();
    }

    private void learn(Settings s) {
        if (invocations > 0) {
            double rate = (double) timeouts / invocations;
            timeoutRate = samplesSeen == 0 ? rate : timeoutRate + s.alpha() * (rate - timeoutRate);
        }
        int n = (int) window.total();
        if (n > 0) {
            // a plain running average until the decayed one has enough history: early windows are few samples
            double decayed = s.alpha() * Math.min(1.0, n / (double) s.minSamples());
            baseline.blend(window, Math.max(decayed, n / (double) (samplesSeen + n)));
            samplesSeen = (int) Math.min(Integer.MAX_VALUE, (long) samplesSeen + n);
        }
    }

    private void emit(AlertState state, long start, long end, long now, String why, Settings s, Emitter out) {
        double b50 = baseline.quantile(0.5);
        double w50 = window.total() > 0 ? Math.min(maxMs, window.quantile(0.5)) : b50;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("rule", why);
        ev.put("windowSeconds", s.windowMs() / 1000);
        ev.put("warmSamplesInWindow", (int) window.total());
        ev.put("windowP50Ms", Scoring.round(w50));
        ev.put("windowP95Ms", Scoring.round(window.total() > 0 ? Math.min(maxMs, window.quantile(0.95)) : Double.NaN));
        ev.put("windowMaxMs", Scoring.round(maxMs));
        ev.put("baselineP50Ms", Scoring.round(b50));
        ev.put("baselineP95Ms", Scoring.round(baseline.quantile(0.95)));
        ev.put("bandUpperP50Ms", Scoring.round(b50 * s.minRatio()));
        ev.put("timeoutsInWindow", timeouts);
        ev.put("invocationsInWindow", invocations);
        ev.put("baselineTimeoutRate", Scoring.round(timeoutRate));
        ev.put("sampleRequestIds", List.copyOf(slowRequests));
        ev.put("memorySizeMb", memorySizeMb);
        ev.put("maxMemoryUsedMb", maxMemoryUsedMb);
        String summary = state == AlertState.OPEN
                ? String.format(
                        "%s warm invocations take %.0f ms at the median (p95 %.0f ms) against %.0f ms usual "
                                + "(%.1f×); %d timeouts of %d invocations in the window.",
                        out.key().function(),
                        w50,
                        Math.min(maxMs, window.quantile(0.95)),
                        b50,
                        w50 / b50,
                        timeouts,
                        invocations)
                : String.format(
                        "%s durations are back to normal (median about %.0f ms).",
                        out.key().function(), b50);
        out.emit(new Emitter.Draft(
                AlertType.DURATION_ANOMALY,
                state,
                start,
                start,
                end,
                now,
                score(s),
                w50,
                b50,
                b50 * s.minRatio(),
                summary,
                ev));
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(windowStart);
        window.write(o);
        baseline.write(o);
        o.writeDouble(maxMs);
        o.writeInt(invocations);
        o.writeInt(timeouts);
        o.writeBoolean(windowAnomalous);
        o.writeByte(slowRequests.size());
        for (String id : slowRequests) {
            o.writeUTF(id);
        }
        o.writeInt(memorySizeMb);
        o.writeInt(maxMemoryUsedMb);
        o.writeDouble(timeoutRate);
        o.writeInt(samplesSeen);
        incident.write(o);
        horizon.write(o);
        o.writeUTF(lastTimeoutRequest == null ? "" : lastTimeoutRequest);
    }

    @Override
    public void read(DataInput in) throws IOException {
        windowStart = in.readLong();
        window.read(in);
        baseline.read(in);
        maxMs = in.readDouble();
        invocations = in.readInt();
        timeouts = in.readInt();
        windowAnomalous = in.readBoolean();
        slowRequests.clear();
        int ids = in.readByte();
        for (int i = 0; i < ids; i++) {
            slowRequests.add(in.readUTF());
        }
        memorySizeMb = in.readInt();
        maxMemoryUsedMb = in.readInt();
        timeoutRate = in.readDouble();
        samplesSeen = in.readInt();
        incident.read(in);
        horizon.read(in);
        String last = in.readUTF();
        lastTimeoutRequest = last.isEmpty() ? null : last;
    }
}
