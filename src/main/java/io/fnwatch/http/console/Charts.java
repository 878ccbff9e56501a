package io.fnwatch.http.console;

import io.fnwatch.detect.MinuteSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The Function page's charts as inline SVG, built here (no script, no library): one value per minute from
 * {@code from} to {@code to}. Colours come from the console's style sheet (classes), never from inline styles,
 * so the strict Content-Security-Policy holds; each chart has a title and a text description for screen
 * readers. Minutes without an entry had no calls: zero calls, and the expected count and threshold of the
 * last minute before them.
 */
final class Charts {

    /** One incident as a span: start, end (or -1 while open), and what to call it. */
    record Span(long start, long opened, long resolved, String label) {}

    static final int W = 800;
    static final int H = 210;
    private static final int LEFT = 56;
    private static final int RIGHT = 10;
    private static final int TOP = 22;
    private static final int BOTTOM = 180;

    private final long from;
    private final int minutes;

    Charts(long from, long to) {
        this.from = Math.floorDiv(from, MinuteSummary.MINUTE_MS) * MinuteSummary.MINUTE_MS;
        this.minutes = (int) Math.max(1, (to - this.from) / MinuteSummary.MINUTE_MS);
    }

    int minutes() {
        return minutes;
    }

    /** The entries laid out by minute (null: no entry). */
    MinuteSummary[] byMinute(List<MinuteSummary> entries) {
        MinuteSummary[] out = new MinuteSummary[minutes];
        for (MinuteSummary m : entries) {
            long i = (m.minuteStart() - from) / MinuteSummary.MINUTE_MS;
            if (i >= 0 && i < minutes) {
                out[(int) i] = m;
            }
        }
        return out;
    }

