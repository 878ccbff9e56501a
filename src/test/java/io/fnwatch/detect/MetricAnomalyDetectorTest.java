package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.MetricSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** METRIC_ANOMALY: custom metric series per function, each against its own model. */
class MetricAnomalyDetectorTest {

    private final DetectorSettings settings = Defaults.settings();

    static FunctionEvent emf(String function, long t, String name, String unit, String dims, double value) {
        FunctionEvent.Builder b = Events.base(function, t);
        b.kind = EventKind.METRIC;
        b.metrics = List.of(new MetricSample("app", name, unit, dims, value, 1));
        return b.build();
    }

    /** Three records a minute of a latency around its daily rhythm (±10 %), {@code shift} multiplying it. */
    private static List<FunctionEvent> latency(long from, long to, long seed, LongUnaryOperator shiftPercent) {
        Random r = new Random(seed);
        List<FunctionEvent> out = new ArrayList<>();
        for (long m = from; m < to; m += MINUTE) {
            for (int i = 0; i < 3; i++) {
                long t = m + i * 20_000L + r.nextInt(1000);
                double v =
                        (80 + 40 * Events.daily(t)) * (1 + 0.1 * r.nextGaussian()) * shiftPercent.applyAsLong(t) / 100;
                out.add(emf("checkout", t, "Latency", "Milliseconds", "op=pay", v));
            }
        }
        return out;
    }

    private static List<Alert> metricAlerts(List<Alert> all) {
        return all.stream().filter(a -> a.type() == AlertType.METRIC_ANOMALY).toList();
    }

    @Test
    void shouldStayQuietOnAWeekOfASeriesOrdinaryNoise() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Alert> alerts = metricAlerts(Events.detect(latency(T0, T0 + 7 * DAY, seed, t -> 100), settings));
            assertThat(alerts).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void shouldOpenOnALevelShiftWithinMinutesAndResolveWhenItEnds() {
        long shift = T0 + 3 * DAY + 10 * HOUR;
        List<FunctionEvent> events =
                latency(T0, T0 + 4 * DAY, 7, t -> t >= shift && t < shift + 30 * MINUTE ? 400 : 100);

        List<Alert> alerts = metricAlerts(Events.detect(events, settings));

        List<Alert> open = Events.of(alerts, AlertType.METRIC_ANOMALY, AlertState.OPEN);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).detectedAt().toEpochMilli() - shift).isBetween(0L, 3 * MINUTE);
        assertThat(open.get(0).evidence())
                .containsEntry("series", "app/Latency{op=pay}")
                .containsEntry("unit", "Milliseconds")
                .containsKeys("value", "expected", "band", "modelScore");
        assertThat(open.get(0).observed()).isGreaterThan(open.get(0).threshold());
        List<Alert> resolved = Events.of(alerts, AlertType.METRIC_ANOMALY, AlertState.RESOLVED);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).id()).isEqualTo(open.get(0).id());
    }

    @Test
    void shouldResolveOnStreamTimeWhileTheFunctionIsSilent() {
        long shift = T0 + 3 * DAY + 10 * HOUR;
        List<FunctionEvent> events = latency(T0, shift + 5 * MINUTE, 7, t -> t >= shift ? 400 : 100);

        List<Alert> alerts = metricAlerts(Events.detectOnStreamTime(events, settings, shift + 2 * HOUR));

        assertThat(Events.of(alerts, AlertType.METRIC_ANOMALY, AlertState.OPEN)).hasSize(1);
        List<Alert> resolved = Events.of(alerts, AlertType.METRIC_ANOMALY, AlertState.RESOLVED);
        assertThat(resolved).hasSize(1);
        // resolveMinutes (15) of silence after the last minute with values
        assertThat(resolved.get(0).detectedAt().toEpochMilli()).isBetween(shift + 20 * MINUTE, shift + 23 * MINUTE);
    }

    @Test
    void shouldFollowAtMostMaxSeriesAndCountTheRest() {
        List<FunctionEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(emf("checkout", T0 + i * MINUTE, "m" + i, "Count", "", 1));
        }
        MetricAnomalyDetector d = new MetricAnomalyDetector();
        MetricAnomalyDetector.Settings s = new MetricAnomalyDetector.Settings(8, 0.9, 0, 1, 1, 15, 0);
        List<Alert> sink = new ArrayList<>();
        for (FunctionEvent e : events) {
            d.onEvent(e, s, new Emitter(e.key(), sink));
        }
        java.util.Map<String, Object> baselines = new java.util.LinkedHashMap<>();
        d.describe(s, baselines);
        assertThat((List<?>) baselines.get("customMetrics")).hasSize(8);
    }

    @Test
    void shouldGiveTheSameAlertsWhenStateIsRestoredAfterEveryEvent() {
        long shift = T0 + 3 * DAY + 10 * HOUR;
        List<FunctionEvent> events = latency(T0, T0 + 4 * DAY, 11, t -> t >= shift && t < shift + HOUR ? 400 : 100);
        List<Alert> uninterrupted = Events.detect(events, settings);

        int[] largest = new int[1];
        List<Alert> restored = Events.detectRestoringAfterEveryEvent(events, settings, state -> {
            // the 2 KiB budget is for a function without custom metrics: its series are paid for apart
            int withoutMetrics = state.toBytes().length - state.sizes().get(MetricAnomalyDetector.SPEC.file());
            largest[0] = Math.max(largest[0], withoutMetrics);
        });

        assertThat(metricAlerts(uninterrupted)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(restored).isEqualTo(uninterrupted);
        assertThat(largest[0]).isLessThan(2048);
    }

    @Test
    void shouldNeitherThrowNorAlertOnHostileValues() {
        List<FunctionEvent> events = new ArrayList<>();
        double[] hostile = {Double.MAX_VALUE, -Double.MAX_VALUE, 0, 1e-300, -1e300, 5};
        for (int i = 0; i < 3000; i++) {
            events.add(emf("checkout", T0 + i * MINUTE, "x", "None", "", hostile[i % hostile.length]));
        }
        List<Alert> alerts = Events.detect(events, settings);
        assertThat(alerts)
                .allSatisfy(a -> assertThat(Double.isFinite(a.observed())).isTrue());
    }
}
