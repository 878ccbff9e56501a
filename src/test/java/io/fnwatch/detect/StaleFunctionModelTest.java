package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleFunctionModelTest {

    private final DetectorSettings settings = Defaults.settings();

    private static FunctionEvent start(long t) {
        FunctionEvent.Builder b = Events.base("sleepy", t);
        b.kind = EventKind.START;
        return b.build();
    }

    @Test
    void shouldAlertOnceWhenFunctionRunsAfterThirtyOneDaysOfSilence() {
        long wake = T0 + 31 * DAY;
        List<FunctionEvent> events = List.of(
                Events.invocation("sleepy", T0, 100, false, FunctionEvent.SUCCESS),
                start(wake),
                Events.invocation("sleepy", wake + 120, 100, false, FunctionEvent.SUCCESS),
                Events.invocation("sleepy", wake + 60_000, 100, false, FunctionEvent.SUCCESS));

        List<Alert> alerts = Events.detect(events, settings);

        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.type()).isEqualTo(AlertType.STALE_FUNCTION_INVOKED);
        assertThat(a.detectedAt().toEpochMilli()).isEqualTo(wake);
        assertThat(a.evidence()).containsEntry("lastInvokedBefore", "2026-03-02T00:00:00Z");
        assertThat(a.observed()).isEqualTo(31.0);
    }

    @Test
    void shouldNotAlertWhenSilenceIsShorterThanDormantAfter() {
        List<FunctionEvent> events = List.of(
                Events.invocation("sleepy", T0, 100, false, FunctionEvent.SUCCESS),
                Events.invocation("sleepy", T0 + 29 * DAY, 100, false, FunctionEvent.SUCCESS));

        assertThat(Events.detect(events, settings)).isEmpty();
    }

    @Test
    void shouldAskForInventoryUpdateOnFirstSightRuntimeChangeAndHourlyProgress() {
        StaleFunctionModel model = new StaleFunctionModel();
        StaleFunctionModel.Settings s = settings.of(StaleFunctionModel.SPEC);
        Emitter none = new Emitter(
                new io.fnwatch.model.FunctionKey(null, null, null, null, "sleepy"), new java.util.ArrayList<>());

        model.onEvent(start(T0), s, none);
        assertThat(model.takeInventoryChange()).isTrue();
        model.onEvent(start(T0 + 60_000), s, none);
        assertThat(model.takeInventoryChange()).isFalse();
        FunctionEvent.Builder init = Events.base("sleepy", T0 + 120_000);
        init.kind = EventKind.INIT;
        init.runtime = "python:3.13.v1";
        model.onEvent(init.build(), s, none);
        assertThat(model.takeInventoryChange()).isTrue();
        assertThat(model.runtime()).isEqualTo("aws:python3.13");
        model.onEvent(start(T0 + 2 * 3_600_000L), s, none);
        assertThat(model.takeInventoryChange()).isTrue();
    }
}
