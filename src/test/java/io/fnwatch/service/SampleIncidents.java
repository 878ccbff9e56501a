package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
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
            "METRIC_ANOMALY RESOLVED cart-service");

    /**
     * Incidents per type: one each, except the outdated runtime: its January incident resolves after 41 days of
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
            1);

    private SampleIncidents() {}

    public static void assertExactly(List<Alert> alerts) {
        assertThat(alerts.stream()
                        .map(a -> a.type() + " " + a.state() + " " + a.function())
                        .collect(Collectors.toSet()))
                .isEqualTo(EXPECTED);
        Map<AlertType, Long> incidents = alerts.stream()
                .collect(Collectors.groupingBy(
                        Alert::type, Collectors.mapping(Alert::id, Collectors.collectingAndThen(Collectors.toSet(), s ->
                                (long) s.size()))));
        INCIDENTS.forEach(
                (type, n) -> assertThat(incidents.get(type)).as(type.name()).isEqualTo((long) n));
        // each incident: one OPEN, at most one escalation, at most one RESOLVED
        alerts.stream()
                .collect(Collectors.groupingBy(Alert::id))
                .values()
                .forEach(one -> assertThat(one).hasSizeBetween(1, 3));
    }
}
