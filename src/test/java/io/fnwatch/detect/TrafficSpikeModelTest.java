package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSpikeModelTest {

    private final DetectorSettings settings = Defaults.settings();

    @Test
    void shouldNotAlertWhenTrafficFollowsItsDailyRhythmForFourteenDays() {
        List<FunctionEvent> events = new Events("api", 1)
                .invocations(T0, T0 + 14 * DAY, t -> 2 + 30 * Events.daily(t), 100, 0.3, 0.01)
                .sorted();

        assertThat(Events.detect(events, settings))
                .filteredOn(a -> a.type() == AlertType.TRAFFIC_SPIKE)
                .isEmpty();
    }

    @Test
    void shouldOpenOnceWithinTwoBucketsAndResolveOnceWhenTrafficTriples() {
        long spike = T0 + 3 * HOUR;
        List<FunctionEvent> events = new Events("busy", 2)
                .invocations(
                        T0, T0 + 4 * HOUR, t -> t >= spike && t < spike + 10 * MINUTE ? 3000.0 : 1000.0, 50, 0.2, 0)
                .sorted();

        List<Alert> alerts = Events.detect(events, settings);

        List<Alert> open = Events.of(alerts, AlertType.TRAFFIC_SPIKE, AlertState.OPEN);
        List<Alert> resolved = Events.of(alerts, AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED);
        assertThat(open).hasSize(1);
        assertThat(resolved).hasSize(1);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(spike, spike + 2 * MINUTE);
        assertThat(open.get(0).expected()).isBetween(900.0, 1100.0);
        assertThat(resolved.get(0).id()).isEqualTo(open.get(0).id());
        assertThat(resolved.get(0).detectedAt().toEpochMilli()).isGreaterThan(spike + 10 * MINUTE);
        assertThat(alerts).hasSize(2);
    }

    @Test
    void shouldScoreBiggerSpikesHigher() {
        long spike = T0 + 2 * HOUR;
        List<FunctionEvent> small = new Events("f", 3)
                .invocations(T0, T0 + 3 * HOUR, t -> t >= spike && t < spike + 5 * MINUTE ? 300.0 : 10.0, 50, .2, 0)
                .sorted();
        List<FunctionEvent> large = new Events("f", 3)
                .invocations(T0, T0 + 3 * HOUR, t -> t >= spike && t < spike + 5 * MINUTE ? 3000.0 : 10.0, 50, .2, 0)
                .sorted();

        Alert smallResolved = Events.of(Events.detect(small, settings), AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED)
                .get(0);
        Alert largeResolved = Events.of(Events.detect(large, settings), AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED)
                .get(0);

        assertThat(largeResolved.score()).isGreaterThan(smallResolved.score());
    }

    @Test
    void shouldNotAlertWhenFunctionIsWarmingUp() {
        List<FunctionEvent> events = new Events("new-fn", 4)
                .invocations(T0, T0 + 40 * MINUTE, t -> t >= T0 + 20 * MINUTE ? 500.0 : 5.0, 50, 0.2, 0)
                .sorted();

        assertThat(Events.detect(events, settings)).isEmpty();
    }

    @Test
    void shouldNotAlertWhenLowTrafficFunctionHasThirtyDaysOfPoissonNoise() {
        List<FunctionEvent> events = new Events("rare", 5)
                .invocations(T0, T0 + 30 * DAY, t -> 3.0 / 60, 100, 0.3, 0.2)
                .add(Events.invocation("rare", T0 + 31 * DAY, 100, false, FunctionEvent.SUCCESS))
                .sorted();
        // eight calls in one hour against a usual three
        Events burst = new Events("rare", 6);
        for (int i = 0; i < 8; i++) {
            burst.add(Events.invocation("rare", T0 + 31 * DAY + i * 7 * MINUTE, 100, false, FunctionEvent.SUCCESS));
        }
        List<FunctionEvent> all = new java.util.ArrayList<>(events);
        all.addAll(burst.sorted());

        assertThat(Events.detect(all, settings)).isEmpty();
    }
}
