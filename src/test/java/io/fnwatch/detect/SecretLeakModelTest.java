package io.fnwatch.detect;

import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretLeakModelTest {

    private static FunctionEvent leak(long t, String requestId) {
        FunctionEvent.Builder b = Events.base("leaky", t);
        b.kind = EventKind.LOG;
        b.requestId = requestId;
        b.message = "connecting with password=[REDACTED:SECRET_PAIR]";
        b.secrets = List.of("SECRET_PAIR");
        return b.build();
    }

    @Test
    void shouldAlertAtMostOncePerHourWhenAFunctionKeepsLeaking() {
        List<FunctionEvent> events = List.of(
                leak(T0, "r1"),
                leak(T0 + 10 * MINUTE, "r2"),
                leak(T0 + 59 * MINUTE, "r3"),
                leak(T0 + HOUR, "r4"),
                leak(T0 + HOUR + MINUTE, "r5"));

        List<Alert> alerts = Events.detect(events, Defaults.settings());

        assertThat(alerts).extracting(Alert::type).containsOnly(AlertType.SECRET_IN_LOGS);
        assertThat(alerts).extracting(a -> a.evidence().get("requestId")).containsExactly("r1", "r4");
        assertThat(alerts.get(1).evidence())
                .containsEntry("similarSinceLastAlert", 2)
                .containsEntry("kinds", List.of("SECRET_PAIR"));
        assertThat(alerts.get(0).id()).isNotEqualTo(alerts.get(1).id());
    }

    @Test
    void shouldNotAlertWhenNothingWasMasked() {
        FunctionEvent.Builder b = Events.base("clean", T0);
        b.message = "password policy updated";

        assertThat(Events.detect(List.of(b.build()), Defaults.settings())).isEmpty();
    }
}
