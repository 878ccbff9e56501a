package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;

/**
 * A streaming anomaly score for one metric series, one observation at a time, in a fixed state of
 * {@link #MAX_STATE_BYTES} bytes. Each row is scored on what was learned from the rows before it, then learned.
 *
 * <p><b>Prediction</b> (additive Holt–Winters over the local hour of day h = h(t), in {@code zone}):
 * {@code E = L + S[h]}, error {@code e = x − E}. The scale of the errors is kept per hour, {@code σ = D[h]}
 * (the global {@code D} until hour h has been seen three times), floored at {@code relativeFloor·|L|} for flat
 * series; {@code z = min(|e|/σ, 50)}. Learning: {@code w = anomalousWeight} if {@code z > clip}, else 1;
 * {@code D += scaleAlpha·(min(|e|, clip·σ) − D)}, {@code D[h] += hourScaleAlpha·(min(|e|, clip·σ) − D[h])};
 * {@code L += w·levelAlpha·(x − S[h] − L)}, then {@code S[h] += w·seasonAlpha·(x − L − S[h])}. A per-hour
 * envelope {@code V[h] = max(V[h]·envelopeDecay, |e|)} remembers the largest error this hour has shown lately.
 *
 * <p><b>Means of several values</b> ({@link #score(long, double, int)}): when the row is the mean of k values,
 * the error is taken as {@code e = (x − E)·√k} everywhere above (z, the scales, the envelope) and the rarity
 * channel sees {@code E + e}, so the scales stay those of one value and a mean of 20 values is held to a band
 * √20 times narrower than a single one ({@code E ± clip·σ/√k}). Level and season learn from x itself. k = 1
 * (a sum, a count, a single reading; {@link #score(long, double)}) is the model as NAB measures it.
 *
 * <p><b>Two channels</b>:
 * <ul>
 *   <li>surprise (as Numenta's anomaly likelihood does it) — a short average {@code s} of z (weight
 *       {@code shortAlpha}) against the long mean m and deviation d of z (weight {@code longAlpha}):
 *       {@code u₁ = max(0, (s − m)/d)};</li>
 *   <li>rarity — stochastic estimates of the series' {@code q} and {@code 1 − q} quantiles (gain
 *       {@code quantileGain}) bound its usual range: {@code u₂ = rarityWeight · distance outside that range /
 *       its width} (0 inside).</li>
 * </ul>
 * <p><b>Score</b>: {@code u = min(max(u₁, u₂) · min(1, |e|/V[h]), 10⁹)} (an error no larger than what this hour
 * routinely shows counts less; 10⁹ is where {@code u/(1+u)} is within 10⁻⁹ of 1), 0 for the first {@code warmup}
 * rows. The reported score is {@code u/(1+u)} when u exceeds the recent peak P on the row's side of the expectation
 * (two peaks, above and below, each decaying by {@code peakDecay} per row, {@code P = max(P·peakDecay, u)} on its
 * side), a tenth of that otherwise: an anomaly is reported at its onset, not on every row it lasts, and a drop after
 * a spike is an onset of its own.
 *
 * <p><b>Recurrence</b> (how often values this unusual came at this time of day): a row whose
 * {@code max(u₁, u₂) ≥ recurrenceEvent} is an exceedance, remembered per local hour and day for the last seven
 * days (one bit per day). A row whose error is no more than {@code recurrenceMargin} times the largest error the
 * hour and its two neighbours have shown lately ({@code max V[h−1..h+1]}), at a time of day (this hour or a
 * neighbour) that had exceedances on at least {@code recurrenceDays} of the seven days before today, scores
 * {@code u·recurrenceFactor}: a batch job that spikes every night between 03:00 and 04:30 stops scoring from its
 * third night on, while a first spike at that hour, a spike at another hour, or one clearly larger than the
 * nightly ones still does. Days are UTC days; the rule needs at least two earlier days, so a one-off anomaly never
 * hides the next one at the same hour.
 *
 * <p><b>Persistence</b> ({@link #sustained()}, not part of the score): one-sided CUSUMs of the per-value error
 * {@code ζ = (x − E)/σ} (a mean's error is not multiplied by √k here), each row's step capped:
 * {@code C⁺ = min(persistenceCap, max(0, C⁺ + min(ζ, persistenceRowCap) − persistenceSlack))}, {@code C⁻} alike with
 * −ζ; {@code u₃ = persistenceWeight · max(C⁺, C⁻)}, reported as {@code u₃/(1+u₃)}, 0 until
 * {@code persistenceAfterMillis} of event time after the first row (the hour profile needs a few visits per hour to
 * settle). Only rows at least {@code persistenceSlack} σ from the expectation add to a run, and one row adds at
 * most {@code persistenceRowCap − persistenceSlack}: a single spike cannot raise it far, a level shift held for ten
 * rows of a sparse series can, although each row alone is no rarer than the series' tails. It is not damped by the
 * hour's envelope (a spike at this hour days ago does not explain a deviation held for many rows).
 * {@link MetricAnomalyDetector} alerts on the larger of score and {@code sustained()}; NAB scores only the score.
 *
 * <p><b>Time</b>: the five prediction rates ({@code levelAlpha}, {@code seasonAlpha}, {@code scaleAlpha},
 * {@code hourScaleAlpha}, {@code envelopeDecay}) are per {@code stepMillis} (5 minutes) of event time: a row
 * Δt after the previous one learns with {@code 1 − (1 − α)^k}, {@code k = min(Δt, 12·step)/step} (k = 1 for a
 * repeated or earlier timestamp), so 1-minute and 5-minute series keep the same daily memory and a gap counts
 * as at most an hour. The likelihood, rarity and peak rates are per row.
 *
 * <p><b>State</b>: {@link #MAX_STATE_BYTES} = 437 bytes per series (three 24-hour float profiles are 288 of
 * them, the exceedance days 24). {@link #read} also reads version 2 state (401 bytes, no exceedance days: they start
 * empty; its one peak becomes both) and version 1 state (385 bytes, no persistence runs either: its runs start at 0 and it counts as learned
 * long enough).
 *
 * <p><b>Hostile input</b>: a NaN or ±∞ row is skipped — score 0, nothing learned, {@link #expected()} and the
 * band are NaN. A finite value with {@code |x| > maxAbs} scores 1 and is not learned either, so one absurd
 * value cannot drag the level for thousands of rows.
 *
 * <p>Settings were chosen on NAB's development subset (docs/benchmarks.md, {@code bench nab}); one
 * configuration for every series.
 */
