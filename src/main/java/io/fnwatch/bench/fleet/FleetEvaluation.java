package io.fnwatch.bench.fleet;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches alerts to planted incidents. An alert incident (its first OPEN, by id) detects a planted incident of
 * the same type and function when it opens between 5 minutes before the incident starts and 30 minutes after
 * it ends (an outdated runtime is one incident for the whole run); the same rule for every type, drops
 * included. Unmatched alert incidents are false alerts. Figures per type ({@link #evaluate}), per class of
 * planted incident — type and shape — ({@link #classes}) and for all types together ({@link #total}).
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

    /** The figures of one class of planted incidents: a type and a shape. */
    record ClassRow(
            AlertType type,
            String shape,
            int incidents,
            int detected,
            double recall,
            double medianDelayMin,
            double p90DelayMin) {}

    /**
     * False alerts of one type on one class of functions — the part of a function's name before its first
     * {@code -}: {@code fn} (mixed), {@code quiet}, {@code drop}, {@code slow}, {@code tail}, {@code office},
     * {@code cron} — so that noise on the benign classes shows where it comes from.
     */
    record FalseRow(String functions, AlertType type, int falseAlerts) {}

    /** All types together. */
    record Total(
            int incidents,
            int detected,
            int alertIncidents,
            int falseAlerts,
            double recall,
            double precision,
            double falsePer1000FunctionDays) {}

    static List<Row> evaluate(List<PlantedIncident> planted, List<Alert> alerts, double functionDays) {
        Map<String, Alert> firstOpen = firstOpens(alerts);
        List<Row> rows = new ArrayList<>();
        for (AlertType type : AlertType.values()) {
            List<PlantedIncident> mine =
                    planted.stream().filter(i -> i.type() == type).toList();
            List<Alert> opened = opened(firstOpen, type).stream()
                    .filter(a -> !explained(planted, a))
                    .toList();
            List<Double> delays = new ArrayList<>();
            int detected = 0;
            Set<String> matchedAlerts = new HashSet<>();
            for (PlantedIncident i : mine) {
                List<Alert> hits = opened.stream().filter(a -> matches(i, a)).toList();
                hits.forEach(a -> matchedAlerts.add(a.id()));
                if (!hits.isEmpty()) {
                    detected++;
                    delay(i, hits).ifPresent(delays::add);
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

    /** Incidents, detections and delays per class (type, shape) of planted incident, in type then shape order. */
    static List<ClassRow> classes(List<PlantedIncident> planted, List<Alert> alerts) {
        Map<String, Alert> firstOpen = firstOpens(alerts);
        List<ClassRow> rows = new ArrayList<>();
        for (AlertType type : AlertType.values()) {
            List<Alert> opened = opened(firstOpen, type);
            List<String> shapes = planted.stream()
                    .filter(i -> i.type() == type)
                    .map(PlantedIncident::shape)
                    .distinct()
                    .sorted()
                    .toList();
            for (String shape : shapes) {
                List<PlantedIncident> mine = planted.stream()
                        .filter(i -> i.type() == type && i.shape().equals(shape))
                        .toList();
                List<Double> delays = new ArrayList<>();
                int detected = 0;
                for (PlantedIncident i : mine) {
                    List<Alert> hits =
                            opened.stream().filter(a -> matches(i, a)).toList();
                    if (!hits.isEmpty()) {
                        detected++;
                        delay(i, hits).ifPresent(delays::add);
                    }
                }
                rows.add(new ClassRow(
                        type,
                        shape,
                        mine.size(),
                        detected,
                        detected / (double) mine.size(),
                        percentile(delays, 0.5),
                        percentile(delays, 0.9)));
            }
        }
        return rows;
    }

    /** False alerts per class of functions and type, classes in name order, only where there are some. */
    static List<FalseRow> falseAlerts(List<PlantedIncident> planted, List<Alert> alerts) {
        Map<String, Alert> firstOpen = firstOpens(alerts);
        Map<String, Map<AlertType, Integer>> counts = new java.util.TreeMap<>();
        for (AlertType type : AlertType.values()) {
            List<PlantedIncident> mine =
                    planted.stream().filter(i -> i.type() == type).toList();
            for (Alert a : opened(firstOpen, type)) {
                if (mine.stream().noneMatch(i -> matches(i, a)) && !explained(planted, a)) {
                    String name = a.function();
                    String functions = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
                    counts.computeIfAbsent(functions, k -> new java.util.EnumMap<>(AlertType.class))
                            .merge(type, 1, Integer::sum);
                }
            }
        }
        List<FalseRow> rows = new ArrayList<>();
        counts.forEach((functions, byType) -> byType.forEach((type, n) -> rows.add(new FalseRow(functions, type, n))));
        return rows;
    }

    /** The per-type rows added up: every false alert of every type against the fleet's function-days. */
    static Total total(List<Row> rows, double functionDays) {
        int incidents = rows.stream().mapToInt(Row::incidents).sum();
        int detected = rows.stream().mapToInt(Row::detected).sum();
        int alertIncidents = rows.stream().mapToInt(Row::alertIncidents).sum();
        int falseAlerts = rows.stream().mapToInt(Row::falseAlerts).sum();
        return new Total(
                incidents,
                detected,
                alertIncidents,
                falseAlerts,
                incidents == 0 ? Double.NaN : detected / (double) incidents,
                alertIncidents == 0 ? Double.NaN : (alertIncidents - falseAlerts) / (double) alertIncidents,
                1000 * falseAlerts / functionDays);
    }

    private static Map<String, Alert> firstOpens(List<Alert> alerts) {
        Map<String, Alert> firstOpen = new LinkedHashMap<>();
        alerts.stream().filter(a -> a.state() == AlertState.OPEN).forEach(a -> firstOpen.putIfAbsent(a.id(), a));
        return firstOpen;
    }

    private static List<Alert> opened(Map<String, Alert> firstOpen, AlertType type) {
        return firstOpen.values().stream()
                .filter(a -> a.type() == type)
                .sorted(Comparator.comparing(Alert::detectedAt))
                .toList();
    }

    /** Minutes from the incident's start to its first matching OPEN; none for an outdated runtime (no onset). */
    private static java.util.Optional<Double> delay(PlantedIncident i, List<Alert> hits) {
        if (i.type() == AlertType.OUTDATED_RUNTIME_INVOKED) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Math.max(0, hits.get(0).detectedAt().toEpochMilli() - i.start()) / 60_000.0);
    }

    /**
     * True when {@code a} matches no planted incident of its own type but is a true consequence of one of another
     * type on the same function (same time rule): a cost spike during a planted traffic spike or duration
     * regression, an error burst during a planted timeout surge, a traffic spike or duration anomaly during a cost
     * spike driven by calls or by billed duration. Such an alert is neither false nor a detection.
     */
    private static boolean explained(List<PlantedIncident> planted, Alert a) {
        boolean own = planted.stream().anyMatch(i -> i.type() == a.type() && matches(i, a));
        return !own && planted.stream().anyMatch(i -> i.type() != a.type() && implied(i, a) && matches(i, a));
    }

    private static boolean implied(PlantedIncident i, Alert a) {
        return switch (a.type()) {
            case COST_SPIKE -> i.type() == AlertType.TRAFFIC_SPIKE || i.type() == AlertType.DURATION_ANOMALY;
            case ERROR_BURST -> i.type() == AlertType.DURATION_ANOMALY && "timeouts".equals(i.shape());
            case TRAFFIC_SPIKE -> i.type() == AlertType.COST_SPIKE && "calls".equals(i.shape());
            case DURATION_ANOMALY -> i.type() == AlertType.COST_SPIKE && "duration".equals(i.shape());
            default -> false;
        };
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
