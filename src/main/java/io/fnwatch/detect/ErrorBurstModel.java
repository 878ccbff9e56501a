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
import org.apache.commons.math3.special.Beta;

/**
 * The share of a function's invocations that fail, against its own learned error rate, with an exact binomial
 * test ({@code ERROR_BURST}).
 *
 * <p><b>What counts.</b> A call is an {@code INVOCATION} event (a Lambda REPORT line, a GCP request log or
 * completion line, an Azure "Executed" line). A failure is an {@code INVOCATION} whose status is not success
 * (Lambda {@code Status: error|timeout}, JSON {@code status} failure/error/timeout, a GCP 5xx, an Azure
 * "Failed"), or an {@code ERROR} event with a status (Lambda "Task timed out", "Runtime exited with error",
 * init failures; GCP and Azure timeout lines): the platform's word that the invocation failed. The parsers
 * give both for one failed request (the timeout line and then its REPORT), so a failure whose request id is
 * among the last {@value #RECENT} failures counted is not counted again. An {@code ERROR} event without a
 * status is an application line at level ERROR or FATAL (or a traceback): those are counted apart, once per
 * request (consecutive lines of the same request count once), as the <em>application error rate</em>.
 *
 * <p><b>Baseline.</b> Per closed bucket (of {@code bucket}) the failures f and calls n (n = max(calls, f)) are
 * added to exponentially weighted sums {@code F ← (1−α)·F + f}, {@code N ← (1−α)·N + n} (empty buckets decay
 * them too); with a prior of {@code priorCalls} calls at {@code priorRate} the expected rate is
 * {@code p = (F + m·p₀)/(N + m)} and its cautious upper value {@code p⁺ = p + z·√(p(1−p)/(N + m))}: a new
 * function starts at the prior and is not paged for its first error; a function with a steady error rate has
 * learned it. Buckets during which an incident was open or a window was anomalous do not teach.
 *
 * <p><b>Test.</b> For each scale of h = 1, 5 and 15 buckets ({@link #SCALES}; the longer ones for quiet
 * functions), the window of the current bucket and the h − 1 closed ones before it holds X failures of N
 * calls. It is anomalous when {@code X ≥ minErrors}, {@code X/N ≥ minRatio·p⁺}, {@code X/N − p ≥ minExcess},
 * and {@code P(Bin(N, p⁺) ≥ X) ≤ testAlpha/3} (exact binomial tail, the regularised beta function of
 * commons-math3; the budget testAlpha split over the three scales). Judged on each failure, so a busy function
 * alerts within seconds of the burst and a quiet one when its window holds enough failures: 1 error in 3 calls
 * never alerts (X &lt; minErrors, and P(X ≥ 1) is far above testAlpha). The incident opens at once (the window is
 * its own confirmation). With {@code appErrorTest = 1} the application error rate is tested the same way
 * against its own baseline (a function that logs ERROR lines for half its requests has learned that rate, so
 * ratio and excess keep it quiet); either channel opens the one incident.
 *
 * <p><b>Resolving.</b> A closed bucket is normal when the window of the scale that opened the incident, ending
 * at it, is no longer over the rate floors ({@code X < minErrors} or {@code X/N < minRatio·p⁺} or
 * {@code X/N − p < minExcess}); RESOLVED after {@code resolveBuckets} normal buckets in a row, also while the
 * function is silent ({@link #advance} closes the buckets; silent ones hold no failures).
 *
 * <p>Evidence: observed and expected error rate, calls and failures over the scale, the p-value, the
 * application error rate observed and expected, the top error types with counts (over the last half hour or
 * the incident), and a few sample request ids. Late events (within the grace) count in their own closed bucket
 * (up to {@value #RING} back) and are not re-judged.
 */
public final class ErrorBurstModel implements Detector<ErrorBurstModel.Settings> {

