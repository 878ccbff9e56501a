package io.fnwatch.model;

/** Alert severity, derived from the 0–100 score so that both grow with the size of the deviation. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public static Severity ofScore(double score) {
        if (score >= 90) {
            return CRITICAL;
        }
        if (score >= 75) {
            return HIGH;
        }
        if (score >= 60) {
            return MEDIUM;
        }
        return LOW;
    }
}
