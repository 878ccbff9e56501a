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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm-invocation durations against the function's own duration distribution, plus timeout surges, judged by
 * four sequential tests (CUSUMs) that decide after as many calls as the evidence needs, not per window.
 *
 * <p><b>Baseline.</b> B is an exponentially decayed {@link LogHistogram} of past windows of {@code window}
 * (weight {@code max(alpha·min(1, n/5), n/N)} per window of n samples, N the samples seen so far: a running
 * average while history is short), and r the decayed timeout rate per invocation. A window teaches the
 * baseline only if no incident was open and no CUSUM rose above h/2 during it, so an incident's samples (and a
 * regression on its way to an alert) never teach it. Cold starts (Init Duration) and timed-out invocations are
 * not duration samples. No test runs before {@code warmupSamples} warm samples.
 *
 * <p><b>Tests.</b> Each is {@code S ← max(0, S + inc)} per trial and fires when {@code S ≥ h}:
 * <ul>
 *   <li>median: each warm sample in bin b adds {@code m(b) = ln f_B(b − ln medianRatio) / g0(b)} — the
 *       log-likelihood ratio of "the function became {@code medianRatio}× slower" against the baseline blurred
 *       by ±{@code tolerance} ({@link DurationTables}); for lognormal durations a uniform slowdown below about
 *       1.6× drifts down, 2× drifts up;
 *   <li>tail: {@code τ(b) = ln(1 − tailShare + tailShare·f_B(b − ln tailRatio)/g0(b))} — a share
 *       {@code tailShare} of calls {@code tailRatio}× slower;
 *   <li>timeout rate: each invocation adds {@code ln(p₁/p₀)} if it timed out, {@code ln((1−p₁)/(1−p₀))} if
 *       not, with {@code p₀ = max(r, minTimeoutRate)}, {@code p₁ = timeoutRatio·p₀};
 *   <li>timeout share: the same with {@code p₁ = timeoutShare} (a large share of calls timing out at once).
 * </ul>
 * Every increment table is normalised to be an exact log-likelihood ratio against the (blurred) baseline, so
 * under it each test's average run length is at least {@code e^h} trials (Lorden). The threshold is
 * {@code h = max(12, ln(arlDays · c))}, c the function's decayed invocations per day: at least
 * {@code arlDays} days between false alarms of one test on one function whose durations follow the baseline,
 * however busy it is (h = 17.2 at 2 calls a minute, 23.4 at 1,000).
 *
 * <p><b>Incident.</b> OPEN when a test fires (its start is the time its CUSUM last left 0: the change point),
 * unless within {@code cooldown} of the last incident. While open only the test that fired is followed, its
 * statistic capped at h; a window with calls that ends with it at {@code h − 3} or more keeps the incident
 * open (and may raise its severity once: one UPDATE), any other window — an empty one included, closed by
 * stream time ({@link #advance}) — counts towards RESOLVED after {@code resolveWindows} in a row, which resets
 * the statistics.
 */
public final class DurationModel implements Detector<DurationModel.Settings> {

    public record Settings(
            long windowMs,
            double alpha,
            int warmupSamples,
            double medianRatio,
            double tolerance,
            double tailRatio,
            double tailShare,
            double minTimeoutRate,
            double timeoutRatio,
            double timeoutShare,
            double arlDays,
            int resolveWindows,
            long cooldownMs) {}

    public static final DetectorSpec<Settings, DurationModel> SPEC = DetectorSpec.of(
                    "duration-anomaly", 2, DurationModel::new, AlertType.DURATION_ANOMALY)
            .withEvents(EventKind.INVOCATION, EventKind.ERROR)
            .withStateVersion(2)
            .withParams(
                    Param.duration("window", "10s", "1h", "window of baseline learning and of resolving"),
                    Param.decimal("alpha", 0.0001, 1, "weight of the newest full window in the baseline distribution"),
                    Param.integer("warmupSamples", 0, 100_000_000, "warm invocations seen before alerting"),
                    Param.decimal("medianRatio", 1.2, 1000, "the slowdown of all calls the median test is tuned to"),
                    Param.decimal("tolerance", 1, 2, "duration shifts up to this factor (deployments) are normal"),
                    Param.decimal("tailRatio", 1.5, 1000, "the slowdown of a share of calls the tail test is tuned to"),
                    Param.decimal("tailShare", 0.001, 0.9, "the share of calls the tail test expects slower"),
                    Param.decimal("minTimeoutRate", 0.000001, 0.5, "lowest usual timeout rate assumed"),
                    Param.decimal("timeoutRatio", 1.5, 10_000, "a timeout surge is this multiple of the usual rate"),
                    Param.decimal("timeoutShare", 0.001, 0.99, "or this share of calls timing out"),
                    Param.decimal("arlDays", 1, 1e9, "days between false alarms of one test, at least"),
                    Param.integer("resolveWindows", 1, 10_000, "normal windows in a row before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withSettings(v -> new Settings(
                    v.millis("window"),
                    v.decimal("alpha"),
                    v.integer("warmupSamples"),
                    v.decimal("medianRatio"),
                    v.decimal("tolerance"),
                    v.decimal("tailRatio"),
                    v.decimal("tailShare"),
                    v.decimal("minTimeoutRate"),
                    v.decimal("timeoutRatio"),
                    v.decimal("timeoutShare"),
                    v.decimal("arlDays"),
                    v.integer("resolveWindows"),
                    v.millis("cooldown")));

    private static final int MAX_EMPTY_STEPS = 10_000;
    private static final int MAX_SAMPLE_IDS = 3;
    private static final long DAY_MS = 86_400_000L;
    /** The lowest threshold, for the quietest functions: e^12 ≈ 160,000 trials between false alarms. */
    static final double MIN_THRESHOLD = 12;
    /**
     * While open, a window ends normal once the firing test's statistic is this far below h: the calls since the
     * cap are e^3 ≈ 20 times likelier under the baseline than under the regression.
     */
    static final double RESOLVE_NATS = 3;
    /** Window samples at which the decayed weight is full. */
    private static final int FULL_WINDOW = 5;

    static final int MEDIAN = 0;
    static final int TAIL = 1;
    static final int TIMEOUT_RATE = 2;
    static final int TIMEOUT_SHARE = 3;
    private static final int TESTS = 4;
    private static final String[] RULES = {"median", "tail", "timeouts", "timeouts"};
    private static final String[] TEST_NAMES = {"median", "tail", "timeoutRate", "timeoutShare"};

    private long windowStart = -1;
    private final LogHistogram window = new LogHistogram();
    private final LogHistogram baseline = new LogHistogram();
    private double maxMs;
    private int invocations;
    private int timeouts;
    /** A CUSUM rose above h/2 in this window: it does not teach the baseline. */
    private boolean suspicious;
    /** Request ids of the latest samples that raised a CUSUM (the newest replaces the oldest). */
    private final List<String> slowRequests = new ArrayList<>(MAX_SAMPLE_IDS);

    private int slowNext;
    private int memorySizeMb;
    private int maxMemoryUsedMb;
    private double timeoutRate;
    private int samplesSeen;
    /** Decayed invocations per window (−1 before the first window closed): sets the threshold h. */
    private float callsPerWindow = -1;

    private final float[] stat = new float[TESTS];
    private final long[] runStart = new long[TESTS];
    private final short[] runTrials = new short[TESTS];
    private final short[] runSlow = new short[TESTS];
    /** The test that opened the current (or last) incident. */
    private byte rule;

    private final Incident incident = new Incident();
    private String lastTimeoutRequest;

    // derived, not stored: rebuilt when the baseline, the timeout rate or the settings change
    private final DurationTables tables = new DurationTables();
    private Settings builtFor;
    private boolean dirty = true;
    private final double[] timeoutUp = new double[TESTS];
    private final double[] timeoutDown = new double[TESTS];
    private final double[] timeoutP1 = new double[TESTS];
    private double threshold = MIN_THRESHOLD;

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

    /** The current value of one test's statistic (for tests). */
    double statistic(int test) {
        return stat[test];
    }

    /** The threshold h the statistics are compared with (for tests), once the tables are built. */
    double threshold(Settings s) {
        prepare(s);
        return threshold;
    }

    /** Start of the window being filled (-1: none yet), for the history. */
    long windowStart() {
        return windowStart;
    }

    /** The q-quantile of the warm durations in the window so far (NaN: none), for the history. */
    double windowQuantile(double q) {
        return window.quantile(q);
    }

    /** The q-quantile of the baseline distribution (NaN: not learned yet), for the history. */
    double baselineQuantile(double q) {
        return baseline.quantile(q);
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
        int sampleBin = -1;
        boolean timeoutTrial = false;
        boolean okTrial = invocation;
        if (e.isTimeout()) {
            // the current format says it twice (REPORT "Status: timeout" and "Task timed out"): count it once
            timeoutTrial = e.requestId() == null || !e.requestId().equals(lastTimeoutRequest);
            okTrial = false;
            if (timeoutTrial) {
                timeouts++;
            }
            lastTimeoutRequest = e.requestId();
        } else if (!e.isColdStart() && e.durationMs() != null && e.durationMs() > 0) {
            sampleBin = LogHistogram.bin(e.durationMs());
            window.add(sampleBin, 1);
            maxMs = Math.max(maxMs, e.durationMs());
        }
        if (invocation) {
            invocations++;
            memorySizeMb = e.memorySizeMb() == null ? memorySizeMb : e.memorySizeMb();
            maxMemoryUsedMb = e.maxMemoryUsedMb() == null ? maxMemoryUsedMb : e.maxMemoryUsedMb();
        }
        if (warmingUp(s) || baseline.total() <= 0) {
            return;
        }
        prepare(s);
        boolean raised = false;
        if (sampleBin >= 0) {
            raised = step(MEDIAN, tables.median[sampleBin], t);
            raised |= step(TAIL, tables.tail[sampleBin], t);
        }
        if (timeoutTrial | okTrial) {
            for (int i = TIMEOUT_RATE; i <= TIMEOUT_SHARE; i++) {
                if (timeoutP1[i] > 0) {
                    raised |= step(i, timeoutTrial ? timeoutUp[i] : timeoutDown[i], t);
                }
            }
        }
        if (raised && e.requestId() != null) {
            remember(e.requestId());
        }
        for (int i = 0; i < TESTS; i++) {
            if (stat[i] >= threshold) {
                fire(i, t, s, out);
            }
        }
    }

    /** One trial of test i; true when it pushed the statistic up. */
    private boolean step(int i, double inc, long t) {
        if (i != rule && incident.isOpen()) {
            return false; // while open only the test that fired is followed
        }
        float before = stat[i];
        float after = (float) Math.max(0, before + inc);
        if (after <= 0) {
            stat[i] = 0;
            return false;
        }
        if (before <= 0) {
            runStart[i] = t;
            runTrials[i] = 0;
            runSlow[i] = 0;
        }
        runTrials[i] = (short) Math.min(Short.MAX_VALUE, runTrials[i] + 1);
        if (inc > 0) {
            runSlow[i] = (short) Math.min(Short.MAX_VALUE, runSlow[i] + 1);
        }
        stat[i] = after;
        if (after > threshold / 2) {
            suspicious = true;
        }
        return inc > 0;
    }

    private void fire(int i, long t, Settings s, Emitter out) {
        if (incident.isOpen()) {
            stat[i] = (float) threshold; // capped while open: it falls back within h/|drift| normal calls
            return;
        }
        boolean opens = incident.anomalous(Math.min(runStart[i], t), t, observed(i), 1, 1, s.cooldownMs());
        if (!opens) {
            stat[i] = (float) threshold; // cooling down: ready to open once the cooldown has passed
            return;
        }
        rule = (byte) i;
        incident.severityRisesTo(Severity.ofScore(score(i)));
        emit(AlertState.OPEN, incident.openedAt(), windowStart + s.windowMs(), t, s, out);
        for (int k = 0; k < TESTS; k++) {
            stat[k] = k == i ? (float) Math.min(stat[k], threshold) : 0;
        }
    }

    private void remember(String id) {
        if (slowRequests.size() < MAX_SAMPLE_IDS) {
            slowRequests.add(id);
        } else {
            slowRequests.set(slowNext, id);
            slowNext = (slowNext + 1) % MAX_SAMPLE_IDS;
        }
    }

    /** Rebuilds the increment tables when the baseline, the timeout rate or the settings changed. */
    private void prepare(Settings s) {
        if (!dirty && s == builtFor) {
            return;
        }
        if (baseline.total() > 0) {
            tables.build(baseline, s.medianRatio(), s.tolerance(), s.tailRatio(), s.tailShare());
        }
        double p0 = Math.max(timeoutRate, s.minTimeoutRate());
        timeoutP1[TIMEOUT_RATE] = Math.min(0.99, s.timeoutRatio() * p0);
        timeoutP1[TIMEOUT_SHARE] = s.timeoutShare();
        for (int i = TIMEOUT_RATE; i <= TIMEOUT_SHARE; i++) {
            double p1 = timeoutP1[i];
            if (p1 <= p0) {
                timeoutP1[i] = 0; // the usual rate is already that high: the test is off
                continue;
            }
            timeoutUp[i] = Math.log(p1 / p0);
            timeoutDown[i] = Math.log((1 - p1) / (1 - p0));
        }
        threshold = threshold(s, callsPerWindow);
        builtFor = s;
        dirty = false;
    }

    /** {@code h = max(12, ln(arlDays · invocations per day))}. */
    static double threshold(Settings s, double callsPerWindow) {
        double perDay = Math.max(0, callsPerWindow) * DAY_MS / s.windowMs();
        return Math.max(MIN_THRESHOLD, Math.log(s.arlDays() * perDay));
    }

    private double observed(int test) {
        return switch (test) {
            case MEDIAN -> window.total() > 0 ? Math.min(maxMs, window.quantile(0.5)) : baseline.quantile(0.5);
            case TAIL -> window.total() > 0 ? maxMs : baseline.quantile(0.95);
            default -> runTrials[test] == 0 ? 0 : runSlow[test] / (double) runTrials[test];
        };
    }

    private double expected(int test) {
        return switch (test) {
            case MEDIAN -> baseline.quantile(0.5);
            case TAIL -> baseline.quantile(0.95);
            default -> timeoutRate;
        };
    }

    private double reference(int test) {
        return switch (test) {
            case MEDIAN -> tables.medianSlowFromMs;
            case TAIL -> tables.tailSlowFromMs;
            default -> timeoutP1[test];
        };
    }

    private double score(int test) {
        return Scoring.score(observed(test), reference(test));
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        boolean open = incident.isOpen();
        boolean calls = invocations > 0 || timeouts > 0;
        if (open) {
            boolean anomalous = calls && stat[rule] >= threshold - RESOLVE_NATS;
            if (anomalous) {
                incident.anomalous(windowStart, now, observed(rule), 1, 1, s.cooldownMs());
                if (incident.severityRisesTo(Severity.ofScore(score(rule)))) {
                    emit(AlertState.OPEN, incident.openedAt(), windowStart + s.windowMs(), now, s, out);
                }
            } else {
                resolveIfDue(windowStart + s.windowMs(), now, s, out);
            }
        } else if (!suspicious) {
            learn(s);
        }
        callsPerWindow = callsPerWindow < 0
                ? invocations + timeouts
                : (float) (callsPerWindow + s.alpha() * (invocations + timeouts - callsPerWindow));
        incident.nextBucket();
        long empty = Math.min((next - windowStart) / s.windowMs() - 1, MAX_EMPTY_STEPS);
        callsPerWindow *= (float) Math.pow(1 - s.alpha(), empty);
        for (long i = 0; i < empty && incident.isOpen(); i++) {
            resolveIfDue(windowStart + (i + 2) * s.windowMs(), now, s, out);
            incident.nextBucket();
        }
        threshold = threshold(s, callsPerWindow);
        windowStart = next;
        window.clear();
        maxMs = 0;
        invocations = 0;
        timeouts = 0;
        suspicious = false;
        if (!incident.isOpen() && maxStatistic() <= 0) {
            slowRequests.clear();
            slowNext = 0;
        }
    }

    private void resolveIfDue(long windowEnd, long now, Settings s, Emitter out) {
        long resolved = incident.normal(now, s.resolveWindows());
        if (resolved >= 0) {
            emit(AlertState.RESOLVED, resolved, windowEnd, now, s, out);
            java.util.Arrays.fill(stat, 0);
            slowRequests.clear();
            slowNext = 0;
        }
    }

    private double maxStatistic() {
        double m = 0;
        for (float v : stat) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * While an incident is open, closes the windows that ended by {@code now} (empty ones count as normal), so
     * that the incident resolves on stream time while the function is silent.
     */
    @Override
    public void advance(long now, Settings s, Emitter out) {
        long start = Math.floorDiv(now, s.windowMs()) * s.windowMs();
        if (windowStart >= 0 && start > windowStart) {
            roll(start, now, s, out);
        }
    }

    /**
     * When the open incident resolves if no call comes: the end of the {@code resolveWindows}-th normal window
     * from now (the current window counts as anomalous if it had calls and the firing test's statistic is
     * within {@link #RESOLVE_NATS} of h).
     * {@link Long#MAX_VALUE} when no incident is open.
     */
    @Override
    public long deadline(Settings s) {
        if (!incident.isOpen() || windowStart < 0) {
            return Long.MAX_VALUE;
        }
        boolean anomalous = (invocations > 0 || timeouts > 0) && stat[rule] >= threshold - RESOLVE_NATS;
        int streak = anomalous ? 0 : incident.normalStreak() + 1;
        long windows = 1 + Math.max(0, s.resolveWindows() - streak);
        return windowStart + windows * s.windowMs();
    }

    private void learn(Settings s) {
        if (invocations > 0) {
            double rate = (double) timeouts / invocations;
            double before = timeoutRate;
            timeoutRate = samplesSeen == 0 ? rate : timeoutRate + s.alpha() * (rate - timeoutRate);
            dirty |= timeoutRate != before;
        }
        int n = (int) window.total();
        if (n > 0) {
            // a plain running average until the decayed one has enough history: early windows are few samples
            double decayed = s.alpha() * Math.min(1.0, n / (double) FULL_WINDOW);
            baseline.blend(window, Math.max(decayed, n / (double) (samplesSeen + n)));
            samplesSeen = (int) Math.min(Integer.MAX_VALUE, (long) samplesSeen + n);
            dirty = true;
        }
    }

    private void emit(AlertState state, long start, long end, long now, Settings s, Emitter out) {
        int test = rule;
        double b50 = baseline.quantile(0.5);
        double w50 = window.total() > 0 ? Math.min(maxMs, window.quantile(0.5)) : Double.NaN;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("rule", RULES[test]);
        ev.put("test", TEST_NAMES[test]);
        if (state == AlertState.OPEN) {
            ev.put("cusum", Scoring.round(stat[test]));
            ev.put("threshold", Scoring.round(threshold));
            ev.put(
                    "changeSince",
                    Instant.ofEpochMilli(Math.min(runStart[test], now)).toString());
            boolean timeoutTest = test >= TIMEOUT_RATE;
            ev.put(timeoutTest ? "invocationsSinceChange" : "warmSamplesSinceChange", (int) runTrials[test]);
            ev.put(timeoutTest ? "timeoutsSinceChange" : "slowSamplesSinceChange", (int) runSlow[test]);
            double share = switch (test) {
                case MEDIAN -> tables.medianSlowShare;
                case TAIL -> tables.tailSlowShare;
                default -> Math.max(timeoutRate, s.minTimeoutRate());
            };
            ev.put(
                    timeoutTest ? "expectedTimeoutsSinceChange" : "expectedSlowSamplesSinceChange",
                    Scoring.round(share * runTrials[test]));
            if (!timeoutTest) {
                ev.put("slowFromMs", Scoring.round(reference(test)));
            }
        }
        ev.put("windowSeconds", s.windowMs() / 1000);
        ev.put("warmSamplesInWindow", (int) window.total());
        ev.put("windowP50Ms", Scoring.round(w50));
        ev.put("windowP95Ms", Scoring.round(window.total() > 0 ? Math.min(maxMs, window.quantile(0.95)) : Double.NaN));
        ev.put("windowMaxMs", Scoring.round(maxMs));
        ev.put("baselineP50Ms", Scoring.round(b50));
        ev.put("baselineP95Ms", Scoring.round(baseline.quantile(0.95)));
        ev.put("timeoutsInWindow", timeouts);
        ev.put("invocationsInWindow", invocations);
        ev.put("baselineTimeoutRate", Scoring.round(timeoutRate));
        ev.put("sampleRequestIds", List.copyOf(slowRequests));
        ev.put("memorySizeMb", memorySizeMb);
        ev.put("maxMemoryUsedMb", maxMemoryUsedMb);
        String summary = state == AlertState.OPEN
                ? summary(test, out.key().function(), w50, b50, now)
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
                state == AlertState.OPEN ? score(test) : 0,
                observed(test),
                expected(test),
                reference(test),
                summary,
                ev));
    }

    private String summary(int test, String function, double w50, double b50, long now) {
        String since = Instant.ofEpochMilli(Math.min(runStart[test], now)).toString();
        return switch (test) {
            case MEDIAN ->
                String.format(
                        "%s warm invocations are slower: %d of %d since %s took %.0f ms or more (%.1f expected); "
                                + "median %.0f ms in the window against %.0f ms usual.",
                        function,
                        runSlow[test],
                        runTrials[test],
                        since,
                        tables.medianSlowFromMs,
                        tables.medianSlowShare * runTrials[test],
                        w50,
                        b50);
            case TAIL ->
                String.format(
                        "%s has a slow tail: %d of %d warm invocations since %s took %.0f ms or more (%.1f expected); "
                                + "usual p95 %.0f ms.",
                        function,
                        runSlow[test],
                        runTrials[test],
                        since,
                        tables.tailSlowFromMs,
                        tables.tailSlowShare * runTrials[test],
                        baseline.quantile(0.95));
            default ->
                String.format(
                        "%s invocations time out: %d of %d since %s (usual rate %.2f %%).",
                        function, runSlow[test], runTrials[test], since, 100 * timeoutRate);
        };
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(windowStart);
        window.write(o);
        baseline.write(o);
        o.writeDouble(maxMs);
        o.writeInt(invocations);
        o.writeInt(timeouts);
        o.writeBoolean(suspicious);
        o.writeByte(slowRequests.size());
        for (String id : slowRequests) {
            o.writeUTF(id);
        }
        o.writeByte(slowNext);
        o.writeInt(memorySizeMb);
        o.writeInt(maxMemoryUsedMb);
        o.writeDouble(timeoutRate);
        o.writeInt(samplesSeen);
        o.writeFloat(callsPerWindow);
        int running = 0;
        for (int i = 0; i < TESTS; i++) {
            running |= stat[i] > 0 ? 1 << i : 0;
        }
        o.writeByte(running);
        for (int i = 0; i < TESTS; i++) {
            if (stat[i] > 0) {
                o.writeFloat(stat[i]);
                o.writeLong(runStart[i]);
                o.writeShort(runTrials[i]);
                o.writeShort(runSlow[i]);
            }
        }
        o.writeByte(rule);
        incident.write(o);
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
        suspicious = in.readBoolean();
        readIds(in);
        slowNext = in.readByte();
        memorySizeMb = in.readInt();
        maxMemoryUsedMb = in.readInt();
        timeoutRate = in.readDouble();
        samplesSeen = in.readInt();
        callsPerWindow = in.readFloat();
        int running = in.readUnsignedByte();
        for (int i = 0; i < TESTS; i++) {
            boolean on = (running & 1 << i) != 0;
            stat[i] = on ? in.readFloat() : 0;
            runStart[i] = on ? in.readLong() : 0;
            runTrials[i] = on ? in.readShort() : 0;
            runSlow[i] = on ? in.readShort() : 0;
        }
        rule = in.readByte();
        incident.read(in);
        String last = in.readUTF();
        lastTimeoutRequest = last.isEmpty() ? null : last;
        dirty = true;
    }

    private void readIds(DataInput in) throws IOException {
        slowRequests.clear();
        int ids = in.readByte();
        for (int i = 0; i < ids; i++) {
            slowRequests.add(in.readUTF());
        }
    }

    /** Version 1 (the windowed rules) is still read: its baseline, timeout rate and open incident are kept. */
    @Override
    public boolean reads(int version) {
        return version == 1;
    }

    @Override
    public void read(DataInput in, int version) throws IOException {
        if (version != 1) {
            throw new IOException("duration-anomaly cannot read state version " + version);
        }
        windowStart = in.readLong();
        window.read(in);
        baseline.read(in);
        maxMs = in.readDouble();
        invocations = in.readInt();
        timeouts = in.readInt();
        in.readBoolean(); // the window was anomalous: the old rules' verdict, not a CUSUM's
        suspicious = false;
        readIds(in);
        slowRequests.clear(); // a window's slow calls by the old p95 rule
        slowNext = 0;
        memorySizeMb = in.readInt();
        maxMemoryUsedMb = in.readInt();
        timeoutRate = in.readDouble();
        samplesSeen = in.readInt();
        incident.read(in);
        in.skipBytes(1 + 12 * 5 * 2); // the quiet-function horizon: twelve windows of five counters
        String last = in.readUTF();
        lastTimeoutRequest = last.isEmpty() ? null : last;
        callsPerWindow = -1;
        java.util.Arrays.fill(stat, 0);
        rule = MEDIAN;
        dirty = true;
    }
}