    public record Settings(
            long bucketMs,
            double alpha,
            double priorCalls,
            double priorRate,
            double z,
            double testAlpha,
            int minErrors,
            double minRatio,
            double minExcess,
            int appErrorTest,
            int resolveBuckets,
            long cooldownMs) {}

    public static final DetectorSpec<Settings, ErrorBurstModel> SPEC = DetectorSpec.of(
                    "error-burst", 6, ErrorBurstModel::new, AlertType.ERROR_BURST)
            .withEvents(EventKind.INVOCATION, EventKind.ERROR)
            .withParams(
                    Param.duration("bucket", "10s", "1h", "length of one counting bucket"),
                    Param.decimal("alpha", 1e-6, 1, "weight of the newest bucket in the learned error rate"),
                    Param.decimal("priorCalls", 0, 1_000_000, "calls the prior error rate is worth"),
                    Param.decimal("priorRate", 0, 1, "error rate a new function is assumed to have"),
                    Param.decimal("z", 0, 100, "standard errors added to the learned rate before testing"),
                    Param.decimal("testAlpha", 1e-15, 0.1, "false-alarm probability per judgement, over the scales"),
                    Param.integer("minErrors", 1, 1_000_000, "a burst has at least this many failures in its window"),
                    Param.decimal("minRatio", 1, 1000, "a burst's rate is at least this multiple of the learned one"),
                    Param.decimal("minExcess", 0, 1, "a burst's rate exceeds the learned one by at least this"),
                    Param.integer("appErrorTest", 0, 1, "1: application ERROR lines per request are tested too"),
                    Param.integer("resolveBuckets", 1, 10_000, "normal buckets in a row before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withSettings(v -> new Settings(
                    v.millis("bucket"),
                    v.decimal("alpha"),
                    v.decimal("priorCalls"),
                    v.decimal("priorRate"),
                    v.decimal("z"),
                    v.decimal("testAlpha"),
                    v.integer("minErrors"),
                    v.decimal("minRatio"),
                    v.decimal("minExcess"),
                    v.integer("appErrorTest"),
                    v.integer("resolveBuckets"),
                    v.millis("cooldown")));

    /** The scales, in buckets. */
    static final int[] SCALES = {1, 5, 15};
    /** Closed buckets kept: the longest scale's. */
    static final int RING = 15;
    /** Failed request ids remembered so that one failure reported twice counts once. */
    static final int RECENT = 4;

    private static final int SAMPLES = 2;
    private static final int FAIL = 0;
    private static final int APP = 1;

    private long bucketStart = -1;
    private int calls;
    private int fails;
    private int app;
    /** A window crossed during the current bucket. */
    private boolean bucketFlag;

    private final char[] ringCalls = new char[RING];
    private final char[] ringFails = new char[RING];
    private final char[] ringApp = new char[RING];
    private int head;
    private int bucketsSeen;
    /** Exponentially weighted failures, calls and application-error requests. */
    private float sumFails;

    private float sumCalls;
    private float sumApp;
    private final int[] recent = new int[RECENT];
    private int recentNext;
    private int lastApp;
    /** The scale (index) and channel that opened the incident. */
    private byte openScale;

    private byte openChannel;
    private final TopCounts types = new TopCounts(3);
    private final String[] samples = new String[SAMPLES];
    private int sampleNext;
    private final Incident incident = new Incident();

    // per bucket, not stored
    private long preparedFor = Long.MIN_VALUE;
    private Settings preparedWith;
    private double pHat;
    private double pRef;
    private double aHat;
    private double aRef;
    private final int[] closedCalls = new int[SCALES.length];
    private final int[] closedFails = new int[SCALES.length];
    private final int[] closedApp = new int[SCALES.length];

    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    /** The learned error rate (tests and status page). */
    double expectedRate(Settings s) {
        return rate(sumFails, s);
    }

    private double rate(double sum, Settings s) {
        double n = sumCalls + s.priorCalls();
        return n > 0 ? Math.min(1, (sum + s.priorCalls() * s.priorRate()) / n) : s.priorRate();
    }

