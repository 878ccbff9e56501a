package io.fnwatch.cli;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import java.util.HashSet;
import java.util.Set;

/**
 * One readable line per alert, for people watching a terminal. An OPEN alert whose incident was already
 * opened is the incident's single severity update, shown as UPDATE.
 */
final class AlertFormat {

    private final Set<String> opened = new HashSet<>();

    synchronized String line(Alert a) {
        String state = a.state() == AlertState.OPEN && !opened.add(a.id())
                ? "UPDATE"
                : a.state().name();
        return String.format(
                "%-8s %-24s %-9s %-22s observed %s vs expected %s (threshold %s) at %s — %s",
                state,
                a.type(),
                a.severity(),
                a.function(),
                num(a.observed()),
                num(a.expected()),
                num(a.threshold()),
                a.detectedAt(),
                a.summary());
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.valueOf((long) v) : String.format("%.2f", v);
    }
}