public final class MetricAnomalyModel {

    /** Slots of the seasonal profile: local hours of the day. */
    private static final int HOURS = 24;

    private static final byte VERSION = 3;

    /**
     * The largest u a row can score: {@code u/(1+u)} is then within 1e-9 of 1, below what a score written with nine
     * decimals (NAB's results files) can tell apart. It also bounds the recent peak, so one astronomically rare row (a
     * burst on a series that was constant, where the usual range has width ~0) cannot mute the onsets that follow it
     * for weeks ({@code ln(u)/(1 − peakDecay)} rows).
     */
    private static final double MAX_U = 1e9;

    /** Days of exceedances remembered per hour (one bit per day in a byte: today and the seven before it). */
    private static final int RECURRENCE_MEMORY = 7;

    /**
     * Bytes {@link #write} produces: version 1, row count 8, last time 8, level/scale/likelihood/range/peak doubles 9·8,
     * seen-counts 8, three float arrays 3·24·4; since version 2 also the first time 8 and the two run sums 2·4; since
     * version 3 the peak below the expectation 8, the day of the exceedance days 4 and the 24 bytes of exceedance days.
     */
    public static final int MAX_STATE_BYTES = 1 + 8 + 8 + 9 * 8 + 8 + 3 * HOURS * 4 + 8 + 2 * 4 + 8 + 4 + HOURS;

    public record Settings(
            double levelAlpha,
            double seasonAlpha,
            double scaleAlpha,
            double hourScaleAlpha,
            double envelopeDecay,
            double shortAlpha,
            double longAlpha,
            double clip,
            double anomalousWeight,
            double relativeFloor,
            double quantile,
            double quantileGain,
            double rarityWeight,
            double peakDecay,
            double persistenceSlack,
            double persistenceRowCap,
            double persistenceCap,
            double persistenceWeight,
            long persistenceAfterMillis,
            double recurrenceEvent,
            int recurrenceDays,
            double recurrenceMargin,
            double recurrenceFactor,
            int warmup,
            double maxAbs,
            long stepMillis,
            ZoneId zone) {

        /** One configuration for every series (chosen on NAB's development subset; see docs/benchmarks.md). */
        public static final Settings DEFAULTS = new Settings(
                0.1,
                0.05,
                0.01,
                0.1,
                0.995,
                0.3,
                0.002,
                4.0,
                0.25,
                1e-3,
                0.001,
                0.003,
                30,
                0.99,
                4.0,
                8.0,
                16.0,
                3.0,
                3 * 86_400_000L,
                10,
                2,
                1.3,
                0.001,
                10,
                1e15,
                300_000L,
                ZoneId.of("UTC"));
    }

