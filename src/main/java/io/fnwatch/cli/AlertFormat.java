package io.fnwatch.cli;

import io.fnwatch.model.Alert;

/** One readable line per alert, for people watching a terminal. */
final class AlertFormat {

    private AlertFormat() {
    }

    static String line(Alert a) {
        return String.format("%-8s %-24s %-9s %-22s observed %s vs expected %s (threshold %s) at %s — %s",
                a.state(), a.type(), a.severity(), a.function(), num(a.observed()), num(a.expected()),
                num(a.threshold()), a.detectedAt(), a.summary());
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.valueOf((long) v) : String.format("%.2f", v);
    }
}
