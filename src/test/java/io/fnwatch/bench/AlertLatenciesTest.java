package io.fnwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.AlertType;
import org.junit.jupiter.api.Test;

class AlertLatenciesTest {

    private static final String STALE = LatencyIncidents.PREFIX + "stale-0";

    @Test
    void shouldTakeTheNearestRankWhenComputingPercentiles() {
        long[] values = {50, 10, 40, 20, 30, 60, 70, 80, 90, 100};
        assertThat(AlertLatencies.percentile(values, 0.5)).isEqualTo(50);
        assertThat(AlertLatencies.percentile(values, 0.99)).isEqualTo(100);
        assertThat(AlertLatencies.percentile(values, 0.1)).isEqualTo(10);
        assertThat(AlertLatencies.percentile(values, 1.0)).isEqualTo(100);
        assertThat(AlertLatencies.percentile(new long[] {7}, 0.99)).isEqualTo(7);
        assertThat(AlertLatencies.percentile(new long[0], 0.5)).isNaN();
        assertThat(values[0]).isEqualTo(50);
    }

    @Test
    void shouldMeasureFromTheCompletingSendWhenTheAlertOfThatFunctionAndTypeIsRead() {
        AlertLatencies l = new AlertLatencies();
        l.sent(STALE, AlertType.STALE_FUNCTION_INVOKED, 1_000);

        assertThat(l.pending()).isEqualTo(1);
        assertThat(l.received(STALE, AlertType.STALE_FUNCTION_INVOKED, 151_000)).isEqualTo(150_000);
        assertThat(l.pending()).isZero();
        assertThat(l.delays().get(AlertType.STALE_FUNCTION_INVOKED)).containsExactly(150_000);
    }

    @Test
    void shouldCountOnlyTheFirstAlertWhenAnIncidentEscalates() {
        AlertLatencies l = new AlertLatencies();
        l.sent(STALE, AlertType.STALE_FUNCTION_INVOKED, 0);
        l.received(STALE, AlertType.STALE_FUNCTION_INVOKED, 10);

        assertThat(l.received(STALE, AlertType.STALE_FUNCTION_INVOKED, 20)).isEqualTo(-1);
        assertThat(l.repeats()).isEqualTo(1);
        assertThat(l.delays().get(AlertType.STALE_FUNCTION_INVOKED)).containsExactly(10);
    }

    @Test
    void shouldTellEarlyAndBackgroundAlertsApartWhenNoIncidentWasCompleted() {
        AlertLatencies l = new AlertLatencies();
        l.sent(STALE, AlertType.STALE_FUNCTION_INVOKED, 0);

        assertThat(l.received(STALE, AlertType.SECRET_IN_LOGS, 5)).isEqualTo(-1);
        assertThat(l.received(LatencyIncidents.PREFIX + "secret-in-logs-1", AlertType.SECRET_IN_LOGS, 5))
                .isEqualTo(-1);
        assertThat(l.received("load-00001", AlertType.DURATION_ANOMALY, 5)).isEqualTo(-1);
        assertThat(l.earlyAlerts()).isEqualTo(2);
        assertThat(l.otherAlerts()).isEqualTo(1);
        assertThat(l.pending()).isEqualTo(1);
        assertThat(l.delays()).isEmpty();
    }
}
