package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.MetricSample;
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
 * Anomalies in the custom metrics a function logs in CloudWatch Embedded Metric Format, with no configuration:
 * each series (namespace, metric name and dimension values) gets its own {@link MetricAnomalyModel}, the model
 * {@code bench nab} scores.
 *
 * <p>Rule: a series' value for a minute is the sum of its values when its unit is {@code Count}, their mean
 * otherwise. When the function's minute closes (its next event is in a later minute, or stream time passes
 * the minute's end by a minute), each series with values in it is scored: {@code u = model.score(minute, value, k)}
 * in [0, 1], then learned, with {@code k} the number of values averaged (1 for a Count sum): a mean of many
 * values is held to a band √k times narrower. A minute is anomalous when some series that has seen {@code warmupMinutes} minutes
 * scores {@code u ≥ threshold}; {@code confirm} anomalous minutes of the last {@code window} open the incident;
 * it resolves after {@code resolveMinutes} minutes in a row that are silent or whose every series lies within
 * the model's band ({@code expected ± clip·σ}). At most {@code maxSeries} series
 * are followed per function (the first ones seen); the others are counted and named in the evidence. Values
 * that arrive after their minute closed are left out.
 */
public final class MetricAnomalyDetector implements Detector<MetricAnomalyDetector.Settings> {

    public record Settings(
            int maxSeries,
            double threshold,
            int warmupMinutes,
            int confirm,
            int window,
            int resolveMinutes,
            long cooldownMs) {}

    public static final DetectorSpec<Settings, MetricAnomalyDetector> SPEC = DetectorSpec.of(
                    "metric-anomaly", 9, MetricAnomalyDetector::new, AlertType.METRIC_ANOMALY)
            .withParams(
                    Param.integer("maxSeries", 0, 32, "custom metric series followed per function"),
                    Param.decimal("threshold", 0.01, 0.9999, "model score (0 to 1) of an anomalous minute"),
                    Param.integer("warmupMinutes", 0, 1_000_000, "minutes a series is learned before it can alert"),
                    Param.integer("confirm", 1, 30, "anomalous minutes that open an incident"),
                    Param.integer("window", 1, 30, "... out of the last this many minutes with values"),
                    Param.integer("resolveMinutes", 1, 10_000, "normal or silent minutes before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withCheck((v, where, problems) -> {
                if (v.has("confirm") && v.has("window") && v.integer("confirm") > v.integer("window")) {
                    problems.add(where + ": confirm (" + v.integer("confirm") + ") exceeds window ("
                            + v.integer("window") + "): an incident could never open");
                }
            })
            .withSettings(v -> new Settings(
                    v.integer("maxSeries"),
                    v.decimal("threshold"),
                    v.integer("warmupMinutes"),
                    v.integer("confirm"),
                    v.integer("window"),
                    v.integer("resolveMinutes"),
                    v.millis("cooldown")));

    private static final long MINUTE = 60_000L;
    /** Characters of a series' name kept in state for the evidence; series are told apart by a hash of all. */
    static final int MAX_LABEL = 120;

    /** One followed series: identity, the open minute's aggregate, the model and its latest judgement. */
    private static final class Series {
        long id;
        String label;
        String unit;
        boolean count;
        double sum;
        int n;
        int minutes;
        MetricAnomalyModel model;
        double value = Double.NaN;
        double score;
        double expected;
        double lower;
        double upper;
    }

    private final List<Series> series = new ArrayList<>(0);
    /** The function's open minute (all series with values hold values of this minute), or -1. */
    private long minute = -1;
    /** The last minute judged: silent minutes after it count towards RESOLVED. */
    private long judged = -1;

    private int dropped;
    private Series fired;
    private final Incident incident = new Incident();

