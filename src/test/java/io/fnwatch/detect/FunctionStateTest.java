package io.fnwatch.detect;

import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionStateTest {

    private final DetectorSettings settings = Defaults.settings();

    private List<FunctionEvent> incidentStream() {
        long spike = T0 + 3 * HOUR;
        return new Events("mixed", 31)
                .invocations(T0, T0 + 5 * HOUR, t -> t >= spike && t < spike + 5 * MINUTE ? 200.0 : 10.0, 80, .3, .01)
                .denials(spike + HOUR, spike + HOUR + 3 * MINUTE, t -> 6.0, "kms:Decrypt")
                .sorted();
    }

    @Test
    void shouldProduceTheSameAlertsWhenStateIsSerializedAndRestoredAfterEveryEvent() {
        List<FunctionEvent> events = incidentStream();
        List<Alert> uninterrupted = Events.detect(events, settings);

        List<Alert> restored = new ArrayList<>();
        byte[] bytes = new FunctionState().toBytes();
        for (FunctionEvent e : events) {
            FunctionState state = FunctionState.fromBytes(bytes);
            state.apply(e, settings, new Emitter(e.key(), restored));
            bytes = state.toBytes();
        }

        assertThat(uninterrupted).hasSizeGreaterThanOrEqualTo(4);
        assertThat(restored).isEqualTo(uninterrupted);
    }

    @Test
    void shouldKeepStateUnderTwoKibibytesPerFunction() {
        FunctionState state = new FunctionState();
        List<Alert> sink = new ArrayList<>();
        for (FunctionEvent e : incidentStream()) {
            state.apply(e, settings, new Emitter(e.key(), sink));
        }

        assertThat(state.toBytes().length).isLessThan(2048);
    }

    @Test
    void shouldRejectEventsOlderThanTheGraceBehindTheNewest() {
        FunctionState state = new FunctionState();
        List<Alert> sink = new ArrayList<>();
        Emitter out = new Emitter(new io.fnwatch.model.FunctionKey(null, null, null, null, "f"), sink);

        assertThat(state.apply(Events.invocation("f", T0 + HOUR, 10, false, "success"), settings, out))
                .isTrue();
        assertThat(state.apply(Events.invocation("f", T0 + HOUR - 4 * MINUTE, 10, false, "success"), settings, out))
                .isTrue();
        assertThat(state.apply(Events.invocation("f", T0 + HOUR - 6 * MINUTE, 10, false, "success"), settings, out))
                .isFalse();
    }
}
