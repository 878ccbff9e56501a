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

class DurationModelTest {

    private final DetectorSettings settings = Defaults.settings();

    @Test
    void shouldNotAlertWhenDurationsAreSteadyForFourteenDays() {
        List<FunctionEvent> events = new Events("steady", 11)
                .invocations(T0, T0 + 14 * DAY, t -> 1 + 4 * Events.daily(t), 200, 0.4, 0.02)
                .sorted();

        assertThat(Events.detect(events, settings)).isEmpty();
    }

    @Test
    void shouldOpenOnceAndResolveOnceWhenWarmDurationsTriple() {
        long from = T0 + DAY;
        Events gen = new Events("slow", 12);
        gen.invocations(T0, T0 + 2 * DAY, t -> 3.0, 200, 0.3, 0.02);
        List<FunctionEvent> base = gen.sorted();
        List<FunctionEvent> events = base.stream()
                .map(e -> e.epochMillis() >= from && e.epochMillis() < from + HOUR && !e.isColdStart()
                        ? Events.invocation("slow", e.epochMillis(), e.durationMs() * 3, false, FunctionEvent.SUCCESS)
                        : e)
                .toList();

        List<Alert> alerts = Events.detect(events, settings);

        List<Alert> open = Events.of(alerts, AlertType.DURATION_ANOMALY, AlertState.OPEN);
        assertThat(open).extracting(Alert::id).containsOnly(open.get(0).id()).hasSizeBetween(1, 2);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(from, from + 10 * MINUTE);
        assertThat(open.get(0).observed()).isGreaterThan(1.5 * open.get(0).expected());
        assertThat(open.get(0).evidence())
                .containsKeys(
                        "windowP50Ms",
                        "windowP95Ms",
                        "baselineP50Ms",
                        "baselineP95Ms",
                        "sampleRequestIds",
                        "memorySizeMb",
                        "maxMemoryUsedMb");
        assertThat(open.get(0).evidence().get("rule")).isIn("median", "tail");
        assertThat(Events.of(alerts, AlertType.DURATION_ANOMALY, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(open.get(0).id()));
    }

    @Test
    void shouldNotAlertWhenOnlyColdStartsAreSlow() {
        Events gen = new Events("cold", 13).invocations(T0, T0 + DAY, t -> 3.0, 200, 0.3, 0);
        for (int i = 0; i < 30; i++) {
            gen.add(Events.invocation("cold", T0 + 12 * HOUR + i * 10_000L, 5000, true, FunctionEvent.SUCCESS));
        }

        assertThat(Events.detect(gen.sorted(), settings)).isEmpty();
    }

    @Test
    void shouldOpenWhenTimeoutsSurge() {
        long surge = T0 + 12 * HOUR;
        Events gen = new Events("timeouts", 14).invocations(T0, T0 + DAY, t -> 3.0, 200, 0.3, 0);
        for (int i = 0; i < 8; i++) {
            gen.add(Events.invocation("timeouts", surge + i * 20_000L, 3000, false, FunctionEvent.TIMEOUT));
        }

        List<Alert> open =
                Events.of(Events.detect(gen.sorted(), settings), AlertType.DURATION_ANOMALY, AlertState.OPEN);

        assertThat(open).extracting(Alert::id).containsOnly(open.get(0).id());
        assertThat(open.get(0).evidence()).containsEntry("rule", "timeouts").containsEntry("timeoutsSinceChange", 4);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(surge, surge + 2 * MINUTE);
    }

    @Test
    void shouldNotAlertWhenFunctionIsWarmingUp() {
        Events gen = new Events("young", 15);
        for (int i = 0; i < 20; i++) {
            gen.add(Events.invocation("young", T0 + i * MINUTE, i < 10 ? 100 : 1000, false, FunctionEvent.SUCCESS));
        }

        assertThat(Events.detect(gen.sorted(), settings)).isEmpty();
    }
}
