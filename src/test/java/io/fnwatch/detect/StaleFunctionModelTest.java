package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.util.ArrayList;
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

    private static FunctionEvent init(long t, String runtime) {
        FunctionEvent.Builder b = Events.base("sleepy", t);
        b.kind = EventKind.INIT;
        b.runtime = runtime;
        return b.build();
    }

    private static List<Alert> outdated(List<Alert> alerts) {
        return alerts.stream()
                .filter(a -> a.type() == AlertType.OUTDATED_RUNTIME_INVOKED)
                .toList();
    }

    /** 2026-01-05T00:00:00Z: python3.9 (deprecated 2025-12-15 in the shipped table) is past its date. */
    private static final long JAN5 =
            java.time.Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    @Test
    void shouldOpenOneOutdatedIncidentOverSixtyDaysOfDailyRunsAndResolveItAfterTheRuntimeUpgrade() {
        List<FunctionEvent> events = new ArrayList<>();
        for (int day = 0; day < 60; day++) {
            long t = JAN5 + day * DAY + 2 * Events.HOUR;
            events.add(init(t, "python:3.9.v64"));
            events.add(Events.invocation("sleepy", t + 1_500, 1500, true, FunctionEvent.SUCCESS));
        }
        long upgrade = JAN5 + 60 * DAY + 2 * Events.HOUR;
        events.add(init(upgrade, "python:3.13.v1"));
        events.add(Events.invocation("sleepy", upgrade + 1_500, 1500, true, FunctionEvent.SUCCESS));
        events.add(init(upgrade + DAY, "python:3.13.v1"));

        List<Alert> alerts = outdated(Events.detect(events, settings));

        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        Alert open = alerts.get(0);
        Alert resolved = alerts.get(1);
        assertThat(open.detectedAt().toEpochMilli()).isEqualTo(JAN5 + 2 * Events.HOUR);
        assertThat(open.evidence()).containsEntry("runtime", "aws:python3.9");
        assertThat(resolved.id()).isEqualTo(open.id());
        assertThat(resolved.detectedAt().toEpochMilli()).isEqualTo(upgrade);
        assertThat(resolved.evidence())
                .containsEntry("resolvedBy", "runtimeChanged")
                .containsEntry("newRuntime", "aws:python3.13");
    }

    @Test
    void shouldUpdateTheOutdatedIncidentOnceAtEachLaterPhaseOfTheTableAndResolveItAfterTheUpgrade() {
        StaleFunctionModel model = new StaleFunctionModel();
        StaleFunctionModel.Settings s = new StaleFunctionModel.Settings(
                30 * DAY,
                Events.HOUR,
                java.util.Map.of("aws:python3.9", new RuntimeLifecycle(JAN5 - DAY, JAN5 + 20 * DAY, JAN5 + 40 * DAY)));
        List<Alert> alerts = new ArrayList<>();
        Emitter out = new Emitter(init(JAN5, "python:3.9.v64").key(), alerts);
        for (int day = 0; day < 60; day++) {
            long t = JAN5 + day * DAY + 2 * Events.HOUR;
            model.onEvent(init(t, "python:3.9.v64"), s, out);
            model.onEvent(Events.invocation("sleepy", t + 1_500, 1500, true, FunctionEvent.SUCCESS), s, out);
        }
        long upgrade = JAN5 + 60 * DAY + 2 * Events.HOUR;
        model.onEvent(init(upgrade, "python:3.13.v1"), s, out);

        assertThat(alerts)
                .extracting(a -> a.state() + " " + a.evidence().get("phase"))
                .containsExactly(
                        "OPEN deprecated", "OPEN functionCreateBlocked", "OPEN functionUpdateBlocked", "RESOLVED null");
        assertThat(alerts).extracting(Alert::id).containsOnly(alerts.get(0).id());
        assertThat(alerts.get(1).detectedAt().toEpochMilli()).isEqualTo(JAN5 + 20 * DAY + 2 * Events.HOUR);
        assertThat(alerts.get(2).detectedAt().toEpochMilli()).isEqualTo(JAN5 + 40 * DAY + 2 * Events.HOUR);
        assertThat(alerts.get(2).severity()).isGreaterThan(alerts.get(0).severity());
        assertThat(alerts.get(1).severity())
                .isGreaterThanOrEqualTo(alerts.get(0).severity());
    }

    @Test
    void shouldReachTheNextPhaseOnStreamTimeWhileTheFunctionIsSilent() {
        StaleFunctionModel model = new StaleFunctionModel();
        StaleFunctionModel.Settings s = new StaleFunctionModel.Settings(
                30 * DAY,
                Events.HOUR,
                java.util.Map.of("aws:python3.9", new RuntimeLifecycle(JAN5 - DAY, JAN5 + 5 * DAY, Long.MAX_VALUE)));
        List<Alert> alerts = new ArrayList<>();
        Emitter out = new Emitter(init(JAN5, "python:3.9.v64").key(), alerts);
        model.onEvent(init(JAN5, "python:3.9.v64"), s, out);

        assertThat(model.deadline(s)).isEqualTo(JAN5 + 5 * DAY);
        model.advance(JAN5 + 5 * DAY, s, out);
        assertThat(model.deadline(s)).isEqualTo(JAN5 + 30 * DAY); // then only the dormancy deadline is left
        model.advance(JAN5 + 30 * DAY, s, out);

        assertThat(alerts)
                .extracting(a -> a.state() + " " + a.evidence().get("phase"))
                .containsExactly("OPEN deprecated", "OPEN functionCreateBlocked", "RESOLVED null");
    }

    @Test
    void shouldResolveTheOutdatedIncidentOfAFunctionSilentForDormantAfterAndOpenANewOneWhenItRunsAgain() {
        long wake = JAN5 + 41 * DAY;
        List<FunctionEvent> events = List.of(
                init(JAN5, "python:3.9.v64"),
                Events.invocation("sleepy", JAN5 + 1_500, 1500, true, FunctionEvent.SUCCESS),
                Events.invocation("sleepy", JAN5 + DAY, 1500, false, FunctionEvent.SUCCESS),
                start(wake),
                Events.invocation("sleepy", wake + 1_500, 1500, false, FunctionEvent.SUCCESS));

        List<Alert> alerts = outdated(Events.detect(events, settings));

        assertThat(alerts)
                .extracting(Alert::state)
                .containsExactly(AlertState.OPEN, AlertState.RESOLVED, AlertState.OPEN);
        assertThat(alerts.get(1).id()).isEqualTo(alerts.get(0).id());
        assertThat(alerts.get(1).evidence()).containsEntry("resolvedBy", "silent");
        assertThat(alerts.get(1).windowEnd().toEpochMilli()).isEqualTo(JAN5 + DAY);
        assertThat(alerts.get(2).id()).isNotEqualTo(alerts.get(0).id());
        assertThat(alerts.get(2).detectedAt().toEpochMilli()).isEqualTo(wake);
    }

    @Test
    void shouldResolveOnTheDormancyDeadlineWhenTimeMovesWithoutTheFunction() {
        StaleFunctionModel model = new StaleFunctionModel();
        StaleFunctionModel.Settings s = settings.of(StaleFunctionModel.SPEC);
        List<Alert> alerts = new ArrayList<>();
        Emitter out = new Emitter(init(JAN5, "python:3.9.v64").key(), alerts);

        model.onEvent(init(JAN5, "python:3.9.v64"), s, out);
        model.onEvent(Events.invocation("sleepy", JAN5 + 2 * DAY, 1500, false, FunctionEvent.SUCCESS), s, out);
        long deadline = model.deadline(s);
        model.advance(deadline - 1, s, out);

        assertThat(deadline).isEqualTo(JAN5 + 32 * DAY);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.OPEN);

        model.advance(deadline, s, out);

        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        assertThat(model.outdatedSince()).isEqualTo(-1);
        assertThat(model.deadline(s)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldResolveAndReopenWhenTheFunctionMovesToAnotherDeprecatedRuntime() {
        List<FunctionEvent> events = List.of(
                init(JAN5, "python:3.8.v30"),
                init(JAN5 + DAY, "python:3.9.v64"),
                init(JAN5 + 2 * DAY, "python:3.9.v64"));

        List<Alert> alerts = outdated(Events.detect(events, settings));

        assertThat(alerts)
                .extracting(a -> a.state() + " " + a.evidence().get("runtime"))
                .containsExactly("OPEN aws:python3.8", "RESOLVED aws:python3.8", "OPEN aws:python3.9");
    }

    @Test
    void shouldAlertOnTheFirstInvocationOfAFunctionSeededAsDormantAndNotOverrideWhatItSawItself() {
        StaleFunctionModel seeded = new StaleFunctionModel();
        StaleFunctionModel seen = new StaleFunctionModel();
        StaleFunctionModel.Settings s = settings.of(StaleFunctionModel.SPEC);
        List<Alert> alerts = new ArrayList<>();
        Emitter out = new Emitter(start(T0).key(), alerts);
        long wake = T0 + 120 * DAY;

        assertThat(seeded.seed(T0, "aws:python3.12")).isTrue();
        assertThat(seeded.seed(T0 + DAY, null)).isFalse(); // a later seed does not move a known time
        seen.onEvent(start(wake - DAY), s, out);
        assertThat(seen.seed(T0, "aws:python3.12")).isTrue(); // runtime was unknown, last run was not
        seeded.onEvent(start(wake), s, out);
        seen.onEvent(start(wake), s, out);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALE_FUNCTION_INVOKED);
            assertThat(a.observed()).isEqualTo(120.0);
            assertThat(a.evidence()).containsEntry("runtime", "aws:python3.12");
        });
        assertThat(seen.lastInvoked()).isEqualTo(wake);
        assertThat(seeded.firstSeen()).isEqualTo(wake);
    }
}
