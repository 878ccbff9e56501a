package io.fnwatch.bench.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB v1.1 scoring, written from its published rules: the first 15 % of each file (at most 750 rows) is
 * probation; a detection inside a label window is worth {@code tp·σ(−(R−i+1)/W)/σ(−1)} and only the
 * earliest counts; a missed window costs {@code fn}; every detection outside a window costs
 * {@code fp·σ((i−R_prev)/(W_prev−1))} (or −fp before the first window), σ(x) = 2/(1+e^{5x}) − 1 (−1 for
 * x > 3). The threshold is swept over every distinct score for all files at once, per profile, and the
 * best raw score is normalised to 100·(raw − null)/(perfect − null).
 */
public final class NabScorer {

    /** A profile's weights. */
    public record Profile(String name, double tp, double fp, double fn) {}

    /** The normalised score of one profile, with what it was made of. */
    public record Score(
            String profile, double threshold, double raw, double normalized, int windowsHit, int windows, int fpRows) {}

    /** One scored row: its anomaly score, its window (or -1) and its unweighted value. */
    private record Point(double score, int window, double value) {}

    private static final double PROBATION = 0.15;
    private static final double MAX_TP = sigmoid(-1.0);

    private final List<Point> points = new ArrayList<>();
    private int windows;
    private int scorableWindows;

    static double sigmoid(double x) {
        return x > 3.0 ? -1.0 : 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
    }

    /** Adds one file: its row timestamps, the detector's scores for those rows, and its label windows. */
    public void add(List<LocalDateTime> ts, double[] scores, List<LocalDateTime[]> labelWindows) {
        int n = ts.size();
        double probation = Math.min(Math.floor(PROBATION * n), PROBATION * 5000);
        List<int[]> ranges = ranges(ts, labelWindows);
        int base = windows;
        windows += ranges.size();
        boolean[] scorable = new boolean[ranges.size()];
        int w = 0;
        int prevRight = -1;
        int prevWidth = 0;
        for (int i = 0; i < n; i++) {
            while (w < ranges.size() && ranges.get(w)[1] < i) {
                prevRight = ranges.get(w)[1];
                prevWidth = ranges.get(w)[1] - ranges.get(w)[0] + 1;
                w++;
            }
            boolean inWindow = w < ranges.size() && ranges.get(w)[0] <= i && i <= ranges.get(w)[1];
            double u;
            if (inWindow) {
                int width = ranges.get(w)[1] - ranges.get(w)[0] + 1;
                u = sigmoid(-(ranges.get(w)[1] - i + 1) / (double) width) / MAX_TP;
            } else {
                u = prevRight < 0 ? -1.0 : sigmoid(Math.abs(i - prevRight) / (double) Math.max(prevWidth - 1, 1));
            }
            if (i < probation) {
                continue;
            }
            if (inWindow) {
                scorable[w] = true;
            }
            points.add(new Point(
                    Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i], inWindow ? base + w : -1, u));
        }
        for (boolean s : scorable) {
            scorableWindows += s ? 1 : 0;
        }
    }

    /** Window limits as row ranges, matched like NAB: exact timestamps first, else the rows inside. */
    private static List<int[]> ranges(List<LocalDateTime> ts, List<LocalDateTime[]> labelWindows) {
        List<LocalDateTime[]> sorted = new ArrayList<>(labelWindows);
        sorted.sort(Comparator.comparing((LocalDateTime[] a) -> a[0]).thenComparing(a -> a[1]));
        List<int[]> out = new ArrayList<>();
        int pos = 0;
        int n = ts.size();
        for (LocalDateTime[] win : sorted) {
            int left = indexOf(ts, pos, t -> t.equals(win[0]));
            if (left < 0) {
                left = indexOf(ts, pos, t -> !t.isBefore(win[0]));
            }
            if (left < 0) {
                continue;
            }
            int right = indexOf(ts, left, t -> t.equals(win[1]));
            if (right < 0) {
                right = left - 1;
                while (right + 1 < n && !ts.get(right + 1).isAfter(win[1])) {
                    right++;
                }
            }
            if (right < left) {
                continue;
            }
            out.add(new int[] {left, right});
            pos = right + 1;
        }
        return out;
    }

    private static int indexOf(List<LocalDateTime> ts, int from, java.util.function.Predicate<LocalDateTime> p) {
        for (int i = from; i < ts.size(); i++) {
            if (p.test(ts.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Sweeps the threshold per profile and returns the best normalised score of each. */
    public List<Score> score(List<Profile> profiles) {
        List<Point> order = new ArrayList<>(points);
        order.sort(Comparator.comparingDouble(Point::score).reversed());
        List<double[]> candidates = sweep(order);
        List<Score> out = new ArrayList<>();
        for (Profile p : profiles) {
            double[] best = null;
            double bestRaw = Double.NEGATIVE_INFINITY;
            for (double[] c : candidates) {
                double raw = p.fp() * c[1] + p.tp() * c[2] - p.fn() * (scorableWindows - c[3]);
                if (raw > bestRaw) {
                    bestRaw = raw;
                    best = c;
                }
            }
            double perfect = p.tp() * windows;
            double nullScore = -p.fn() * scorableWindows;
            out.add(new Score(
                    p.name(),
                    best[0],
                    bestRaw,
                    100 * (bestRaw - nullScore) / (perfect - nullScore),
                    (int) best[3],
                    windows,
                    (int) best[4]));
        }
        return out;
    }

    /** {threshold, fpSum, tpSum, hit windows, fp rows} for "no detection" and every distinct score. */
    private static List<double[]> sweep(List<Point> order) {
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {Double.POSITIVE_INFINITY, 0, 0, 0, 0});
        Map<Integer, Double> best = new HashMap<>();
        double fpSum = 0;
        double tpSum = 0;
        int fpRows = 0;
        int i = 0;
        while (i < order.size() && order.get(i).score() != Double.NEGATIVE_INFINITY) {
            double s = order.get(i).score();
            for (; i < order.size() && order.get(i).score() == s; i++) {
                Point p = order.get(i);
                if (p.window() < 0) {
                    fpSum += p.value();
                    fpRows++;
                } else {
                    Double old = best.get(p.window());
                    if (old == null || p.value() > old) {
                        tpSum += p.value() - (old == null ? 0 : old);
                        best.put(p.window(), p.value());
                    }
                }
            }
            out.add(new double[] {s, fpSum, tpSum, best.size(), fpRows});
        }
        return out;
    }

    public static List<Profile> profiles(Map<String, Map<String, Double>> weights) {
        List<Profile> out = new ArrayList<>();
        new LinkedHashMap<>(weights)
                .forEach((name, w) ->
                        out.add(new Profile(name, w.get("tpWeight"), w.get("fpWeight"), w.get("fnWeight"))));
        return out;
    }
}
