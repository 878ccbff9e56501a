package io.fnwatch.detect;

/**
 * Maps how far an observation exceeds its threshold to a 0–100 score: 50 at the threshold, +25 for each
 * doubling beyond it, capped at 100. Severity follows the score, so both grow with the deviation.
 */
public final class Scoring {

    private Scoring() {
    }

    public static double score(double observed, double threshold) {
        if (threshold <= 0 || observed <= 0) {
            return 50;
        }
        double s = 50 + 25 * (Math.log(observed / threshold) / Math.log(2));
        return Math.round(Math.max(50, Math.min(100, s)) * 10) / 10.0;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