    @Override
    public boolean warmingUp(Settings s) {
        for (Series x : series) {
            if (x.minutes < s.warmupMinutes()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        if (series.isEmpty()) {
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>(series.size());
        for (Series x : series) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", x.label);
            m.put("unit", x.unit);
            m.put("minutesSeen", x.minutes);
            m.put("lastValue", Scoring.round(x.value));
            m.put("expected", Scoring.round(x.expected));
            list.add(m);
        }
        baselines.put("customMetrics", list);
    }

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        long t = e.epochMillis();
        long m = Math.floorDiv(t, MINUTE);
        if (minute >= 0 && m > minute) {
            close(m * MINUTE, t, s, out);
        }
        if (e.kind() != EventKind.METRIC || e.metrics() == null || s.maxSeries() == 0) {
            return;
        }
        if (minute >= 0 && m < minute) {
            return; // its minute is already judged
        }
        for (MetricSample sample : e.metrics()) {
            Series x = find(sample, s);
            if (x != null) {
                x.sum += sample.sum();
                x.n += sample.count();
                minute = m;
            }
        }
    }

    private Series find(MetricSample sample) {
        String key = sample.series();
        long id = hash(key);
        for (Series x : series) {
            if (x.id == id) {
                return x;
            }
        }
        return null;
    }

    /** The series of {@code sample}, followed from now if there is room; null when the function has too many. */
    private Series find(MetricSample sample, Settings s) {
        Series x = find(sample);
        if (x != null) {
            return x;
        }
        if (series.size() >= s.maxSeries()) {
            dropped = Math.min(dropped + 1, 1_000_000);
            return null;
        }
        x = new Series();
        String key = sample.series();
        x.id = hash(key);
        x.label = key.length() <= MAX_LABEL ? key : key.substring(0, MAX_LABEL);
        x.unit = sample.unit().length() <= 32 ? sample.unit() : sample.unit().substring(0, 32);
        x.count = sample.isCount();
        x.model = new MetricAnomalyModel(MetricAnomalyModel.Settings.DEFAULTS);
        series.add(x);
        return x;
    }

    /** 64-bit FNV-1a of the series key: two keys of one function colliding is negligible. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public void advance(long now, Settings s, Emitter out) {
        long m = Math.floorDiv(now, MINUTE);
        if (minute >= 0 && m > minute + 1) {
            close(m * MINUTE, now, s, out);
        } else if (minute < 0 && incident.isOpen()) {
            silent(m, now, s, out);
        }
    }

    @Override
    public long deadline(Settings s) {
        if (minute >= 0) {
            return (minute + 2) * MINUTE;
        }
        if (!incident.isOpen()) {
            return Long.MAX_VALUE;
        }
        // the minute whose silence completes the normal streak towards RESOLVED
        long left = Math.max(1, s.resolveMinutes() - incident.normalStreak());
        return (judged + left + 1) * MINUTE;
    }

    /** Judges the open minute, then counts the silent minutes up to {@code until} (a minute start). */
    private void close(long until, long now, Settings s, Emitter out) {
        boolean anomalous = false;
        boolean outside = false;
        Series worst = null;
        for (Series x : series) {
            if (x.n == 0) {
                continue;
            }
            x.value = x.count ? x.sum : x.sum / x.n;
            // the onset score, or the persistence channel: a shift held over many minutes of a sparse series
            x.score = Math.max(x.model.score(minute * MINUTE, x.value, x.count ? 1 : x.n), x.model.sustained());
            x.expected = x.model.expected();
            x.lower = x.model.lower();
            x.upper = x.model.upper();
            x.sum = 0;
            x.n = 0;
            boolean warm = x.minutes >= s.warmupMinutes();
            x.minutes = Math.min(x.minutes + 1, Integer.MAX_VALUE - 1);
            outside |= warm && (x.value < x.lower || x.value > x.upper);
            if (warm && x.score >= s.threshold() && (worst == null || x.score > worst.score)) {
                worst = x;
                anomalous = true;
            }
        }
        long closed = minute;
        minute = -1;
        judged = closed;
        incident.nextBucket();
        if (anomalous) {
            fired = worst;
            boolean opens =
                    incident.anomalous(closed * MINUTE, now, worst.score, s.confirm(), s.window(), s.cooldownMs());
            Severity severity = Severity.ofScore(alertScore(worst.score, s));
            if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
                if (opens) {
                    incident.severityRisesTo(severity);
                }
                emit(AlertState.OPEN, incident.openedAt(), closed, now, worst, s, out);
            }
        } else if (outside) {
            incident.interrupt();
        } else {
            resolveOn(closed, now, s, out);
        }
        silent(Math.floorDiv(until, MINUTE), now, s, out);
    }

    /** Minutes after the last judged one up to {@code m} (exclusive) had no values: they count as normal. */
    private void silent(long m, long now, Settings s, Emitter out) {
        if (!incident.isOpen() || judged < 0) {
            judged = Math.max(judged, m - 1);
            return;
        }
        while (judged < m - 1 && incident.isOpen()) {
            judged++;
            incident.nextBucket();
            resolveOn(judged, now, s, out);
        }
        judged = Math.max(judged, m - 1);
    }