    private double upper(double p, Settings s) {
        double n = sumCalls + s.priorCalls();
        return n > 0 ? Math.min(1, p + s.z() * Math.sqrt(p * (1 - p) / n)) : 1;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expectedErrorRate", Scoring.round(rate(sumFails, s)));
        m.put("expectedAppErrorRate", Scoring.round(rate(sumApp, s)));
        m.put("callsInBaseline", Scoring.round(sumCalls));
        m.put("currentBucketCalls", calls);
        m.put("currentBucketErrors", fails);
        baselines.put("errors", m);
    }

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        EventKind kind = e.kind();
        boolean call = kind == EventKind.INVOCATION;
        if (!call && kind != EventKind.ERROR) {
            return;
        }
        String status = e.status();
        boolean failed = status != null && !FunctionEvent.SUCCESS.equals(status);
        boolean appLine = kind == EventKind.ERROR && status == null;
        if (!call && !failed && !appLine) {
            return;
        }
        long t = e.epochMillis();
        long bucket = Math.floorDiv(t, s.bucketMs()) * s.bucketMs();
        if (bucketStart < 0) {
            bucketStart = bucket;
        } else if (bucket > bucketStart) {
            roll(bucket, t, s, out);
        } else if (bucket < bucketStart) {
            late((bucketStart - bucket) / s.bucketMs(), call, failed && firstReport(e.requestId()), appLine);
            return;
        }
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        if (call) {
            calls = Math.min(calls + 1, Character.MAX_VALUE);
        }
        if (failed && firstReport(e.requestId())) {
            remember(e.requestId());
            fails = Math.min(fails + 1, Character.MAX_VALUE);
            types.add(e.errorType() != null ? e.errorType() : status);
            samples[sampleNext] = e.requestId() != null ? e.requestId() : samples[sampleNext];
            sampleNext = (sampleNext + 1) % SAMPLES;
            judge(FAIL, t, s, out);
        } else if (appLine) {
            int h = e.requestId() == null ? 0 : nonZero(e.requestId().hashCode());
            if (h == 0 || h != lastApp) {
                lastApp = h;
                app = Math.min(app + 1, Character.MAX_VALUE);
                if (s.appErrorTest() == 1) {
                    judge(APP, t, s, out);
                }
            }
        }
    }

    private boolean firstReport(String requestId) {
        if (requestId == null) {
            return true;
        }
        int h = nonZero(requestId.hashCode());
        for (int r : recent) {
            if (r == h) {
                return false;
            }
        }
        return true;
    }

    /** A request id's hash, never 0 (0 marks an empty slot). */
    private static int nonZero(int h) {
        return h == 0 ? 1 : h;
    }

    private void remember(String requestId) {
        if (requestId != null) {
            recent[recentNext] = nonZero(requestId.hashCode());
            recentNext = (recentNext + 1) % RECENT;
        }
    }

    private void prepare(Settings s) {
        preparedFor = bucketStart;
        preparedWith = s;
        pHat = rate(sumFails, s);
        pRef = upper(pHat, s);
        aHat = rate(sumApp, s);
        aRef = upper(aHat, s);
        int c = 0;
        int f = 0;
        int a = 0;
        int k = 0;
        for (int j = 0; j < RING && k < SCALES.length; j++) {
            if (j > 0) {
                c += closed(ringCalls, j);
                f += closed(ringFails, j);
                a += closed(ringApp, j);
            }
            if (j + 1 == SCALES[k]) {
                closedCalls[k] = c;
                closedFails[k] = f;
                closedApp[k] = a;
                k++;
            }
        }
    }

    /** The failures in the last {@code buckets} closed buckets. */
    private long recentFailures(int buckets) {
        long x = 0;
        for (int k = 1; k <= buckets; k++) {
            x += closed(ringFails, k);
        }
        return x;
    }

    /** No failure and no application error in the closed buckets the ring holds (the longest window). */
    private boolean quietRing() {
        for (int k = 1; k <= RING; k++) {
            if (closed(ringFails, k) != 0 || closed(ringApp, k) != 0) {
                return false;
            }
        }
        return true;
    }

    private int closed(char[] ring, int k) {
        return ring[Math.floorMod(head - k, RING)];
    }

    /** Whether x failures of n calls pass the rate floors against expected p and reference p⁺. */
    private static boolean overFloors(long x, long n, double p, double ref, Settings s) {
        if (x < s.minErrors() || n <= 0) {
            return false;
        }
        double r = (double) x / n;
        return r >= s.minRatio() * ref && r - p >= s.minExcess();
    }

    /** P(Bin(n, p) ≥ x), exact. */
    static double tail(long x, long n, double p) {
        if (x <= 0) {
            return 1;
        }
        if (x > n || p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        return Beta.regularizedBeta(p, x, n - x + 1);
    }

    private void judge(int channel, long t, Settings s, Emitter out) {
        if (bucketFlag && incident.isOpen()) {
            return;
        }
        double p = channel == FAIL ? pHat : aHat;
        double ref = channel == FAIL ? pRef : aRef;
        int[] closedX = channel == FAIL ? closedFails : closedApp;
        int current = channel == FAIL ? fails : app;
        for (int k = 0; k < SCALES.length; k++) {
            long x = (long) closedX[k] + current;
            long n = Math.max((long) closedCalls[k] + calls, x);
            if (!overFloors(x, n, p, ref, s)) {
                continue;
            }
            // a window that still holds buckets of the last incident does not open another
            if (bucketStart - (SCALES[k] - 1) * s.bucketMs() <= incident.resolvedAt()) {
                continue;
            }
            double pValue = tail(x, n, ref);
            if (pValue > s.testAlpha() / SCALES.length) {
                continue;
            }
            bucketFlag = true;
            boolean opens = !incident.isOpen() && incident.anomalous(bucketStart, t, x, 1, 1, s.cooldownMs());
            if (opens) {
                openScale = (byte) k;
                openChannel = (byte) channel;
                incident.severityRisesTo(Severity.ofScore(score(x, n, p, ref, s)));
                emit(AlertState.OPEN, incident.openedAt(), t, k, channel, x, n, pValue, s, out);
            }
            return;
        }
    }

    private static double threshold(double p, double ref, Settings s) {
        return Math.min(1, Math.max(s.minRatio() * ref, p + s.minExcess()));
    }

    private static double score(long x, long n, double p, double ref, Settings s) {
        return Scoring.score((double) x / Math.max(1, n), threshold(p, ref, s));
    }

    private void late(long k, boolean call, boolean failed, boolean appLine) {
        if (k < 1 || k > RING) {
            return;
        }
        int i = (int) Math.floorMod(head - k, RING);
        ringCalls[i] = (char) Math.min(ringCalls[i] + (call ? 1 : 0), Character.MAX_VALUE);
        ringFails[i] = (char) Math.min(ringFails[i] + (failed ? 1 : 0), Character.MAX_VALUE);
        ringApp[i] = (char) Math.min(ringApp[i] + (appLine ? 1 : 0), Character.MAX_VALUE);
        preparedFor = Long.MIN_VALUE; // the windows' closed parts are recomputed
    }

    @Override
    public void advance(long now, Settings s, Emitter out) {
        if (bucketStart < 0) {
            return;
        }
        long bucket = Math.floorDiv(now, s.bucketMs()) * s.bucketMs();
        if (bucket > bucketStart) {
            roll(bucket, now, s, out);
        }
    }

    @Override
    public long deadline(Settings s) {
        return incident.isOpen() && bucketStart >= 0 ? bucketStart + s.bucketMs() : Long.MAX_VALUE;
    }

    private void roll(long next, long now, Settings s, Emitter out) {
        long steps = (next - bucketStart) / s.bucketMs();
        long stepped = Math.min(steps, RING + (long) s.resolveBuckets() + 1);
        for (long i = 0; i < stepped; i++) {
            closeBucket(now, s, out);
        }
        long rest = steps - stepped;
        if (rest > 0) { // long silence: nothing more to resolve, the sums decay
            float decay = (float) Math.pow(1 - s.alpha(), rest);
            sumFails *= decay;
            sumCalls *= decay;
            sumApp *= decay;
            bucketsSeen = (int) Math.min(Integer.MAX_VALUE, bucketsSeen + rest);
        }
        bucketStart = next;
        preparedFor = Long.MIN_VALUE;
    }

    /** Closes the current bucket (resolving, learning) and starts the next, empty one. */
    private void closeBucket(long now, Settings s, Emitter out) {
        int n = Math.max(calls, fails);
        if (!incident.isOpen() && !bucketFlag) {
            float keep = (float) (1 - s.alpha());
            sumFails = keep * sumFails + fails;
            sumCalls = keep * sumCalls + n;
            sumApp = keep * sumApp + Math.min(app, n);
        }
        ringCalls[head] = (char) calls;
        ringFails[head] = (char) fails;
        ringApp[head] = (char) app;
        head = (head + 1) % RING;
        long closedStart = bucketStart;
        bucketStart += s.bucketMs();
        calls = 0;
        fails = 0;
        app = 0;
        bucketFlag = false;
        bucketsSeen = bucketsSeen == Integer.MAX_VALUE ? bucketsSeen : bucketsSeen + 1;
        if (incident.isOpen()) {
            if (normal(s)) {
                long resolved = incident.normal(now, s.resolveBuckets());
                if (resolved >= 0) {
                    emitResolved(resolved, closedStart + s.bucketMs(), now, s, out);
                }
            } else {
                incident.interrupt();
            }
        }
        incident.nextBucket();
        if (!incident.isOpen()) {
            // the top types count the failures since the last quarter hour without any, so every failure of a
            // fresh burst's opening window is in them; under a steady trickle they start again every half hour,
            // but not while failures came in the last five minutes (a burst may be starting)
            if (quietRing() || (bucketsSeen % (2L * RING) == 0 && recentFailures(SCALES[1]) == 0)) {
                types.clear();
            }
        }
    }

    /** The window of the opening scale ending at the bucket just closed is back under the rate floors. */
    private boolean normal(Settings s) {
        long x = 0;
        long n = 0;
        char[] ring = openChannel == FAIL ? ringFails : ringApp;
        for (int j = 1; j <= SCALES[openScale]; j++) {
            x += closed(ring, j);
            n += closed(ringCalls, j);
        }
        double p = rate(openChannel == FAIL ? sumFails : sumApp, s);
        return !overFloors(x, Math.max(n, x), p, upper(p, s), s);
    }

    private void emit(
            AlertState state,
            long start,
            long now,
            int scale,
            int channel,
            long x,
            long n,
            double pValue,
            Settings s,
            Emitter out) {
        double p = channel == FAIL ? pHat : aHat;
        double ref = channel == FAIL ? pRef : aRef;
        double observed = (double) x / Math.max(1, n);
        long windowApp = (long) closedApp[scale] + app;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("channel", channel == FAIL ? "failedInvocations" : "applicationErrorLines");
        ev.put("scaleMinutes", Scoring.round(SCALES[scale] * s.bucketMs() / 60_000.0));
        ev.put("calls", n);
        ev.put(channel == FAIL ? "errors" : "requestsWithErrorLines", x);
        ev.put("observedRate", Scoring.round(observed));
        ev.put("expectedRate", Scoring.round(p));
        ev.put("referenceRate", Scoring.round(ref));
        ev.put("pValue", pValue);
        ev.put("appErrorRequests", windowApp);
        ev.put("appErrorRate", Scoring.round((double) Math.min(windowApp, n) / Math.max(1, n)));
        ev.put("expectedAppErrorRate", Scoring.round(aHat));
        ev.put("topErrorTypes", types.top());
        ev.put("sampleRequestIds", sampleIds());
        ev.put("callsInBaseline", Math.round(sumCalls));
        double threshold = threshold(p, ref, s);
        String summary = String.format(
                "%s: %d of %d calls failed in %d min (%.0f%%, usually %.1f%%), mostly %s.",
                out.key().function(),
                x,
                n,
                SCALES[scale] * s.bucketMs() / 60_000,
                100 * observed,
                100 * p,
                types.first());
        out.emit(new Emitter.Draft(
                AlertType.ERROR_BURST,
                state,
                start,
                bucketStart - (SCALES[scale] - 1) * s.bucketMs(),
                bucketStart + s.bucketMs(),
                now,
                score(x, n, p, ref, s),
                observed,
                p,
                threshold,
                summary,
                ev));
    }

    private List<String> sampleIds() {
        List<String> ids = new ArrayList<>(SAMPLES);
        for (int k = 1; k <= SAMPLES; k++) { // the most recent first
            String id = samples[Math.floorMod(sampleNext - k, SAMPLES)];
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private void emitResolved(long start, long end, long now, Settings s, Emitter out) {
        double p = rate(sumFails, s);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("expectedRate", Scoring.round(p));
        ev.put("peakErrors", (long) incident.peak());
        ev.put("topErrorTypes", types.top());
        String summary = String.format(
                "%s: errors are back to the usual rate (%.1f%%).", out.key().function(), 100 * p);
        out.emit(new Emitter.Draft(
                AlertType.ERROR_BURST,
                AlertState.RESOLVED,
                start,
                start,
                end,
                now,
                50,
                0,
                p,
                threshold(p, upper(p, s), s),
                summary,
                ev));
        types.clear();
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(bucketStart);
        o.writeChar(calls);
        o.writeChar(fails);
        o.writeChar(app);
        o.writeBoolean(bucketFlag);
        for (int k = RING; k >= 1; k--) {
            o.writeChar(closed(ringCalls, k));
            o.writeChar(closed(ringFails, k));
            o.writeChar(closed(ringApp, k));
        }
        o.writeInt(bucketsSeen);
        o.writeFloat(sumFails);
        o.writeFloat(sumCalls);
        o.writeFloat(sumApp);
        for (int k = 1; k <= RECENT; k++) {
            o.writeInt(recent[Math.floorMod(recentNext - k, RECENT)]);
        }
        o.writeInt(lastApp);
        o.writeByte(openScale);
        o.writeByte(openChannel);
        types.write(o);
        for (int k = 1; k <= SAMPLES; k++) {
            String id = samples[Math.floorMod(sampleNext - k, SAMPLES)];
            o.writeUTF(id == null ? "" : id.length() > 100 ? id.substring(0, 100) : id);
        }
        incident.write(o);
    }

    @Override
    public void read(DataInput in) throws IOException {
        preparedFor = Long.MIN_VALUE;
        bucketStart = in.readLong();
        calls = in.readChar();
        fails = in.readChar();
        app = in.readChar();
        bucketFlag = in.readBoolean();
        head = 0;
        for (int i = 0; i < RING; i++) {
            ringCalls[i] = in.readChar();
            ringFails[i] = in.readChar();
            ringApp[i] = in.readChar();
        }
        bucketsSeen = in.readInt();
        sumFails = in.readFloat();
        sumCalls = in.readFloat();
        sumApp = in.readFloat();
        recentNext = 0;
        for (int k = 1; k <= RECENT; k++) {
            recent[Math.floorMod(-k, RECENT)] = in.readInt();
        }
        lastApp = in.readInt();
        openScale = in.readByte();
        openChannel = in.readByte();
        types.read(in);
        sampleNext = 0;
        for (int k = 1; k <= SAMPLES; k++) {
            String id = in.readUTF();
            samples[Math.floorMod(-k, SAMPLES)] = id.isEmpty() ? null : id;
        }
        incident.read(in);
    }
}
