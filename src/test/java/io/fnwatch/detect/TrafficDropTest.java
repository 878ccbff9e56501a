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

/**
 * TRAFFIC_DROP and time that moves without the function: stream time ticks every 10 s (as the topology's
 * punctuation does) and advances the function whenever its deadline has come.
 */
class TrafficDropTest {

    private static final long TICK = 10_000;
    private final DetectorSettings settings = Defaults.settings();
    private final TrafficSpikeModel.Settings traffic = settings.of(TrafficSpikeModel.SPEC);

    /** 5 calls a minute from 08:00 to 18:00 UTC every day, none at night. */
    private static double businessHours(long t) {
        long hour = Math.floorMod(t, DAY) / HOUR;
        return hour >= 8 && hour < 18 ? 5.0 : 0.0;
    }

    /** Applies the events in time order and ticks stream time every 10 s until {@code until}. */
    private static int drive(
            FunctionState state,
            List<FunctionEvent> events,
            long from,
            long until,
            DetectorSettings s,
            List<Alert> out) {
        int advanced = 0;
        long tick = from;
        Emitter emitter =
                new Emitter(Events.invocation("f", from, 1, false, "success").key(), out);
        for (FunctionEvent e : events) {
            for (; tick <= e.epochMillis(); tick += TICK) {
                advanced += tick(state, tick, s, emitter);
            }
            state.apply(e, s, emitter);
        }
        for (; tick <= until; tick += TICK) {
            advanced += tick(state, tick, s, emitter);
        }
        return advanced;
    }

    private static int tick(FunctionState state, long now, DetectorSettings s, Emitter emitter) {
        if (state.deadline(s) > now) {
            return 0;
        }
        state.advance(now, s, emitter);
        return 1;
    }

    private static List<FunctionEvent> calls(long seed, long from, long to, LongFunction<Double> perMinute) {
        return new Events("f", seed)
                .invocations(from, to, perMinute, 80, 0.3, 0.02)
                .sorted();
    }

    private static List<Alert> of(List<Alert> alerts, AlertType type, AlertState state) {
        return Events.of(alerts, type, state);
    }

    @Test
    void shouldOpenADropToZeroDuringBusinessHoursWhileTheFunctionIsSilent() {
        long stop = T0 + 9 * DAY + 11 * HOUR;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        List<FunctionEvent> events = calls(71, T0, stop, TrafficDropTest::businessHours);

        drive(state, events, T0, stop + 2 * HOUR, settings, alerts);

        List<Alert> open = of(alerts, AlertType.TRAFFIC_DROP, AlertState.OPEN);
        assertThat(open).hasSize(1);
        Alert drop = open.get(0);
        assertThat(drop.detectedAt().toEpochMilli()).isBetween(stop, stop + 10 * MINUTE);
        assertThat(drop.observed()).isZero();
        // the silence CUSUM proves it once (1 - silenceRatio) * expected reaches the threshold
        assertThat(drop.expected()).isGreaterThanOrEqualTo(traffic.dropThreshold() / (1 - traffic.silenceRatio()));
        assertThat(drop.windowStart().toEpochMilli()).isBetween(stop - MINUTE, stop + MINUTE);
        assertThat(drop.evidence()).containsKeys("scaleMinutes", "cusum");
        assertThat(of(alerts, AlertType.TRAFFIC_SPIKE, AlertState.OPEN)).isEmpty();
        // nothing came after the stop: only stream time could have found it
        assertThat(events.get(events.size() - 1).epochMillis()).isLessThan(stop);
    }

    @Test
    void shouldNotOpenADropForTheNightsOfAFunctionIdleEveryNight() {
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();

        drive(state, calls(72, T0, T0 + 21 * DAY, TrafficDropTest::businessHours), T0, T0 + 21 * DAY, settings, alerts);

        assertThat(alerts).filteredOn(a -> a.type() == AlertType.TRAFFIC_DROP).isEmpty();
        assertThat(alerts).filteredOn(a -> a.type() == AlertType.TRAFFIC_SPIKE).isEmpty();
    }

