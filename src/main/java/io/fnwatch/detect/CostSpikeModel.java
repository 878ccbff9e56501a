package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a function costs per hour, from what its logs carry, against its own seasonal baseline and optional
 * absolute budgets ({@code COST_SPIKE}: a denial of wallet, a regression that makes every call longer, a deploy
 * that gives it more memory).
 *
 * <p><b>Cost of a call.</b> {@code c = request + gbSecond · (memoryMb/1024) · billedMs/1000} dollars, prices from
 * the {@code prices} table of the detector's YAML (per provider, {@code provider/region} where it differs; the
 * arm64 GB-second price when the function is configured {@code arm64: 1}, else x86_64, since logs do not carry
 * the architecture). The billed duration is the REPORT's {@code Billed Duration}, else the duration (GCP, Azure);
 * the memory is the REPORT's {@code Memory Size}, else the last one seen, else {@code defaultMemoryMb} (GCP and
 * Azure logs carry none). Missing, NaN or negative durations cost the request alone; durations are capped at a
 * day and memory at 64 GiB per call.
 *
 * <p><b>Baseline.</b> The cost per bucket C learns a seasonal baseline {@code E(t) = L·hour[h]·day[d]}
 * ({@link SeasonalBaseline}, weight α, local time of {@code timeZone}) with σ² the weighted variance of
 * {@code C − E}; and per call, from normal buckets with calls, the weighted mean cost k, mean square cost q, mean
 * billed seconds b and mean GB per billed second g.
 *
 * <p><b>Test.</b> For each scale of h = 5 and 15 buckets ({@link #SCALES}) the cost W of the current bucket and
 * the h − 1 closed ones before it is anomalous when {@code W ≥ T_h = max(minRatio·E_h, E_h + z·√V_h,
 * E_h + minExcessPerHour·h·bucket/1h)}, E_h the sum of E over the window and {@code V_h = max(h·σ², (E_h/k)·q)}
 * the variance of a compound Poisson sum of E_h/k calls of mean square cost q (cold starts and timeouts make the
 * cost of a call heavy-tailed; the floor in dollars keeps cheap functions, whose every spike is pennies, quiet).
 * Thresholds are computed when a bucket begins; an event compares {@code W} with them, so the incident opens on
 * the call that crosses. The first {@code warmupBuckets} judge nothing but budgets. <b>Budget:</b> with
 * {@code budgetPerHour > 0} (an override per tenant or function glob), the cost of the last 15 buckets scaled to
 * an hour above it opens the incident too, warm-up or not.
 *
 * <p><b>Learning and resolving.</b> A bucket that crossed, or closes while the incident is open, teaches the
 * level only up to {@code minRatio·E} at a quarter of the rate, and not σ² or the per-call means (a lasting rise
 * is learned in hours, an attack is not learned in minutes). RESOLVED after {@code resolveBuckets} closed
 * buckets in a row whose windows are under their thresholds (budget included), also while the function is
 * silent ({@link #advance}).
 *
 * <p>Evidence: the cost per hour observed and expected over the scale, what drove it — the ratio of the cost to
 * its expectation split into calls × mean billed duration × memory (each observed over expected) and the
 * largest named as {@code driver} — the projected cost of a day at this rate, the prices and architecture used.
 */
public final class CostSpikeModel implements Detector<CostSpikeModel.Settings> {

    public record Settings(
            long bucketMs,
            double alpha,
            double hourAlpha,
            double dayAlpha,
            ZoneId timeZone,
            int warmupBuckets,
            double z,
            double minRatio,
            double minExcessPerHour,
            double budgetPerHour,
            int arm64,
            int defaultMemoryMb,
            int resolveBuckets,
            long cooldownMs,
            CostPrices prices) {}

    public static final DetectorSpec<Settings, CostSpikeModel> SPEC = DetectorSpec.of(
                    "cost-spike", 7, CostSpikeModel::new, AlertType.COST_SPIKE)
            .withEvents(EventKind.INVOCATION)
            .withParams(
                    Param.duration("bucket", "10s", "1h", "length of one cost bucket"),
                    Param.decimal("alpha", 0.00001, 1, "weight of the newest bucket in the cost level"),
                    Param.decimal("hourAlpha", 0, 1, "learning rate of the hour-of-day factors"),
                    Param.decimal("dayAlpha", 0, 1, "learning rate of the day-of-week factors"),
                    Param.zone("timeZone", "local time of the hour-of-day and day-of-week rhythm"),
                    Param.integer("warmupBuckets", 0, 10_000_000, "buckets of history before the baseline test"),
                    Param.decimal("z", 0, 100, "standard deviations of the window's cost above its expectation"),
                    Param.decimal("minRatio", 1, 1000, "a spike costs at least this multiple of the expected cost"),
                    Param.decimal(
                            "minExcessPerHour", 0, 1_000_000, "a spike costs at least this many dollars an hour more"),
                    Param.decimal(
                            "budgetPerHour", 0, 1_000_000_000, "dollars an hour above which it alerts (0: no budget)"),
                    Param.integer("arm64", 0, 1, "1: priced as arm64; 0: x86_64 (logs do not say which)"),
                    Param.integer("defaultMemoryMb", 1, 65_536, "memory of a function whose logs carry none"),
                    Param.integer("resolveBuckets", 1, 10_000, "normal buckets in a row before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withTable(CostPrices.table("prices"))
            .withSettings(v -> new Settings(
                    v.millis("bucket"),
                    v.decimal("alpha"),
                    v.decimal("hourAlpha"),
                    v.decimal("dayAlpha"),
                    v.zone("timeZone"),
                    v.integer("warmupBuckets"),
                    v.decimal("z"),
                    v.decimal("minRatio"),
                    v.decimal("minExcessPerHour"),
                    v.decimal("budgetPerHour"),
                    v.integer("arm64"),
                    v.integer("defaultMemoryMb"),
                    v.integer("resolveBuckets"),
                    v.millis("cooldown"),
                    v.table("prices")));

    /** The scales, in buckets; the budget is judged over the longest. */
    static final int[] SCALES = {5, 15};
    /** Closed buckets kept: the longest scale's, less the current one. */
    static final int RING = 14;
    /** Closed buckets whose calls and billed seconds are kept: the shortest scale's. */
    static final int DETAIL = 4;
    /** Costs are held in millionths of a dollar. */
    private static final double MICRO = 1e6;

    private static final double ANOMALOUS_WEIGHT = 0.25;
    private static final double CLIP_Z = 3;
    private static final int MAX_EMPTY_STEPS = 24 * 60;
    private static final double MAX_BILLED_MS = 86_400_000;
    private static final int MAX_MEMORY_MB = 65_536;
    private static final double HOUR = 3_600_000.0;

    private long bucketStart = -1;
    private int calls;
    private float cost;
    private float seconds;
    private float squares;
    private float gbSeconds;
    private boolean bucketFlag;
    /** Cost of the closed buckets; calls and billed seconds of the last {@value #DETAIL} (for the evidence). */
    private final float[] ringCost = new float[RING];

    private final char[] ringCalls = new char[DETAIL];
    private final float[] ringSeconds = new float[DETAIL];
    private int head;
    private int bucketsSeen;
    private final SeasonalBaseline baseline = new SeasonalBaseline();
    /** Weighted calls, cost, squared cost, billed seconds and GB-seconds of normal buckets. */
    private float sumCalls;

    private float sumCost;
    private float sumSquares;
    private float sumSeconds;
    private float sumGbSeconds;
    private int lastMemoryMb;
    /** The scale that opened the incident (its index; SCALES.length: the budget). */
    private byte openScale;

    private final Incident incident = new Incident();

    // the price of the function's provider and region (not stored: looked up again after a restore)
    private String priceProvider;
    private String priceRegion;
    private CostPrices pricesUsed;
    private double gbPrice;
    private double requestPrice;

    // per bucket, not stored
    private long preparedFor = Long.MIN_VALUE;
    private Settings preparedWith;
    private final double[] expected = new double[SCALES.length];
    private final double[] thr = new double[SCALES.length + 1];
    private final double[] closedCost = new double[SCALES.length + 1];
    private double needMin;

    @Override
    public boolean warmingUp(Settings s) {
        return bucketsSeen < s.warmupBuckets();
    }

    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        Map<String, Object> m = new LinkedHashMap<>();
        double e = bucketStart < 0 ? 0 : baseline.expected(bucketStart, s.timeZone());
        m.put("expectedPerHour", dollars(e * HOUR / s.bucketMs()));
        m.put("currentBucketCost", dollars(cost));
        m.put("meanCallCost", sumCalls > 0 ? dollars(sumCost / sumCalls) : null);
        m.put("bucketsSeen", bucketsSeen);
        baselines.put("cost", m);
    }

    private static double dollars(double micro) {
        return Math.round(micro) / MICRO;
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
        }
        price(e, s);
        if (bucket > bucketStart) {
            roll(bucket, t, s, out);
        }
        Double billed = e.billedDurationMs() != null ? e.billedDurationMs() : e.durationMs();
        double ms = billed == null || !(billed > 0) ? 0 : Math.min(billed, MAX_BILLED_MS);
        Integer mem = e.memorySizeMb();
        if (mem != null && mem > 0) {
            lastMemoryMb = Math.min(mem, MAX_MEMORY_MB);
        }
        int memoryMb = lastMemoryMb > 0 ? lastMemoryMb : s.defaultMemoryMb();
        double sec = ms / 1000;
        double c = (requestPrice + gbPrice * memoryMb / 1024.0 * sec) * MICRO;
        if (bucket < bucketStart) {
            late((bucketStart - bucket) / s.bucketMs(), c, sec);
            return;
        }
        calls = Math.min(calls + 1, Character.MAX_VALUE);
        cost += (float) c;
        seconds += (float) sec;
        squares += (float) (c * c);
        gbSeconds += (float) (memoryMb / 1024.0 * sec);
        if (preparedFor != bucketStart || preparedWith != s) {
            prepare(s);
        }
        if (cost >= needMin) {
            judge(t, s, out);
        }
    }

    /** Looks the function's prices up when its provider or region changed (once per function, usually). */
    private void price(FunctionEvent e, Settings s) {
        if (pricesUsed == s.prices()
                && java.util.Objects.equals(priceProvider, e.provider())
                && java.util.Objects.equals(priceRegion, e.region())) {
            return;
        }
        pricesUsed = s.prices();
        priceProvider = e.provider();
        priceRegion = e.region();
        CostPrices.Price p = s.prices() == null ? null : s.prices().of(priceProvider, priceRegion);
        gbPrice = p == null ? 0 : s.arm64() == 1 ? p.arm64GbSecond() : p.gbSecond();
        requestPrice = p == null ? 0 : p.request();
    }

    private void prepare(Settings s) {
        preparedFor = bucketStart;
        preparedWith = s;
        double var = baseline.variance();
        double k = sumCalls > 0 ? sumCost / sumCalls : 0;
        double q = sumCalls > 0 ? sumSquares / sumCalls : 0;
        boolean warming = warmingUp(s);
        double e = 0;
        double closed = 0;
        int scale = 0;
        for (int j = 0; j < RING + 1 && scale < SCALES.length; j++) {
            e += baseline.expected(bucketStart - j * s.bucketMs(), s.timeZone());
            if (j > 0) {
                closed += ringCost[Math.floorMod(head - j, RING)];
            }
            if (j + 1 == SCALES[scale]) {
                int h = SCALES[scale];
                double v = Math.max(h * var, k > 0 ? e / k * q : 0);
                double floor = e + s.minExcessPerHour() * MICRO * h * s.bucketMs() / HOUR;
                expected[scale] = e;
                closedCost[scale] = closed;
                thr[scale] = warming || e <= 0
                        ? Double.POSITIVE_INFINITY
                        : Math.max(Math.max(s.minRatio() * e, e + s.z() * Math.sqrt(v)), floor);
                scale++;
            }
        }
        int longest = SCALES.length - 1;
        closedCost[SCALES.length] = closedCost[longest];
        thr[SCALES.length] = s.budgetPerHour() > 0
                ? s.budgetPerHour() * MICRO * SCALES[longest] * s.bucketMs() / HOUR
                : Double.POSITIVE_INFINITY;
        needMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= SCALES.length; i++) {
            needMin = Math.min(needMin, thr[i] - closedCost[i]);
        }
    }

    private void judge(long t, Settings s, Emitter out) {
        if (bucketFlag) {
            return;
        }
        int fired = -1;
        for (int i = 0; i <= SCALES.length && fired < 0; i++) {
            if (closedCost[i] + cost >= thr[i]) {
                fired = i;
            }
        }
        if (fired < 0) {
            return;
        }
        bucketFlag = true;
        double w = closedCost[fired] + cost;
        if (!incident.isOpen() && incident.anomalous(bucketStart, t, w, 1, 1, s.cooldownMs())) {
            openScale = (byte) fired;
            incident.severityRisesTo(Severity.ofScore(Scoring.score(w, thr[fired])));
            emitOpen(t, fired, w, s, out);
        }
    }

    private void late(long k, double c, double sec) {
        if (k < 1 || k > RING) {
            return;
        }
        int i = (int) Math.floorMod(head - k, RING);
        ringCost[i] += (float) c;
        if (k <= DETAIL) {
            int d = (int) Math.floorMod(head - k, DETAIL);
            ringCalls[d] = (char) Math.min(ringCalls[d] + 1, Character.MAX_VALUE);
            ringSeconds[d] += (float) sec;
        }
        preparedFor = Long.MIN_VALUE;
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
        if (incident.isOpen() && (preparedFor != bucketStart || preparedWith != s)) {
            prepare(s); // the thresholds resolving is judged against
        }
        long gap = (next - bucketStart) / s.bucketMs();
        long steps = Math.min(gap, MAX_EMPTY_STEPS);
        for (long i = 0; i < steps; i++) {
            closeBucket(now, s, out);
        }
        bucketsSeen = (int) Math.min(Integer.MAX_VALUE, bucketsSeen + gap);
        bucketStart = next;
        preparedFor = Long.MIN_VALUE;
    }

    private void closeBucket(long now, Settings s, Emitter out) {
        long start = bucketStart;
        double e1 = baseline.expected(start, s.timeZone());
        boolean anomalous = bucketFlag || incident.isOpen();
        double q = sumCalls > 0 ? sumSquares / sumCalls : 0;
        double k = sumCalls > 0 ? sumCost / sumCalls : 0;
        double noise = Math.sqrt(Math.max(baseline.variance(), k > 0 ? e1 / k * q : 0));
        double taught = anomalous && e1 > 0 ? Math.min(cost, s.minRatio() * e1) : cost;
        baseline.learn(
                start,
                s.timeZone(),
                taught,
                s.alpha(),
                s.hourAlpha(),
                s.dayAlpha(),
                anomalous ? ANOMALOUS_WEIGHT : 1,
                !anomalous && baseline.seen() > 0,
                baseline.seen() > 0 ? CLIP_Z * noise : Double.MAX_VALUE);
        if (!anomalous && calls > 0) {
            float keep = (float) (1 - s.alpha());
            sumCalls = keep * sumCalls + calls;
            sumCost = keep * sumCost + cost;
            sumSquares = keep * sumSquares + squares;
            sumSeconds = keep * sumSeconds + seconds;
            sumGbSeconds = keep * sumGbSeconds + gbSeconds;
        }
        ringCost[head % RING] = cost;
        ringCalls[head % DETAIL] = (char) calls;
        ringSeconds[head % DETAIL] = seconds;
        head = (head + 1) % (RING * DETAIL);
        bucketStart += s.bucketMs();
        calls = 0;
        cost = 0;
        seconds = 0;
        squares = 0;
        gbSeconds = 0;
        bucketFlag = false;
        if (incident.isOpen()) {
            if (normal()) {
                long resolved = incident.normal(now, s.resolveBuckets());
                if (resolved >= 0) {
                    emitResolved(resolved, start + s.bucketMs(), now, s, out);
                }
            } else {
                incident.interrupt();
            }
        }
        incident.nextBucket();
    }

    /** Every window ending at the bucket just closed is under its threshold (the budget's included). */
    private boolean normal() {
        for (int i = 0; i <= SCALES.length; i++) {
            if (window(SCALES[Math.min(i, SCALES.length - 1)]) >= thr[i]) {
                return false;
            }
        }
        return true;
    }

    /** The cost of the last {@code h} closed buckets. */
    private double window(int h) {
        double sum = 0;
        for (int j = 1; j <= Math.min(h, RING); j++) {
            sum += ringCost[Math.floorMod(head - j, RING)];
        }
        return sum;
    }

    private void emitOpen(long now, int fired, double w, Settings s, Emitter out) {
        int scale = Math.min(fired, SCALES.length - 1);
        int h = SCALES[scale];
        double perHour = HOUR / (h * s.bucketMs());
        double e = expected[scale];
        // the split into calls, billed duration and memory is over the shortest scale, whose detail is kept
        long n = calls;
        double sec = seconds;
        for (int j = 1; j < SCALES[0]; j++) {
            n += ringCalls[Math.floorMod(head - j, DETAIL)];
            sec += ringSeconds[Math.floorMod(head - j, DETAIL)];
        }
        double w0 = closedCost[0] + cost;
        double k = sumCalls > 0 ? sumCost / sumCalls : 0;
        double expectedCalls = k > 0 ? expected[0] / k : 0;
        double meanSec = sumCalls > 0 ? sumSeconds / sumCalls : 0;
        double meanGb = sumSeconds > 0 ? sumGbSeconds / sumSeconds : 0;
        double gbs = gbPrice > 0 ? Math.max(0, w0 / MICRO - n * requestPrice) / gbPrice : 0;
        double callsRatio = expectedCalls > 0 ? n / expectedCalls : Double.NaN;
        double durationRatio = meanSec > 0 && n > 0 ? sec / n / meanSec : Double.NaN;
        double memoryRatio = meanGb > 0 && sec > 0 ? gbs / sec / meanGb : Double.NaN;
        String driver = "calls";
        double most = Double.isNaN(callsRatio) ? 0 : callsRatio;
        if (durationRatio > most) {
            driver = "billedDuration";
            most = durationRatio;
        }
        if (memoryRatio > most) {
            driver = "memory";
        }
        boolean budget = fired == SCALES.length;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("reason", budget ? "budget" : "baseline");
        ev.put("scaleMinutes", Scoring.round(h * s.bucketMs() / 60_000.0));
        ev.put("observedPerHour", dollars(w * perHour));
        ev.put("expectedPerHour", dollars(e * perHour));
        ev.put("thresholdPerHour", dollars(thr[fired] * perHour));
        ev.put("ratio", e > 0 ? Scoring.round(w / e) : null);
        ev.put("driver", driver);
        ev.put("callsRatio", finite(callsRatio));
        ev.put("billedDurationRatio", finite(durationRatio));
        ev.put("memoryRatio", finite(memoryRatio));
        ev.put("calls", n);
        ev.put("expectedCalls", Scoring.round(expectedCalls));
        ev.put("meanBilledMs", n > 0 ? Scoring.round(1000 * sec / n) : null);
        ev.put("expectedMeanBilledMs", Scoring.round(1000 * meanSec));
        ev.put("memoryMb", sec > 0 ? Math.round(1024 * gbs / sec) : null);
        ev.put("expectedMemoryMb", Math.round(1024 * meanGb));
        ev.put("projectedDayCost", dollars(w * perHour * 24));
        if (s.budgetPerHour() > 0) {
            ev.put("budgetPerHour", s.budgetPerHour());
        }
        ev.put("architecture", s.arm64() == 1 ? "arm64 (configured)" : "x86_64 (assumed: logs do not carry it)");
        ev.put("priceGbSecond", gbPrice);
        ev.put("pricePerRequest", requestPrice);
        ev.put("bucketsInBaseline", bucketsSeen);
        String summary = String.format(
                "%s costs $%.3f an hour over %d min against $%.3f expected (%s), driven by %s; $%.2f a day at this"
                        + " rate.",
                out.key().function(),
                w * perHour / MICRO,
                h * s.bucketMs() / 60_000,
                e * perHour / MICRO,
                budget ? "over its budget of $" + s.budgetPerHour() + "/h" : String.format("%.1f×", w / e),
                driver,
                w * perHour * 24 / MICRO);
        out.emit(new Emitter.Draft(
                AlertType.COST_SPIKE,
                AlertState.OPEN,
                incident.openedAt(),
                bucketStart - (h - 1) * s.bucketMs(),
                bucketStart + s.bucketMs(),
                now,
                Scoring.score(w, thr[fired]),
                w * perHour / MICRO,
                e * perHour / MICRO,
                thr[fired] * perHour / MICRO,
                summary,
                ev));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? Scoring.round(v) : null;
    }

    private void emitResolved(long start, long end, long now, Settings s, Emitter out) {
        int h = SCALES[SCALES.length - 1];
        double perHour = HOUR / (h * s.bucketMs());
        double w = window(h);
        double e = 0;
        for (int j = 1; j <= h; j++) {
            e += baseline.expected(end - j * s.bucketMs(), s.timeZone());
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("observedPerHour", dollars(w * perHour));
        ev.put("expectedPerHour", dollars(e * perHour));
        ev.put("peakWindowCost", dollars(incident.peak()));
        String summary = String.format(
                "%s costs $%.3f an hour again (expected $%.3f).",
                out.key().function(), w * perHour / MICRO, e * perHour / MICRO);
        out.emit(new Emitter.Draft(
                AlertType.COST_SPIKE,
                AlertState.RESOLVED,
                start,
                start,
                end,
                now,
                50,
                w * perHour / MICRO,
                e * perHour / MICRO,
                0,
                summary,
                ev));
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(bucketStart);
        o.writeChar(calls);
        o.writeFloat(cost);
        o.writeFloat(seconds);
        o.writeFloat(squares);
        o.writeFloat(gbSeconds);
        o.writeBoolean(bucketFlag);
        for (int k = RING; k >= 1; k--) {
            o.writeFloat(ringCost[Math.floorMod(head - k, RING)]);
        }
        for (int k = DETAIL; k >= 1; k--) {
            o.writeChar(ringCalls[Math.floorMod(head - k, DETAIL)]);
            o.writeFloat(ringSeconds[Math.floorMod(head - k, DETAIL)]);
        }
        o.writeInt(bucketsSeen);
        baseline.write(o);
        o.writeFloat(sumCalls);
        o.writeFloat(sumCost);
        o.writeFloat(sumSquares);
        o.writeFloat(sumSeconds);
        o.writeFloat(sumGbSeconds);
        o.writeChar(Math.max(0, Math.min(lastMemoryMb, Character.MAX_VALUE)));
        o.writeByte(openScale);
        incident.write(o);
    }

    @Override
    public void read(DataInput in) throws IOException {
        preparedFor = Long.MIN_VALUE;
        pricesUsed = null;
        bucketStart = in.readLong();
        calls = in.readChar();
        cost = in.readFloat();
        seconds = in.readFloat();
        squares = in.readFloat();
        gbSeconds = in.readFloat();
        bucketFlag = in.readBoolean();
        head = 0;
        for (int k = RING; k >= 1; k--) {
            ringCost[Math.floorMod(-k, RING)] = in.readFloat();
        }
        for (int k = DETAIL; k >= 1; k--) {
            ringCalls[Math.floorMod(-k, DETAIL)] = in.readChar();
            ringSeconds[Math.floorMod(-k, DETAIL)] = in.readFloat();
        }
        bucketsSeen = in.readInt();
        baseline.read(in);
        sumCalls = in.readFloat();
        sumCost = in.readFloat();
        sumSquares = in.readFloat();
        sumSeconds = in.readFloat();
        sumGbSeconds = in.readFloat();
        lastMemoryMb = in.readChar();
        openScale = in.readByte();
        incident.read(in);
    }
}
