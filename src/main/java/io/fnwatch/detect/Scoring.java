package io.fnwatch.detect;

/**
 * Maps how far an observation exceeds its threshold to a score: {@code 100 − 50·2^(−log2(observed/threshold)/2)},
 * i.e. 50 at the threshold, 75 at 4×, 87.5 at 16×, approaching 100 — strictly growing with the deviation and
 * never saturating. Severity follows the score.
 */
public final class Scoring {

    private Scoring() {}

    public static double score(double observed, double threshold) {
        if (threshold <= 0 || observed <= 0) {
            return 50;
        }
        double doublings = Math.max(0, Math.log(observed / threshold) / Math.log(2));
        return Math.round((100 - 50 * Math.pow(2, -doublings / 2)) * 10) / 10.0;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
