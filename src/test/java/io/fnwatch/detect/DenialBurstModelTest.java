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

class DenialBurstModelTest {

    private final DetectorSettings settings = Defaults.settings();

    @Test
    void shouldNotAlertWhenDenialsAreAFewADayForThirtyDays() {
        List<FunctionEvent> events = new Events("benign", 21)
                .invocations(T0, T0 + 30 * DAY, t -> 0.5, 100, 0.3, 0)
                .denials(T0, T0 + 30 * DAY, t -> 4.0 / (24 * 60), "ssm:GetParameter")
                .sorted();

        assertThat(Events.detect(events, settings)).isEmpty();
    }

    @Test
    void shouldOpenOnceAndResolveOnceWhenDenialsBurst() {
        long burst = T0 + 10 * HOUR;
        List<FunctionEvent> events = new Events("probed", 22)
                .invocations(T0, T0 + DAY, t -> 1.0, 100, 0.3, 0)
                .denials(burst, burst + 5 * MINUTE, t -> 12.0, "s3:GetObject")
                .sorted();

        List<Alert> alerts = Events.detect(events, settings);

        List<Alert> open = Events.of(alerts, AlertType.PERMISSION_DENIED_BURST, AlertState.OPEN);
        assertThat(open).extracting(Alert::id).containsOnly(open.get(0).id()).hasSizeBetween(1, 2);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(burst, burst + 2 * MINUTE);
        assertThat(open.get(open.size() - 1).severity())
                .isGreaterThanOrEqualTo(open.get(0).severity());
        assertThat(open.get(0).evidence())
                .containsEntry(
                        "topActions",
                        java.util.Map.of(
                                "s3:GetObject", ((Number) open.get(0).evidence().get("deniedInEpisode")).intValue()));
        assertThat(Events.of(alerts, AlertType.PERMISSION_DENIED_BURST, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(open.get(0).id()));
    }

    @Test
    void shouldResolveOnStreamTimeWhenTheProbedFunctionFallsSilent() {
        long burst = T0 + 10 * HOUR;
        List<FunctionEvent> events = new Events("probed-then-silent", 24)
                .invocations(T0, burst, t -> 1.0, 100, 0.3, 0)
                .denials(burst, burst + 5 * MINUTE, t -> 12.0, "s3:GetObject")
                .sorted();

        List<Alert> ticked = Events.detectOnStreamTime(events, settings, burst + DAY);

        assertThat(Events.of(Events.detect(events, settings), AlertType.PERMISSION_DENIED_BURST, AlertState.RESOLVED))
                .isEmpty(); // without stream time it would stay open until the function's next event
        Alert resolved = Events.of(ticked, AlertType.PERMISSION_DENIED_BURST, AlertState.RESOLVED)
                .get(0);
        long lastDenial = events.get(events.size() - 1).epochMillis();
        // the window (default 5 min) empties, then resolveMinutes (default 10) quiet minutes, then one tick
        assertThat(resolved.detectedAt().toEpochMilli()).isBetween(lastDenial, lastDenial + 20 * MINUTE);
    }

    @Test
    void shouldOpenOnBurstEvenWhenFunctionIsNewBecauseTheFloorIsAbsolute() {
        List<FunctionEvent> events = new Events("brand-new", 23)
                .denials(T0, T0 + 3 * MINUTE, t -> 10.0, "iam:CreateUser")
                .sorted();

        assertThat(Events.of(Events.detect(events, settings), AlertType.PERMISSION_DENIED_BURST, AlertState.OPEN))
                .isNotEmpty()
                .extracting(Alert::evidence)
                .allSatisfy(e -> assertThat(e).containsEntry("warmingUp", true));
    }

    @Test
    void shouldWeighActionsNeverDeniedBeforeMoreWhenCredentialsProbe() {
        Events probing = new Events("probed", 25).invocations(T0, T0 + 2 * HOUR, t -> 1.0, 100, 0.3, 0);
        Events repeating = new Events("repeat", 25).invocations(T0, T0 + 2 * HOUR, t -> 1.0, 100, 0.3, 0);
        String[] actions = {
            "iam:ListUsers",
            "s3:ListAllMyBuckets",
            "ec2:DescribeInstances",
            "kms:ListKeys",
            "secretsmanager:ListSecrets",
            "sts:GetCallerIdentity"
        };
        for (int i = 0; i < actions.length; i++) {
            probing.add(Events.denial("probed", T0 + HOUR + i * 20_000L, actions[i]));
            repeating.add(Events.denial("repeat", T0 + HOUR + i * 20_000L, "s3:GetObject"));
        }

        assertThat(Events.detect(probing.sorted(), settings))
                .extracting(Alert::type)
                .contains(AlertType.PERMISSION_DENIED_BURST);
        assertThat(Events.detect(repeating.sorted(), settings)).isEmpty();
    }

    @Test
    void shouldNotAlertWhenDenialsStayBelowTheFloor() {
        Events gen = new Events("few", 24).invocations(T0, T0 + 2 * HOUR, t -> 1.0, 100, 0.3, 0);
        for (int i = 0; i < 8; i++) { // the first, never denied before, weighs 2: 9 < 10
            gen.add(Events.denial("few", T0 + HOUR + i * 20_000L, "s3:GetObject"));
        }

        assertThat(Events.detect(gen.sorted(), settings)).isEmpty();
    }

    @Test
    void shouldStartTheEvidenceAfreshForABurstAfterAQuietSpell() {
        long first = T0 + 10 * HOUR;
        long second = first + 6 * HOUR;
        List<FunctionEvent> events = new Events("probed-twice", 25)
                .invocations(T0, T0 + DAY, t -> 1.0, 100, 0.3, 0)
                .denials(first, first + 5 * MINUTE, t -> 12.0, "s3:GetObject")
                .denials(second, second + 5 * MINUTE, t -> 12.0, "kms:Decrypt")
                .sorted();

        List<Alert> open =
                Events.of(Events.detect(events, settings), AlertType.PERMISSION_DENIED_BURST, AlertState.OPEN);

        Alert later = open.stream()
                .filter(a -> a.detectedAt().toEpochMilli() >= second)
                .findFirst()
                .orElseThrow();
        int denied = ((Number) later.evidence().get("deniedInEpisode")).intValue();
        assertThat(later.evidence()).containsEntry("topActions", java.util.Map.of("kms:Decrypt", denied));
        assertThat(later.evidence().get("firstSeen").toString())
                .startsWith(java.time.Instant.ofEpochMilli(second).toString().substring(0, 13));
    }
}