    private final Settings s;
    private long n;
    private long lastT;
    private double level;
    private double scale;
    private double shortMean;
    private double longMean;
    private double longVar;
    private double qLow = Double.NaN;
    private double qHigh;
    private double spread;
    /** Recent peaks of u for rows above and below the expectation (an onset is judged against its own side). */
    private double peak;

    private double peakBelow;
    /** 2 bits per hour: how often the hour was seen, capped at 3. */
    private long seenHours;
    /** Event time of the first row (the persistence channel waits {@code persistenceAfterMillis} after it). */
    private long firstT = Long.MIN_VALUE;
    /** One-sided cumulative sums of the per-value z above and below the expectation (persistence channel). */
    private float runUp;

    private float runDown;
    /** Day number (UTC days since the epoch) of bit 0 of {@link #recurring}; {@code Integer.MIN_VALUE} before any row. */
    private int day = Integer.MIN_VALUE;
    /** Per local hour, bit j: a row of that hour scored u ≥ {@code recurrenceEvent} on the day j days before {@link #day}. */
    private final byte[] recurring = new byte[HOURS];

    private final float[] season = new float[HOURS];
    private final float[] hourScale = new float[HOURS];
    private final float[] envelope = new float[HOURS];

    private double expected = Double.NaN;
    private double lower = Double.NaN;
    private double upper = Double.NaN;
    private double sustained;

    public MetricAnomalyModel(Settings settings) {
        this.s = settings;
    }

    /** Scores {@code x} observed at {@code t} (epoch ms) in [0, 1], then learns it: {@code score(t, x, 1)}. */
    public double score(long t, double x) {
        return score(t, x, 1);
    }