    String traffic(MinuteSummary[] m, List<Span> spans) {
        double[] count = new double[minutes];
        double[] expected = new double[minutes];
        double[] threshold = new double[minutes];
        double max = 1;
        double e = Double.NaN;
        double t = Double.NaN;
        int over = 0;
        double peak = 0;
        long peakAt = from;
        for (int i = 0; i < minutes; i++) {
            if (m[i] != null) {
                e = Float.isNaN(m[i].expected()) ? e : m[i].expected();
                t = Float.isNaN(m[i].threshold()) ? t : m[i].threshold();
                count[i] = m[i].count();
            }
            expected[i] = e;
            threshold[i] = t;
            max = Math.max(max, Math.max(count[i], Double.isNaN(t) ? 0 : t));
            if (!Double.isNaN(t) && count[i] >= t && count[i] > 0) {
                over++;
            }
            if (count[i] > peak) {
                peak = count[i];
                peakAt = from + i * MinuteSummary.MINUTE_MS;
            }
        }
        max = nice(max * 1.1);
        StringBuilder s = open(
                "Invocations per minute",
                String.format(
                        Locale.ROOT,
                        "Invocations per minute from %s to %s UTC, with the expected count (dashed) and the "
                                + "threshold band. Peak %.0f at %s; %d minutes at or above the threshold; %d incidents.",
                        Html.minute(from),
                        Html.minute(end()),
                        peak,
                        Html.minute(peakAt),
                        over,
                        spans.size()));
        axes(s, max);
        spansOf(s, spans);
        s.append("<path class=\"band\" d=\"").append(area(threshold, null, max)).append("\"/>");
        s.append("<path class=\"expected\" d=\"").append(line(expected, max)).append("\"/>");
        s.append("<path class=\"observed\" d=\"").append(line(count, max)).append("\"/>");
        for (int i = 0; i < minutes; i++) {
            if (!Double.isNaN(threshold[i]) && count[i] >= threshold[i] && count[i] > 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "<circle class=\"over\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                        x(i + 0.5),
                        y(count[i], max)));
            }
        }
        legend(s, new String[] {"observed", "calls"}, new String[] {"expected", "expected"}, new String[] {
            "band", "up to threshold"
        });
        return s.append("</svg>").toString();
    }

    String durations(MinuteSummary[] m, List<Span> spans) {
        double[] p50 = new double[minutes];
        double[] p95 = new double[minutes];
        double[] b50 = new double[minutes];
        double[] b95 = new double[minutes];
        double max = 1;
        double l50 = Double.NaN;
        double l95 = Double.NaN;
        double worst = 0;
        for (int i = 0; i < minutes; i++) {
            p50[i] = m[i] == null ? Double.NaN : m[i].p50Ms();
            p95[i] = m[i] == null ? Double.NaN : m[i].p95Ms();
            if (m[i] != null) {
                l50 = Float.isNaN(m[i].baselineP50Ms()) ? l50 : m[i].baselineP50Ms();
                l95 = Float.isNaN(m[i].baselineP95Ms()) ? l95 : m[i].baselineP95Ms();
            }
            b50[i] = l50;
            b95[i] = l95;
            for (double v : new double[] {p95[i], b95[i]}) {
                max = Double.isNaN(v) ? max : Math.max(max, v);
            }
            worst = Double.isNaN(p95[i]) ? worst : Math.max(worst, p95[i]);
        }
        max = nice(max * 1.1);
        StringBuilder s = open(
                "Warm durations (ms)",
                String.format(
                        Locale.ROOT,
                        "Warm invocation durations p50 and p95 in milliseconds from %s to %s UTC against the "
                                + "baseline's p50 to p95 band; worst p95 %.0f ms; %d incidents.",
                        Html.minute(from),
                        Html.minute(end()),
                        worst,
                        spans.size()));
        axes(s, max);
        spansOf(s, spans);
        s.append("<path class=\"band\" d=\"").append(area(b95, b50, max)).append("\"/>");
        s.append("<path class=\"p95\" d=\"").append(line(p95, max)).append("\"/>");
        s.append("<path class=\"observed\" d=\"").append(line(p50, max)).append("\"/>");
        legend(s, new String[] {"observed", "p50"}, new String[] {"p95", "p95"}, new String[] {
            "band", "baseline p50-p95"
        });
        return s.append("</svg>").toString();
    }

    String errors(MinuteSummary[] m, List<Span> spans) {
        double max = 1;
        long errors = 0;
        long denials = 0;
        for (int i = 0; i < minutes; i++) {
            if (m[i] != null) {
                max = Math.max(max, Math.max(m[i].errors(), m[i].denials()));
                errors += m[i].errors();
                denials += m[i].denials();
            }
        }
        max = nice(max * 1.1);
        StringBuilder s = open(
                "Errors and denials",
                String.format(
                        Locale.ROOT,
                        "Failed invocations and permission denials per minute from %s to %s UTC: %d errors, "
                                + "%d denials; %d incidents.",
                        Html.minute(from),
                        Html.minute(end()),
                        errors,
                        denials,
                        spans.size()));
        axes(s, max);
        spansOf(s, spans);
        double w = Math.max(1, (double) (W - LEFT - RIGHT) / minutes / 2);
        for (int i = 0; i < minutes; i++) {
            if (m[i] == null) {
                continue;
            }
            bar(s, "errors", x(i), w, m[i].errors(), max);
            bar(s, "denials", x(i) + w, w, m[i].denials(), max);
        }
        legend(s, new String[] {"errors", "errors"}, new String[] {"denials", "denials"}, null);
        return s.append("</svg>").toString();
    }

    /**
     * A small chart of one value per minute as bars, for the Overview: {@code values[i]} belongs to the minute
     * starting at {@code from + i} minutes; a negative value is a minute not known (drawn as nothing). The
     * description says what the chart shows; the caller lists the figures as text as well.
     */
    static String perMinute(String title, String cls, long from, long[] values, String desc) {
        int h = 130;
        int top = 22;
        int bottom = 105;
        int n = Math.max(1, values.length);
        double max = 1;
        for (long v : values) {
            max = Math.max(max, v);
        }
        max = nice(max * 1.1);
        String id = "m" + Integer.toHexString((title + from).hashCode());
        StringBuilder s = new StringBuilder(8192);
        s.append(String.format(
                Locale.ROOT,
                "<svg class=\"chart mini\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%st %sd\">"
                        + "<title id=\"%st\">%s</title><desc id=\"%sd\">%s</desc>"
                        + "<text class=\"title\" x=\"%d\" y=\"14\">%s</text>",
                W,
                h,
                id,
                id,
                id,
                Html.text(title),
                id,
                Html.text(desc),
                LEFT,
                Html.text(title)));
        int lines = Math.min(2, gridLines(max));
        for (int k = 0; k <= lines; k++) {
            double v = max * k / lines;
            double yy = bottom - v / max * (bottom - top);
            gridLine(s, v, yy);
        }
        double step = (double) (W - LEFT - RIGHT) / n;
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0) {
                double top2 = bottom - Math.min(values[i], max) / max * (bottom - top);
                s.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                        Html.text(cls),
                        LEFT + i * step + step * 0.1,
                        top2,
                        Math.max(1, step * 0.8),
                        bottom - top2));
            }
        }
        for (int k = 0; k <= 4; k++) {
            int i = Math.min(n, n * k / 4);
            s.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    LEFT + i * step,
                    bottom + 16,
                    k == 0 ? "start" : k == 4 ? "end" : "middle",
                    Html.text(Html.minute(from + i * MinuteSummary.MINUTE_MS).substring(11))));
        }
        return s.append("</svg>").toString();
    }

    private void bar(StringBuilder s, String cls, double x, double w, int v, double max) {
        if (v > 0) {
            double top = y(v, max);
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                    cls,
                    x,
                    top,
                    w,
                    BOTTOM - top));
        }
    }

    private long end() {
        return from + (long) minutes * MinuteSummary.MINUTE_MS;
    }

    private StringBuilder open(String title, String desc) {
        String id = "c" + Integer.toHexString((title + from).hashCode());
        StringBuilder s = new StringBuilder(16_384);
        s.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" role=\"img\" aria-labelledby=\"")
                .append(id)
                .append("t ")
                .append(id)
                .append("d\"><title id=\"")
                .append(id)
                .append("t\">")
                .append(Html.text(title))
                .append("</title><desc id=\"")
                .append(id)
                .append("d\">")
                .append(Html.text(desc))
                .append("</desc>");
        s.append("<text class=\"title\" x=\"")
                .append(LEFT)
                .append("\" y=\"14\">")
                .append(Html.text(title));
        return s.append("</text>");
    }

    /** A horizontal grid line at height {@code yy}, labelled with its value {@code v} on the left axis. */
    private static void gridLine(StringBuilder s, double v, double yy) {
        s.append(String.format(
                Locale.ROOT,
                "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                        + "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                LEFT,
                W - RIGHT,
                yy,
                yy,
                LEFT - 4,
                yy + 4,
                Html.text(label(v))));
    }

    private void axes(StringBuilder s, double max) {
        int lines = gridLines(max);
        for (int k = 0; k <= lines; k++) {
            double v = max * k / lines;
            double yy = y(v, max);
            gridLine(s, v, yy);
        }
        int ticks = 6;
        for (int k = 0; k <= ticks; k++) {
            int i = minutes * k / ticks;
            s.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    x(i),
                    BOTTOM + 16,
                    k == 0 ? "start" : k == ticks ? "end" : "middle",
                    Html.text(Html.minute(from + (long) i * MinuteSummary.MINUTE_MS)
                            .substring(5))));
        }
    }

    private void spansOf(StringBuilder s, List<Span> spans) {
        List<Label> labels = new ArrayList<>();
        for (Span sp : spans) {
            double a = Math.max(LEFT, xAt(sp.start()));
            double b = Math.min(W - RIGHT, sp.resolved() < 0 ? W - RIGHT : xAt(sp.resolved()));
            if (b < LEFT || a > W - RIGHT) {
                continue;
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"span\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>",
                    a,
                    TOP,
                    Math.max(2, b - a),
                    BOTTOM - TOP,
                    Html.text(sp.label())));
            double opened = marker(s, sp.opened(), "open", "OPEN", sp.label());
            double resolved =
                    sp.resolved() < 0 ? Double.NaN : marker(s, sp.resolved(), "resolved", "RESOLVED", sp.label());
            boolean o = !Double.isNaN(opened);
            boolean r = !Double.isNaN(resolved);
            if (o && r && resolved - opened < width("RESOLVED") + 2 * PAD) {
                // too close for a label each on its own side: one label beside both lines, crossing neither
                labels.add(label(opened, resolved, "both", "OPEN–RESOLVED"));
            } else {
                if (o) {
                    labels.add(label(opened, opened, "open", "OPEN"));
                }
                if (r) {
                    Label l = new Label(resolved - PAD - width("RESOLVED"), resolved - PAD, "resolved", "RESOLVED");
                    labels.add(l.x1() < LEFT ? label(resolved, resolved, "resolved", "RESOLVED") : l);
                }
            }
        }
        place(s, labels);
    }

    /** A marker's text: where it starts and ends, its class and words. */
    record Label(double x1, double x2, String cls, String text) {}

    /** Rows of marker text below the top of the plot; a label that fits none is left out (the line's title says it). */
    static final int LANES = 4;

    static final int LANE_HEIGHT = 12;
    private static final double PAD = 3;

    /** A conservative width of bold 10 px capitals (wider than they are drawn: an estimate must not overlap). */
    static double width(String text) {
        return 7.5 * text.length();
    }

    /** A label to the right of {@code right}, or to the left of {@code left} where it would leave the plot. */
    private static Label label(double left, double right, String cls, String text) {
        double w = width(text);
        return right + PAD + w <= W - RIGHT
                ? new Label(right + PAD, right + PAD + w, cls, text)
                : new Label(left - PAD - w, left - PAD, cls, text);
    }

    /** Lays the labels out left to right, each in the first row where it overlaps no other. */
    private static void place(StringBuilder s, List<Label> labels) {
        labels.sort(Comparator.comparingDouble(Label::x1));
        double[] end = new double[LANES];
        java.util.Arrays.fill(end, Double.NEGATIVE_INFINITY);
        for (Label l : labels) {
            for (int lane = 0; lane < LANES; lane++) {
                if (l.x1() >= end[lane] + 2) {
                    end[lane] = l.x2();
                    s.append(String.format(
                            Locale.ROOT,
                            "<text class=\"marker %s\" x=\"%.1f\" y=\"%d\">",
                            l.cls(),
                            l.x1(),
                            TOP + 10 + lane * LANE_HEIGHT));
                    if ("both".equals(l.cls())) {
                        s.append("<tspan class=\"open\">OPEN</tspan><tspan class=\"resolved\">–RESOLVED</tspan>");
                    } else {
                        s.append(l.text());
                    }
                    s.append("</text>");
                    break;
                }
            }
        }
    }

    /** A marker's line, titled for screen readers and hover; its x, or NaN when outside the plot. */
    private double marker(StringBuilder s, long t, String cls, String text, String what) {
        double xx = xAt(t);
        if (xx < LEFT || xx > W - RIGHT) {
            return Double.NaN;
        }
        s.append(String.format(
                Locale.ROOT,
                "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"><title>%s</title></line>",
                cls,
                xx,
                xx,
                TOP,
                BOTTOM,
                Html.text(text + " " + Html.minute(t) + " UTC: " + what)));
        return xx;
    }

    private void legend(StringBuilder s, String[] a, String[] b, String[] c) {
        int xx = W - RIGHT - 330;
        for (String[] item : new String[][] {a, b, c}) {
            if (item == null) {
                continue;
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"key %s\" x=\"%d\" y=\"6\" width=\"14\" height=\"8\"/>"
                            + "<text class=\"axis\" x=\"%d\" y=\"14\">%s</text>",
                    item[0],
                    xx,
                    xx + 18,
                    Html.text(item[1])));
            xx += 110;
        }
    }

    /** A line through the minutes' middles, broken where a value is NaN. */
    private String line(double[] v, double max) {
        StringBuilder d = new StringBuilder(v.length * 14);
        boolean pen = false;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M');
            d.append(String.format(Locale.ROOT, "%.1f %.1f", x(i + 0.5), y(v[i], max)));
            pen = true;
        }
        return d.toString();
    }

    /** The area between {@code upper} and {@code lower} (null: the axis), in runs where both are known. */
    private String area(double[] upper, double[] lower, double max) {
        StringBuilder d = new StringBuilder(upper.length * 28);
        int i = 0;
        while (i < upper.length) {
            if (Double.isNaN(upper[i]) || (lower != null && Double.isNaN(lower[i]))) {
                i++;
                continue;
            }
            int j = i;
            while (j < upper.length && !Double.isNaN(upper[j]) && (lower == null || !Double.isNaN(lower[j]))) {
                j++;
            }
            for (int k = i; k < j; k++) {
                d.append(k == i ? 'M' : 'L')
                        .append(String.format(Locale.ROOT, "%.1f %.1f", x(k + (k == i ? 0 : 0.5)), y(upper[k], max)));
            }
            d.append(String.format(Locale.ROOT, "L%.1f %.1f", x(j), y(upper[j - 1], max)));
            for (int k = j - 1; k >= i; k--) {
                double low = lower == null ? 0 : lower[k];
                d.append(String.format(Locale.ROOT, "L%.1f %.1f", x(k == j - 1 ? j : k + 0.5), y(low, max)));
            }
            d.append(String.format(Locale.ROOT, "L%.1f %.1fZ", x(i), y(lower == null ? 0 : lower[i], max)));
            i = j;
        }
        return d.toString();
    }

    private double x(double minute) {
        return LEFT + minute * (W - LEFT - RIGHT) / minutes;
    }

    private double xAt(long t) {
        return x((double) (t - from) / MinuteSummary.MINUTE_MS);
    }

    private static double y(double v, double max) {
        return BOTTOM - Math.min(v, max) / max * (BOTTOM - TOP);
    }

    /** A round axis maximum at or above {@code v}: 1, 2 or 5 times a power of ten. */
    static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double f : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (f * p >= v) {
                return f * p;
            }
        }
        return 10 * p;
    }

    /** How many steps the axis has, so that each is a round number for the maxima {@link #nice} gives. */
    static int gridLines(double max) {
        double m = max / Math.pow(10, Math.floor(Math.log10(Math.max(max, 1e-9))));
        double[][] steps = {{1.2, 4}, {1.5, 5}, {2, 4}, {2.5, 5}, {3, 3}, {4, 4}, {5, 5}, {6, 3}, {8, 4}};
        for (double[] s : steps) {
            if (Math.abs(m - s[0]) < 1e-6) {
                return (int) s[1];
            }
        }
        return 5;
    }

    private static String label(double v) {
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
