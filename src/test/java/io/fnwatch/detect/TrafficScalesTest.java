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
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spikes judged over 5, 15, 30 and 60 buckets as well as one: quiet functions' rises are seen, their noise not. */
class TrafficScalesTest {

    private final DetectorSettings settings = Defaults.settings();
    private final TrafficSpikeModel.Settings traffic = settings.of(TrafficSpikeModel.SPEC);

    /** Events of a rate with a daily rhythm (quietest at 04:00 UTC, 1.6× the mean at 16:00). */
    private static LongFunction<Double> rhythm(double perMinute) {
        return t -> perMinute * (0.4 + 1.2 * Events.daily(t));
    }

    private static List<Alert> of(List<Alert> alerts, AlertType type) {
        return alerts.stream().filter(a -> a.type() == type).toList();
    }

    @ParameterizedTest
    @CsvSource({"0.05, 30, 51", "0.1, 10, 52", "0.3, 10, 53", "1.0, 10, 54"})
    void shouldOpenOnAQuietFunctionsRiseThatLastsFifteenMinutes(double perMinute, double factor, long seed) {
        long rise = T0 + 3 * DAY + 14 * HOUR + 7 * MINUTE;
        LongFunction<Double> normal = rhythm(perMinute);
        List<FunctionEvent> events = new Events("quiet", seed)
                .invocations(
                        T0,
                        T0 + 3 * DAY + 18 * HOUR,
                        t -> t >= rise && t < rise + 15 * MINUTE ? factor * normal.apply(t) : normal.apply(t),
                        80,
                        0.3,
                        0.05)
                .sorted();

        List<Alert> spikes = of(Events.detect(events, settings), AlertType.TRAFFIC_SPIKE);

        List<Alert> open =
                spikes.stream().filter(a -> a.state() == AlertState.OPEN).toList();
        assertThat(open.stream().map(Alert::id).distinct()).hasSize(1); // one incident (maybe one update)
        Alert a = open.get(0);
        assertThat(a.detectedAt().toEpochMilli()).isBetween(rise, rise + 15 * MINUTE);
        assertThat(a.evidence().get("scaleMinutes")).isIn(5.0, 15.0, 30.0, 60.0);
        double scale = (Double) a.evidence().get("scaleMinutes");
        assertThat(a.windowEnd().toEpochMilli() - a.windowStart().toEpochMilli())
                .isEqualTo((long) (scale * MINUTE));
        assertThat(a.observed()).isGreaterThanOrEqualTo(a.threshold());
        assertThat(a.expected()).isBetween(0.2 * perMinute * scale, 5 * perMinute * scale);
        assertThat(spikes.stream().filter(x -> x.state() == AlertState.RESOLVED))
                .hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"0.05, 61", "0.2, 62", "1.0, 63", "5.0, 64"})
    void shouldNotAlertOnThirtyDaysOfAQuietFunctionsPoissonNoise(double perMinute, long seed) {
        List<FunctionEvent> events = new Events("quiet", seed)
                .invocations(T0, T0 + 30 * DAY, rhythm(perMinute), 80, 0.3, 0.05)
                .sorted();

        List<Alert> alerts = Events.detect(events, settings);

        assertThat(of(alerts, AlertType.TRAFFIC_SPIKE)).isEmpty();
        assertThat(of(alerts, AlertType.TRAFFIC_DROP)).isEmpty();
    }

    @Test
    void shouldStillOpenABusyFunctionsSpikeWithinTwoBucketsOnTheOneBucketScale() {
        long spike = T0 + 3 * HOUR;
        List<FunctionEvent> events = new Events("busy", 65)
                .invocations(T0, T0 + 4 * HOUR, t -> t >= spike && t < spike + 10 * MINUTE ? 600.0 : 200.0, 50, .2, 0)
                .sorted();

        List<Alert> open = Events.of(Events.detect(events, settings), AlertType.TRAFFIC_SPIKE, AlertState.OPEN);

        assertThat(open).hasSize(1);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(spike, spike + 2 * MINUTE);
        assertThat(open.get(0).evidence()).containsEntry("scaleMinutes", 1.0);
    }

    @Test
    void shouldComputeExactPoissonAndNegativeBinomialQuantiles() {
        // P(X ≥ 10 | Poisson 0.75) = 4.5e-9 ≤ 2.5e-8 < P(X ≥ 9 | 0.75) = 7.7e-8
        assertThat(CountTail.upper(0.75, 0, 2.5e-8)).isEqualTo(10);
        // the mean itself uncertain: a heavier tail, a higher threshold
        assertThat(CountTail.upper(0.75, 0.2, 2.5e-8)).isGreaterThan(10);
        // large means: close to the normal quantile μ + 5.45·√μ
        assertThat(CountTail.upper(10_000, 0, 2.5e-8)).isBetween(10_540, 10_560);
        assertThat(CountTail.upper(0, 0, 2.5e-8)).isEqualTo(1);
    }

    @Test
    void shouldComputeThresholdsOncePerBucketSoThatLateCallsMoveTheirWindows() {
        List<Alert> alerts = new ArrayList<>();
        FunctionState state = new FunctionState();
        for (FunctionEvent e : new Events("f", 66)
                .invocations(T0, T0 + 4 * HOUR, t -> 0.5, 80, 0.3, 0)
                .sorted()) {
            state.apply(e, settings, new Emitter(e.key(), alerts));
        }
        TrafficSpikeModel model = state.model(TrafficSpikeModel.SPEC);
        int[] before = new int[TrafficSpikeModel.SCALES.length];
        for (int k = 0; k < before.length; k++) {
            before[k] = model.scaleThreshold(k, traffic);
            assertThat(before[k]).isGreaterThanOrEqualTo(traffic.longMinCount());
        }
        assertThat(before).isSorted();
        assertThat(alerts).isEmpty();
    }
}