    /**
     * Scores {@code x}, the mean of {@code count} values observed at {@code t} (epoch ms), in [0, 1], then learns
     * it. The model's scales are those of one value: the error is taken as {@code e·√count}, so a mean of 20 values
     * is held to a band √20 times narrower than a single value ({@code expected ± clip·σ/√count}). Pass 1 for a
     * series whose row is not a mean (a sum, a count, a single reading); {@code count < 1} counts as 1.
     */
    public double score(long t, double x, int count) {
        if (!Double.isFinite(x)) {
            expected = lower = upper = Double.NaN;
            sustained = 0;
            return 0;
        }
        int h = SeasonalProfile.slot(t, s.zone()) >> 3;
        int seen = seenCount(h);
        if (Math.abs(x) > s.maxAbs()) {
            expected = level + (seen > 0 ? season[h] : 0);
            double sigma = n == 0 ? 0 : sigma(h, seen);
            lower = expected - s.clip() * sigma;
            upper = expected + s.clip() * sigma;
            sustained = 0;
            return 1;
        }
        // rates are per stepMillis: a row Δt after the previous one learns with 1 − (1 − α)^k, k = Δt/step
        double k = (n == 0 || t <= lastT) ? 1 : Math.min(t - lastT, 12 * s.stepMillis()) / (double) s.stepMillis();
        lastT = t;
        int today = (int) Math.floorDiv(t, 86_400_000L);
        if (today > day) {
            long shift = day == Integer.MIN_VALUE ? 8 : Math.min(8, (long) today - day);
            for (int i = 0; i < HOURS; i++) {
                recurring[i] = (byte) (shift >= 8 ? 0 : (recurring[i] & 0xFF) << shift);
            }
            day = today;
        }
        double levelAlpha = rate(s.levelAlpha(), k);
        double seasonAlpha = rate(s.seasonAlpha(), k);
        double scaleAlpha = rate(s.scaleAlpha(), k);
        double hourScaleAlpha = rate(s.hourScaleAlpha(), k);
        double envelopeDecay = k == 1 ? s.envelopeDecay() : Math.pow(s.envelopeDecay(), k);
        double z = 0;
        double gate = 1;
        double absErr = 0;
        // recurrence: on how many of the last days an exceedance came at this time of day (this hour or a neighbour),
        // and the largest error those hours have shown lately; read before this row is learned
        int days = 0;
        double nearEnvelope = 0;
        for (int d = -1; d <= 1; d++) {
            int hh = Math.floorMod(h + d, HOURS);
            days |= recurring[hh] & 0xFE;
            nearEnvelope = Math.max(nearEnvelope, envelope[hh]);
        }
        days = Integer.bitCount(days);
        double u3 = 0;
        double rx = x;
        boolean below = false;
        if (n == 0) {
            firstT = t;
            level = x;
            expected = x;
            lower = x;
            upper = x;
        } else {
            double e = level + (seen > 0 ? season[h] : 0);
            double root = count > 1 ? Math.sqrt(count) : 1;
            double err = (x - e) * root;
            double sigma = sigma(h, seen);
            expected = e;
            lower = e - s.clip() * sigma / root;
            upper = e + s.clip() * sigma / root;
            rx = count > 1 ? e + err : x;
            below = err < 0;
            z = n < 3 ? 0 : Math.min(Math.abs(err) / sigma, 50);
            absErr = Math.abs(err);
            double ratio = Math.abs(err) / Math.max(envelope[h], 1e-12);
            gate = (ratio >= 1 || n < 3) ? 1 : ratio;
            envelope[h] = (float) Math.max(envelope[h] * envelopeDecay, Math.abs(err));
            boolean anomalous = z > s.clip();
            double w = anomalous ? s.anomalousWeight() : 1;
            double capped = Math.min(Math.abs(err), s.clip() * sigma);
            scale += scaleAlpha * (capped - scale);
            hourScale[h] = (float) (seen == 0 ? capped : hourScale[h] + hourScaleAlpha * (capped - hourScale[h]));
            level += w * levelAlpha * (x - (seen > 0 ? season[h] : 0) - level);
            season[h] = (float) (seen == 0 ? x - level : season[h] + w * seasonAlpha * (x - level - season[h]));
            if (seen < 3) {
                seenHours += 1L << (2 * h);
            }
            if (n >= 3) {
                // persistence: a CUSUM of the per-value z (one value's scale, not the mean's), each row's step capped
                double pz = (x - e) / sigma;
                double cap = s.persistenceRowCap();
                double slack = s.persistenceSlack();
                runUp = (float) Math.min(s.persistenceCap(), Math.max(0, runUp + Math.min(pz, cap) - slack));
                runDown = (float) Math.min(s.persistenceCap(), Math.max(0, runDown + Math.min(-pz, cap) - slack));
                if (t - firstT >= s.persistenceAfterMillis()) {
                    // not damped by the hour's envelope: one spike at this hour on an earlier day does not
                    // explain a deviation held for many rows
                    u3 = s.persistenceWeight() * Math.max(runUp, runDown);
                }
            }
            if (n == 1) {
                scale = Math.abs(err);
            }
        }
        shortMean += s.shortAlpha() * (z - shortMean);
        double u1 = Math.max(0, (shortMean - longMean) / Math.sqrt(Math.max(longVar, 1e-6)));
        double diff = z - longMean;
        longMean += s.longAlpha() * diff;
        longVar = (1 - s.longAlpha()) * (longVar + s.longAlpha() * diff * diff);
        double surprise = Math.max(u1, s.rarityWeight() * rarity(rx));
        double u = Math.min(surprise * gate, MAX_U);
        if (surprise >= s.recurrenceEvent() && n > s.warmup()) {
            recurring[h] |= 1;
            if (days >= s.recurrenceDays() && absErr <= s.recurrenceMargin() * nearEnvelope) {
                // values this unusual came at this time of day on several recent days, and this one is no larger
                u *= s.recurrenceFactor();
            }
        }
        if (n++ <= s.warmup()) {
            u = 0;
            u3 = 0;
        }
        sustained = u3 / (1 + u3);
        // an onset is judged against the recent peak on its own side: a drop after a spike is a new event
        double score = u > (below ? peakBelow : peak) ? u / (1 + u) : 0.1 * u / (1 + u);
        peak *= s.peakDecay();
        peakBelow *= s.peakDecay();
        if (below) {
            peakBelow = Math.max(peakBelow, u);
        } else {
            peak = Math.max(peak, u);
        }
        return score;
    }

    /** After {@link #score}: the value the model expected for that row (NaN for a skipped row). */
    public double expected() {
        return expected;
    }

