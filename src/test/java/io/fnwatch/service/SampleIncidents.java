package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What sample-logs/ must produce (sample-logs/README.md), checked the same way offline and on a broker. */
public final class SampleIncidents {

    static final Set<String> EXPECTED = Set.of(
            "TRAFFIC_SPIKE OPEN orders-api",
            "TRAFFIC_SPIKE RESOLVED orders-api",
            "DURATION_ANOMALY OPEN payments-worker",
            "DURATION_ANOMALY RESOLVED payments-worker",
            "PERMISSION_DENIED_BURST OPEN reports-export",
            "PERMISSION_DENIED_BURST RESOLVED reports-export",
            "STALE_FUNCTION_INVOKED OPEN legacy-billing-sync",
            "OUTDATED_RUNTIME_INVOKED OPEN legacy-billing-sync",
            "OUTDATED_RUNTIME_INVOKED RESOLVED legacy-billing-sync",
            "SECRET_IN_LOGS OPEN payments-worker",
            "METRIC_ANOMALY OPEN cart-service",
            "METRIC_ANOMALY RESOLVED cart-service",
            "ERROR_BURST OPEN orders-api",
            "ERROR_BURST RESOLVED orders-api",
            "COST_SPIKE OPEN catalog-sync",
            "COST_SPIKE RESOLVED catalog-sync",
            "CONCURRENCY_NEAR_LIMIT OPEN *",
            "CONCURRENCY_NEAR_LIMIT RESOLVED *");

    /** The account's concurrency incident (search-indexer's initial load in eu-west-1): its alerts' function. */
    private static final String ACCOUNT = "*";

    /**
     * Incidents per type: one each (the concurrency incident is the account's), except the outdated runtime: its January incident resolves after 41 days of
     * silence (longer than dormantAfter), and the March run opens a second one.
     */
    private static final Map<AlertType, Integer> INCIDENTS = Map.of(
            AlertType.TRAFFIC_SPIKE,
            1,
            AlertType.DURATION_ANOMALY,
            1,
            AlertType.PERMISSION_DENIED_BURST,
            1,
            AlertType.STALE_FUNCTION_INVOKED,
            1,
            AlertType.OUTDATED_RUNTIME_INVOKED,
            2,
            AlertType.SECRET_IN_LOGS,
            1,
            AlertType.METRIC_ANOMALY,
            1,
            AlertType.ERROR_BURST,
            1,
            AlertType.COST_SPIKE,
            1,
            AlertType.CONCURRENCY_NEAR_LIMIT,
            1);

    private SampleIncidents() {}

    /** The alerts of the sample logs read in event-time order ({@code backtest}, {@code demo}). */
    public static void assertExactly(List<Alert> alerts) {
        assertExactly(alerts, EXPECTED, INCIDENTS);
    }

    /**
     * The alerts of the sample logs replayed file after file onto several partitions ({@code replay}): the same,
     * except that the account's concurrency incident may be missing. The account sums its functions' slices
     * against one clock per task, the latest slice end it has received; a file replayed after others reaches
     * the account when that clock has moved days past its slices, so they are dropped as later than the grace.
     */
    public static void assertExactlyReplayedFileByFile(List<Alert> alerts) {
        boolean account = alerts.stream().anyMatch(a -> ACCOUNT.equals(a.function()));
        if (account) {
            assertExactly(alerts);
            return;
        }
        Set<String> expected =
                EXPECTED.stream().filter(e -> !e.endsWith(" " + ACCOUNT)).collect(Collectors.toSet());
        Map<AlertType, Integer> incidents = new EnumMap<>(INCIDENTS);
        incidents.remove(AlertType.CONCURRENCY_NEAR_LIMIT);
        assertExactly(alerts, expected, incidents);
    }

    private static void assertExactly(List<Alert> alerts, Set<String> expected, Map<AlertType, Integer> counts) {
        assertThat(alerts.stream()
                        .map(a -> a.type() + " " + a.state() + " " + a.function())
                        .collect(Collectors.toSet()))
                .isEqualTo(expected);
        Map<AlertType, Long> incidents = alerts.stream()
                .collect(Collectors.groupingBy(
                        Alert::type, Collectors.mapping(Alert::id, Collectors.collectingAndThen(Collectors.toSet(), s ->
                                (long) s.size()))));
        counts.forEach(
                (type, n) -> assertThat(incidents.get(type)).as(type.name()).isEqualTo((long) n));
        // each incident: one OPEN, at most one escalation, at most one RESOLVED
        alerts.stream()
                .collect(Collectors.groupingBy(Alert::id))
                .values()
                .forEach(one -> assertThat(one).hasSizeBetween(1, 3));
    }
}