    private void resolveOn(long m, long now, Settings s, Emitter out) {
        long start = incident.normal(now, s.resolveMinutes());
        if (start >= 0) {
            emit(AlertState.RESOLVED, start, m, now, fired, s, out);
        }
    }

    private static double alertScore(double u, Settings s) {
        double score = Math.min(100, 50 + 50 * (u - s.threshold()) / Math.max(1e-9, 1 - s.threshold()));
        return Math.round(score * 10) / 10.0;
    }

    private void emit(AlertState state, long start, long m, long now, Series x, Settings s, Emitter out) {
        Map<String, Object> ev = new LinkedHashMap<>();
        String label = x == null ? "" : x.label;
        ev.put("series", label);
        ev.put("unit", x == null ? "" : x.unit);
        ev.put("statistic", x != null && x.count ? "sum per minute" : "mean per minute");
        ev.put("minute", Instant.ofEpochMilli(m * MINUTE).toString());
        ev.put("value", x == null ? 0 : Scoring.round(x.value));
        ev.put("expected", x == null ? 0 : Scoring.round(x.expected));
        ev.put("band", x == null ? List.of() : List.of(Scoring.round(x.lower), Scoring.round(x.upper)));
        ev.put("modelScore", x == null ? 0 : Scoring.round(x.score));
        ev.put("threshold", s.threshold());
        ev.put("seriesFollowed", series.size());
        ev.put("seriesNotFollowed", dropped);
        double score = state == AlertState.RESOLVED || x == null ? 50 : alertScore(x.score, s);
        String summary = state == AlertState.RESOLVED
                ? "custom metric " + label + " back within its usual range"
                : String.format(
                        "custom metric %s = %s %s, expected %s (usual range %s to %s)",
                        label,
                        Scoring.round(x.value),
                        x.unit,
                        Scoring.round(x.expected),
                        Scoring.round(x.lower),
                        Scoring.round(x.upper));
        out.emit(new Emitter.Draft(
                AlertType.METRIC_ANOMALY,
                state,
                start,
                m * MINUTE,
                (m + 1) * MINUTE,
                now,
                score,
                x == null ? 0 : x.value,
                x == null ? 0 : x.expected,
                x == null ? 0 : x.upper,
                summary,
                ev));
    }

    /** Custom metric series followed (for {@code bench state}'s cost per series). */
    public int seriesCount() {
        return series.size();
    }

    /** Nothing learned and nothing open: most functions log no custom metrics, and then cost one byte. */
    private boolean empty() {
        return series.isEmpty()
                && minute < 0
                && dropped == 0
                && !incident.isOpen()
                && incident.resolvedAt() == Long.MIN_VALUE;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeBoolean(!empty());
        if (empty()) {
            return;
        }
        out.writeLong(minute);
        out.writeLong(judged);
        out.writeInt(dropped);
        incident.write(out);
        out.writeByte(series.size());
        out.writeByte(fired == null ? -1 : series.indexOf(fired));
        for (Series x : series) {
            out.writeLong(x.id);
            out.writeUTF(x.label);
            out.writeUTF(x.unit);
            out.writeBoolean(x.count);
            out.writeDouble(x.sum);
            out.writeInt(x.n);
            out.writeInt(x.minutes);
            out.writeDouble(x.value);
            out.writeFloat((float) x.score);
            out.writeDouble(x.expected);
            out.writeDouble(x.lower);
            out.writeDouble(x.upper);
            x.model.write(out);
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        series.clear();
        if (!in.readBoolean()) {
            return;
        }
        minute = in.readLong();
        judged = in.readLong();
        dropped = in.readInt();
        incident.read(in);
        int size = in.readUnsignedByte();
        int firedAt = in.readByte();
        for (int i = 0; i < size; i++) {
            Series x = new Series();
            x.id = in.readLong();
            x.label = in.readUTF();
            x.unit = in.readUTF();
            x.count = in.readBoolean();
            x.sum = in.readDouble();
            x.n = in.readInt();
            x.minutes = in.readInt();
            x.value = in.readDouble();
            x.score = in.readFloat();
            x.expected = in.readDouble();
            x.lower = in.readDouble();
            x.upper = in.readDouble();
            x.model = MetricAnomalyModel.read(in, MetricAnomalyModel.Settings.DEFAULTS);
            series.add(x);
        }
        fired = firedAt >= 0 && firedAt < series.size() ? series.get(firedAt) : null;
    }
}
