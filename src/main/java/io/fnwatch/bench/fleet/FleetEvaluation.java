package io.fnwatch.bench.fleet;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches alerts to planted incidents. An alert incident (its first OPEN, by id) detects a planted incident of
 * the same type and function when it opens between 5 minutes before the incident starts and 30 minutes after
 * it ends (an outdated runtime is one incident for the whole run). Unmatched alert incidents are false alerts.
 */
final class FleetEvaluation {

    private static final long BEFORE = 5 * 60_000L;
    private static final long AFTER = 30 * 60_000L;

    /** The figures of one alert type. */
    record Row(
            AlertType type,
            int incidents,
            int detected,
            int alertIncidents,
            int falseAlerts,
            double recall,
            double precision,
            double f1,
            double medianDelayMin,
            double p90DelayMin,
            double falsePer1000FunctionDays) {}

    static List<Row> evaluate(List<PlantedIncident> planted, List<Alert> alerts, double functionDays) {
        Map<String, Alert> firstOpen = new LinkedHashMap<>();
        alerts.stream().filter(a -> a.state() == AlertState.OPEN).forEach(a -> firstOpen.putIfAbsent(a.id(), a));
        List<Row> rows = new ArrayList<>();
        for (AlertType type : AlertType.values()) {
            List<PlantedIncident> mine =
                    planted.stream().filter(i -> i.type() == type).toList();
            List<Alert> opened = firstOpen.values().stream()
                    .filter(a -> a.type() == type)
                    .sorted(Comparator.comparing(Alert::detectedAt))
                    .toList();
            List<Double> delays = new ArrayList<>();
            int detected = 0;
            java.util.Set<String> matchedAlerts = new java.util.HashSet<>();
            for (PlantedIncident i : mine) {
                List<Alert> hits = opened.stream().filter(a -> matches(i, a)).toList();
                hits.forEach(a -> matchedAlerts.add(a.id()));
                if (!hits.isEmpty()) {
                    detected++;
                    // an outdated runtime has no onset: it is one incident for the whole run
                    if (type != AlertType.OUTDATED_RUNTIME_INVOKED) {
                        delays.add(Math.max(0, hits.get(0).detectedAt().toEpochMilli() - i.start()) / 60_000.0);
                    }
                }
            }
            int falseAlerts = opened.size() - matchedAlerts.size();
            double recall = mine.isEmpty() ? Double.NaN : detected / (double) mine.size();
            double precision = opened.isEmpty() ? Double.NaN : matchedAlerts.size() / (double) opened.size();
            double f1 = 2 * precision * recall / (precision + recall);
            rows.add(new Row(
                    type,
                    mine.size(),
                    detected,
                    opened.size(),
                    falseAlerts,
                    recall,
                    precision,
                    f1,
                    percentile(delays, 0.5),
                    percentile(delays, 0.9),
                    1000 * falseAlerts / functionDays));
        }
        return rows;
    }

    private static boolean matches(PlantedIncident i, Alert a) {
        long t = a.detectedAt().toEpochMilli();
        return a.function().equals(i.function())
                && (i.type() == AlertType.OUTDATED_RUNTIME_INVOKED || t >= i.start() - BEFORE && t <= i.end() + AFTER);
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