    /**
     * After {@link #score}: the persistence channel in [0, 1], {@code u₃/(1+u₃)} — not part of the score (NAB's
     * scoring rewards the onset of an anomaly and charges for every later row). A detector may alert on it.
     */
    public double sustained() {
        return sustained;
    }

    /** After {@link #score}: the low end of the seasonal channel's normal band, {@code E − clip·σ}. */
    public double lower() {
        return lower;
    }

    /** After {@link #score}: the high end of the seasonal channel's normal band, {@code E + clip·σ}. */
    public double upper() {
        return upper;
    }

    private static double rate(double alpha, double k) {
        return k == 1 ? alpha : 1 - Math.pow(1 - alpha, k);
    }

    private int seenCount(int h) {
        return (int) (seenHours >>> (2 * h)) & 3;
    }

    private double sigma(int h, int seen) {
        double sigma = seen > 2 ? hourScale[h] : scale;
        return Math.max(sigma, s.relativeFloor() * Math.abs(level) + 1e-9);
    }

    /** How far x lies outside the series' usual range [q_p, q_(1−p)], in units of that range; 0 inside. */
    private double rarity(double x) {
        if (Double.isNaN(qLow)) {
            qLow = x;
            qHigh = x;
            return 0;
        }
        double width = Math.max(qHigh - qLow, 1e-9 + 1e-3 * Math.abs(qHigh));
        double r = Math.max(0, Math.max(x - qHigh, qLow - x) / width);
        spread += s.quantileGain() * (Math.abs(x - (qLow + qHigh) / 2) - spread);
        // stochastic quantile steps: up by (1 − p)·g when x is beyond, down by p·g otherwise (scaled to the data)
        double g = 100 * s.quantileGain() * Math.max(spread, width * 0.1);
        qHigh += g * ((x > qHigh ? 1 : 0) - s.quantile());
        qLow -= g * ((x < qLow ? 1 : 0) - s.quantile());
        return r;
    }

    /** Writes the state in exactly {@link #MAX_STATE_BYTES} bytes. */
    public void write(DataOutput o) throws IOException {
        o.writeByte(VERSION);
        o.writeLong(n);
        o.writeLong(lastT);
        o.writeDouble(level);
        o.writeDouble(scale);
        o.writeDouble(shortMean);
        o.writeDouble(longMean);
        o.writeDouble(longVar);
        o.writeDouble(qLow);
        o.writeDouble(qHigh);
        o.writeDouble(spread);
        o.writeDouble(peak);
        o.writeLong(seenHours);
        o.writeLong(firstT);
        o.writeFloat(runUp);
        o.writeFloat(runDown);
        o.writeDouble(peakBelow);
        o.writeInt(day);
        o.write(recurring);
        for (int h = 0; h < HOURS; h++) {
            o.writeFloat(season[h]);
            o.writeFloat(hourScale[h]);
            o.writeFloat(envelope[h]);
        }
    }

    public static MetricAnomalyModel read(DataInput in, Settings settings) throws IOException {
        byte version = in.readByte();
        if (version < 1 || version > VERSION) {
            throw new IOException("unknown MetricAnomalyModel state version " + version);
        }
        MetricAnomalyModel m = new MetricAnomalyModel(settings);
        m.n = in.readLong();
        m.lastT = in.readLong();
        m.level = in.readDouble();
        m.scale = in.readDouble();
        m.shortMean = in.readDouble();
        m.longMean = in.readDouble();
        m.longVar = in.readDouble();
        m.qLow = in.readDouble();
        m.qHigh = in.readDouble();
        m.spread = in.readDouble();
        m.peak = in.readDouble();
        // before version 3 one peak served both sides
        m.peakBelow = m.peak;
        m.seenHours = in.readLong();
        if (version >= 2) {
            m.firstT = in.readLong();
            m.runUp = in.readFloat();
            m.runDown = in.readFloat();
            if (version >= 3) {
                m.peakBelow = in.readDouble();
                m.day = in.readInt();
                in.readFully(m.recurring);
            }
        } else {
            // version 1 kept no first time: its series has learned for an unknown while, count it as settled
            m.firstT = Long.MIN_VALUE / 2;
        }
        for (int h = 0; h < HOURS; h++) {
            m.season[h] = in.readFloat();
            m.hourScale[h] = in.readFloat();
            m.envelope[h] = in.readFloat();
        }
        return m;
    }
}