    @Test
    void shouldResolveTheDropWhenTheRateIsBackToNormal() {
        long stop = T0 + 9 * DAY + 11 * HOUR;
        long back = stop + HOUR;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        List<FunctionEvent> events = new ArrayList<>(calls(73, T0, stop, TrafficDropTest::businessHours));
        events.addAll(calls(74, back, back + 3 * HOUR, TrafficDropTest::businessHours));

        drive(state, events, T0, back + 3 * HOUR, settings, alerts);

        List<Alert> open = of(alerts, AlertType.TRAFFIC_DROP, AlertState.OPEN);
        List<Alert> resolved = of(alerts, AlertType.TRAFFIC_DROP, AlertState.RESOLVED);
        assertThat(open).hasSize(1);
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).id()).isEqualTo(open.get(0).id());
        assertThat(resolved.get(0).detectedAt().toEpochMilli()).isBetween(back, back + 15 * MINUTE);
    }

    @Test
    void shouldOpenADropToAFifth() {
        long drop = T0 + 9 * DAY + 10 * HOUR;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        List<FunctionEvent> events =
                calls(75, T0, drop + 2 * HOUR, t -> t >= drop ? businessHours(t) / 5 : businessHours(t));

        drive(state, events, T0, drop + 2 * HOUR, settings, alerts);

        List<Alert> open = of(alerts, AlertType.TRAFFIC_DROP, AlertState.OPEN);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(drop, drop + 30 * MINUTE);
        assertThat(open.get(0).observed())
                .isLessThanOrEqualTo(0.25 * open.get(0).expected());
    }

    /** Calls exactly every {@code 60/perMinute} seconds from {@code from} to {@code to}: no counting noise at all. */
    private static List<FunctionEvent> even(long from, long to, double perMinute) {
        List<FunctionEvent> out = new ArrayList<>();
        double gap = MINUTE / perMinute;
        for (double t = from; t < to; t += gap) {
            out.add(Events.invocation("f", (long) t, 80, false, "success"));
        }
        return out;
    }

    @Test
    void shouldOpenADropToZeroAtFiveCallsAMinuteBeforeItsBucketCloses() {
        // 18 / (0.95 * 5) = 3.8 minutes of silence are proof; the CUSUM for a fall to a fifth alone needed
        // 18 / (0.8 * 5) = 4.5, counted in whole buckets: 5 minutes
        long stop = T0 + 9 * DAY + 11 * HOUR;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();

        drive(state, calls(81, T0, stop, t -> 5.0), T0, stop + HOUR, settings, alerts);

        List<Alert> open = of(alerts, AlertType.TRAFFIC_DROP, AlertState.OPEN);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).detectedAt().toEpochMilli()).isBetween(stop + 3 * MINUTE, stop + 4 * MINUTE + 30_000);
        assertThat(open.get(0).observed()).isZero();
        assertThat(open.get(0).evidence()).containsEntry("testedRatio", traffic.silenceRatio());
    }

    @Test
    void shouldNotOpenADropWhenTheRateFallsToTwoFifths() {
        // the CUSUM for a fifth climbs (0.8 * 6 - 2.4 * 1.61 > 0 a minute), but 0.4 of the usual rate is a dip
        long dip = T0 + 9 * DAY + 11 * HOUR;
        List<FunctionEvent> events = even(T0, dip, 6);
        events.addAll(even(dip, dip + 3 * HOUR, 2.4));
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();

        drive(state, events, T0, dip + 3 * HOUR, settings, alerts);

        assertThat(state.model(TrafficSpikeModel.SPEC).dropSum(TrafficSpikeModel.FIFTH))
                .isEqualTo(traffic.dropThreshold());
        assertThat(alerts).filteredOn(a -> a.type() == AlertType.TRAFFIC_DROP).isEmpty();
    }

    @Test
    void shouldNotOpenADropOnThirtyDaysOfPoissonNoiseWithDailyAndWeeklyRhythms() {
        // 1, 3 and 10 calls a minute at the busiest hour, a fifth of it at night, weekends at 0.4
        for (double peak : new double[] {1, 3, 10}) {
            FunctionState state = new FunctionState();
            List<Alert> alerts = new ArrayList<>();
            LongFunction<Double> rate = t -> peak
                    * (0.2 + 0.8 * Events.daily(t))
                    * (Math.floorMod(Math.floorDiv(t - T0, DAY), 7) >= 5 ? 0.4 : 1);

            drive(state, calls(82 + (long) peak, T0, T0 + 30 * DAY, rate), T0, T0 + 30 * DAY, settings, alerts);

            assertThat(alerts)
                    .as("%s calls a minute", peak)
                    .filteredOn(a -> a.type() == AlertType.TRAFFIC_DROP)
                    .isEmpty();
        }
    }

    @Test
    void shouldNotOpenADropForTheNightsAndWeekendsOfAQuietOfficeFunction() {
        // one call a minute on working days from 08:00 to 18:00 (T0 is a Monday), none otherwise
        LongFunction<Double> office =
                t -> Math.floorMod(Math.floorDiv(t - T0, DAY), 7) >= 5 ? 0.0 : businessHours(t) / 5;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();

        drive(state, calls(90, T0, T0 + 28 * DAY, office), T0, T0 + 28 * DAY, settings, alerts);

        assertThat(alerts).filteredOn(a -> a.type() == AlertType.TRAFFIC_DROP).isEmpty();
    }

    @Test
    void shouldReadAVersion3SectionWithoutTheSilenceCusum() throws Exception {
        long stop = T0 + 9 * DAY + 11 * HOUR;
        FunctionState state = new FunctionState();
        drive(
                state,
                calls(91, T0, stop, TrafficDropTest::businessHours),
                T0,
                stop + 10 * MINUTE,
                settings,
                new ArrayList<>());
        TrafficSpikeModel model = state.model(TrafficSpikeModel.SPEC);
        assertThat(model.dropSum(TrafficSpikeModel.SILENCE)).isPositive();
        assertThat(model.dropSince()).isPositive();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        model.write(new java.io.DataOutputStream(bytes));
        byte[] v4 = bytes.toByteArray();
        byte[] v3 = java.util.Arrays.copyOf(v4, v4.length - 20); // version 4 appends 20 bytes

        TrafficSpikeModel read = new TrafficSpikeModel();
        assertThat(read.reads(3)).isTrue();
        read.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(v3)), 3);

        assertThat(read.dropSum(TrafficSpikeModel.FIFTH)).isEqualTo(model.dropSum(TrafficSpikeModel.FIFTH));
        assertThat(read.dropSum(TrafficSpikeModel.SILENCE)).isZero();
        assertThat(read.dropSince()).isEqualTo(model.dropSince());
    }

    @Test
    void shouldResolveASpikeOnStreamTimeWhileTheFunctionIsSilent() {
        long spike = T0 + 3 * HOUR;
        long end = spike + 5 * MINUTE;
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        List<FunctionEvent> events = calls(76, T0, end, t -> t >= spike ? 200.0 : 20.0);

        drive(state, events, T0, end + HOUR, settings, alerts);

        List<Alert> open = of(alerts, AlertType.TRAFFIC_SPIKE, AlertState.OPEN);
        List<Alert> resolved = of(alerts, AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED);
        assertThat(open).isNotEmpty();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).id()).isEqualTo(open.get(0).id());
        // resolveBuckets (5) silent minutes after the last busy one, found by stream time alone
        long detected = resolved.get(0).detectedAt().toEpochMilli();
        assertThat(detected).isBetween(end + traffic.resolveBuckets() * MINUTE, end + 8 * MINUTE);
        assertThat(state.deadline(settings)).isEqualTo(Long.MAX_VALUE); // warming up for drops: nothing pending
    }

    @Test
    void shouldHaveNoDeadlineForAQuietFunctionAndTickABusyOneOnlyWhenItFallsSilent() {
        FunctionState quiet = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        int quietTicks = drive(quiet, calls(77, T0, T0 + 4 * DAY, t -> 0.05), T0, T0 + 4 * DAY, settings, alerts);

        assertThat(quiet.deadline(settings)).isEqualTo(Long.MAX_VALUE);
        assertThat(quietTicks).isZero();

        FunctionState busy = new FunctionState();
        int busyTicks = drive(busy, calls(78, T0, T0 + 4 * DAY, t -> 50.0), T0, T0 + 4 * DAY, settings, alerts);

        // due at most a bucket or two ahead, but its own calls keep moving the deadline: advanced (almost) never
        long last = T0 + 4 * DAY;
        assertThat(busy.deadline(settings)).isBetween(last, last + 2 * MINUTE);
        assertThat(busyTicks).isLessThan(20);
        assertThat(alerts).isEmpty();
    }

    @Test
    void shouldRoundTripAnOpenDropAndContinueAlike() {
        long stop = T0 + 9 * DAY + 11 * HOUR;
        List<FunctionEvent> events = calls(79, T0, stop, TrafficDropTest::businessHours);
        List<FunctionEvent> after = calls(80, stop + HOUR, stop + 4 * HOUR, TrafficDropTest::businessHours);
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        drive(state, events, T0, stop + 30 * MINUTE, settings, alerts);
        assertThat(state.model(TrafficSpikeModel.SPEC).dropSince()).isPositive();
        assertThat(state.model(TrafficSpikeModel.SPEC).dropSum()).isPositive();
        byte[] bytes = state.toBytes();

        FunctionState restored = FunctionState.fromBytes(bytes);

        assertThat(restored.toBytes()).isEqualTo(bytes);
        assertThat(restored.model(TrafficSpikeModel.SPEC).dropSince())
                .isEqualTo(state.model(TrafficSpikeModel.SPEC).dropSince());
        List<Alert> went = new ArrayList<>();
        List<Alert> wentRestored = new ArrayList<>();
        drive(state, after, stop + 30 * MINUTE + TICK, stop + 4 * HOUR, settings, went);
        drive(restored, after, stop + 30 * MINUTE + TICK, stop + 4 * HOUR, settings, wentRestored);
        assertThat(wentRestored).isEqualTo(went);
        assertThat(of(went, AlertType.TRAFFIC_DROP, AlertState.RESOLVED)).hasSize(1);
    }

    /**
     * A state read back from its bytes after every event and every tick (a crash, or an eviction from the
     * write-back cache) keeps the deadline of the uninterrupted state and raises exactly its alerts, at the same
     * times: everything {@code deadline} and the look at the current bucket depend on is stored.
     */
    @Test
    void shouldKeepItsDeadlineAndAlertsWhenTheStateIsReadBackAfterEveryStep() {
        long start = T0 + 9 * DAY + 8 * HOUR;
        LongFunction<Double> rate = t -> t >= start + HOUR && t < start + 2 * HOUR
                ? 0.0 // a drop to zero
                : t >= start + 3 * HOUR && t < start + 4 * HOUR ? 2.0 : businessHours(t); // a dip to two fifths
        List<FunctionEvent> events = calls(31, T0, start + 6 * HOUR, rate);
        List<Alert> live = new ArrayList<>();
        List<Alert> restored = new ArrayList<>();
        Emitter toLive = new Emitter(events.get(0).key(), live);
        Emitter toRestored = new Emitter(events.get(0).key(), restored);
        FunctionState a = new FunctionState();
        FunctionState b = new FunctionState();
        long tick = T0;
        int i = 0;
        while (tick <= start + 6 * HOUR) {
            if (i < events.size() && events.get(i).epochMillis() < tick) {
                a.apply(events.get(i), settings, toLive);
                b.apply(events.get(i++), settings, toRestored);
            } else {
                tick(a, tick, settings, toLive);
                tick(b, tick, settings, toRestored);
                tick += TICK;
            }
            b = FunctionState.fromBytes(b.toBytes());
            assertThat(b.deadline(settings)).as("deadline at %d", tick).isEqualTo(a.deadline(settings));
        }
        assertThat(of(live, AlertType.TRAFFIC_DROP, AlertState.OPEN)).isNotEmpty();
        assertThat(restored)
                .map(x -> x.type() + " " + x.state() + " " + x.detectedAt())
                .containsExactlyElementsOf(live.stream()
                        .map(x -> x.type() + " " + x.state() + " " + x.detectedAt())
                        .toList());
    }
}
