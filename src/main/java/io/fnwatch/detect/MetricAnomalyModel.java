package io.fnwatch.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;

/**
 * A streaming anomaly score for one metric series, one observation at a time, in O(1) state. Two channels
 * read the same observation:
 * <ul>
 *   <li>surprise — the traffic detector's {@link SeasonalBaseline} predicts x; {@code z = |x − E| / max(σ, ε)}
 *       (ε a floor relative to the level, for flat series); its short-term average s (weight
 *       {@code shortAlpha}) against the long-term mean m and deviation d of z (weight {@code longAlpha}) gives
 *       {@code u₁ = max(0, (s − m)/d)};</li>
 *   <li>rarity — stochastic estimates of the series' {@code p} and {@code 1 − p} quantiles (gain
 *       {@code quantileGain}) bound its usual range; {@code u₂ = rarityWeight · distance outside that range /
 *       its width} (0 inside).</li>
 * </ul>
 * <p>Rule: {@code u = max(u₁, u₂)}, and the reported score is {@code u/(1+u)} when u exceeds the recent peak
 * (which decays by {@code peakDecay} per observation), a tenth of that otherwise — an anomaly is reported at
 * its onset, not on every row it lasts. Observations with {@code z > clip} teach the baseline at
 * {@code anomalousWeight} and do not widen σ.
 */
public final class MetricAnomalyModel {

    public record Settings(
            double alpha,
            double hourAlpha,
            double dayAlpha,
            ZoneId zone,
            double shortAlpha,
            double longAlpha,
            double clip,
            double anomalousWeight,
            double relativeFloor,
            double quantile,
            double quantileGain,
            double rarityWeight,
            double peakDecay) {

        /** One configuration for every series (chosen on NAB's development subset; see docs/benchmarks.md). */
        public static final Settings DEFAULTS =
                new Settings(0.05, 0.01, 0.0005, ZoneId.of("UTC"), 0.3, 0.002, 4.0, 0.25, 1e-3, 0.005, 0.003, 30, 0.99);
    }

    private final Settings s;
    private final SeasonalBaseline baseline = new SeasonalBaseline();
    private double shortMean;
    private double longMean;
    private double longVar;
    private double qLow = Double.NaN;
    private double qHigh;
    private double spread;
    private double peak;
    private long n;
    private double lastExpected;
    private double lastSigma;

    /** Upper bound of what {@link #write} produces. */
    public static final int MAX_STATE_BYTES = 512;

    public MetricAnomalyModel(Settings settings) {
        this.s = settings;
    }

    /** Scores {@code x} observed at {@code t} (epoch ms), then learns it. */
    public double score(long t, double x) {
        double u = Math.max(surprise(t, x), s.rarityWeight() * rarity(x));
        if (n++ <= 10) {
            u = 0;
        }
        double score = u > peak ? u / (1 + u) : 0.1 * u / (1 + u);
        peak = Math.max(peak * s.peakDecay(), u);
        return score;
    }

    /** After {@link #score}: the value the model expected for that observation. */
    public double expected() {
        return lastExpected;
    }

    /** After {@link #score}: the low end of the band within which that observation counted as usual. */
    public double lower() {
        return lastExpected - s.clip() * lastSigma;
    }

    /** After {@link #score}: the high end of that band. */
    public double upper() {
        return lastExpected + s.clip() * lastSigma;
    }

    public void write(DataOutput o) throws IOException {
        baseline.write(o);
        for (double v : new double[] {shortMean, longMean, longVar, qLow, qHigh, spread, peak}) {
            o.writeDouble(v);
        }
        o.writeLong(n);
    }

    public static MetricAnomalyModel read(DataInput in, Settings settings) throws IOException {
        MetricAnomalyModel m = new MetricAnomalyModel(settings);
        m.baseline.read(in);
        m.shortMean = in.readDouble();
        m.longMean = in.readDouble();
        m.longVar = in.readDouble();
        m.qLow = in.readDouble();
        m.qHigh = in.readDouble();
        m.spread = in.readDouble();
        m.peak = in.readDouble();
        m.n = in.readLong();
        return m;
    }

    private double surprise(long t, double x) {
        double expected = baseline.expected(t, s.zone());
        double floor = s.relativeFloor() * Math.abs(baseline.level()) + 1e-9;
        double sigma = Math.max(Math.sqrt(baseline.variance()), floor);
        lastExpected = expected;
        lastSigma = sigma;
        double z = baseline.seen() < 2 ? 0 : Math.min(Math.abs(x - expected) / sigma, 50);
        boolean anomalous = z > s.clip();
        baseline.learn(
                t,
                s.zone(),
                x,
                s.alpha(),
                s.hourAlpha(),
                s.dayAlpha(),
                anomalous ? s.anomalousWeight() : 1,
                !anomalous,
                Double.POSITIVE_INFINITY);
        shortMean += s.shortAlpha() * (z - shortMean);
        double u = Math.max(0, (shortMean - longMean) / Math.sqrt(Math.max(longVar, 1e-6)));
        double diff = z - longMean;
        longMean += s.longAlpha() * diff;
        longVar = (1 - s.longAlpha()) * (longVar + s.longAlpha() * diff * diff);
        return u;
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
}
