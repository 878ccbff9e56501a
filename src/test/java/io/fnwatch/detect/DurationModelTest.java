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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
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

    private final DurationModel.Settings duration = settings.of(DurationModel.SPEC);

    /** The median over 20 seeded runs of the minutes from the change to the first OPEN. */
    private double medianDelay(java.util.function.Consumer<DurationSim> change) {
        double[] delays = new double[20];
        for (int i = 0; i < delays.length; i++) {
            DurationSim sim = new DurationSim().seed(1000 + i);
            sim.changeAt = T0 + 2 * DAY + 7 * HOUR;
            sim.until = sim.changeAt + 2 * HOUR;
            change.accept(sim);
            sim.run(duration);
            assertThat(sim.alerts.stream().filter(a -> a.detectedAt().toEpochMilli() < sim.changeAt))
                    .as("alerts before the change, seed %d", sim.seed)
                    .isEmpty();
            delays[i] = sim.delayMinutes();
        }
        java.util.Arrays.sort(delays);
        return delays[delays.length / 2];
    }

    @Test
    void shouldOpenWithinFiveMinutesMedianWhenDurationsTripleAtTwoCallsAMinute() {
        for (double sigma : new double[] {0.2, 0.5}) {
            double delay = medianDelay(sim -> {
                sim.sigma = sigma;
                sim.changeUntil = sim.changeAt + HOUR;
                sim.shift = 3;
            });

            assertThat(delay).as("sigma %.1f", sigma).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void shouldOpenWithinThirtyMinutesMedianWhenFifteenPercentOfCallsTakeTenTimesLonger() {
        for (double rate : new double[] {2, 5}) {
            double delay = medianDelay(sim -> {
                sim.sigma = 0.5;
                sim.perMinute = t -> rate;
                sim.changeUntil = sim.changeAt + HOUR;
                sim.tailShare = 0.15;
            });

            assertThat(delay).as("%.0f calls a minute", rate).isLessThanOrEqualTo(30);
        }
    }

    @Test
    void shouldOpenWithinTenMinutesMedianWhenTimeoutsSurge() {
        // ten times the usual 0.1 %: a busy function (the test needs ~1,200 calls at 1 %)
        double tenfold = medianDelay(sim -> {
            sim.perMinute = t -> 200;
            sim.changeAt = T0 + DAY + 7 * HOUR;
            sim.until = sim.changeAt + HOUR;
            sim.changeUntil = sim.changeAt + HOUR / 2;
            sim.changedTimeoutRate = 0.01;
        });
        // a quarter of the calls of a function of 2 calls a minute (bench fleet's surge)
        double quarter = medianDelay(sim -> {
            sim.changeUntil = sim.changeAt + HOUR / 2;
            sim.changedTimeoutRate = 0.25;
        });

        assertThat(tenfold).isLessThanOrEqualTo(10);
        assertThat(quarter).isLessThanOrEqualTo(10);
    }

    @Test
    void shouldStaySilentWhenADeploymentShiftsDurationsByFifteenPercent() {
        for (int i = 0; i < 20; i++) {
            DurationSim sim = new DurationSim().seed(2000 + i);
            sim.sigma = i % 2 == 0 ? 0.2 : 0.5;
            sim.perMinute = t -> 1 + 4 * Events.daily(t);
            sim.changeAt = T0 + 2 * DAY + i * HOUR;
            sim.until = T0 + 5 * DAY;
            sim.shift = i % 4 < 2 ? 1.15 : 1 / 1.15;

            assertThat(sim.run(duration).alerts).as("seed %d", sim.seed).isEmpty();
        }
    }

    @Test
    void shouldStaySilentOverThirtyDaysOfNoiseAtOneToFiveCallsAMinute() {
        for (int i = 0; i < 10; i++) {
            DurationSim sim = new DurationSim().seed(3000 + i);
            sim.sigma = 0.2 + 0.035 * i;
            double peak = 1 + (i % 5);
            sim.perMinute = t -> 1 + (peak - 1) * Events.daily(t);
            sim.until = T0 + 30 * DAY;

            assertThat(sim.run(duration).alerts).as("seed %d", sim.seed).isEmpty();
        }
    }

    @Test
    void shouldResolveOnStreamTimeWhileTheFunctionIsSilent() {
        DurationSim sim = new DurationSim().seed(4000);
        sim.changeAt = T0 + 2 * DAY + 7 * HOUR;
        sim.until = sim.changeAt + 20 * MINUTE; // slow for 20 minutes, then not one call
        sim.shift = 3;
        DurationModel model = sim.run(duration).model;
        assertThat(Events.of(sim.alerts, AlertType.DURATION_ANOMALY, AlertState.OPEN))
                .hasSize(1);
        Emitter out = new Emitter(DurationSim.KEY, sim.alerts);

        long deadline = model.deadline(duration);
        assertThat(deadline).isBetween(sim.until, sim.until + 20 * MINUTE);
        model.advance(deadline - 1, duration, out);
        assertThat(Events.of(sim.alerts, AlertType.DURATION_ANOMALY, AlertState.RESOLVED))
                .isEmpty();
        model.advance(deadline, duration, out);

        assertThat(Events.of(sim.alerts, AlertType.DURATION_ANOMALY, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(sim.alerts.get(0).id());
                    assertThat(r.detectedAt().toEpochMilli()).isEqualTo(deadline);
                });
        assertThat(model.deadline(duration)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldHaveNoDeadlineWhileNoIncidentIsOpen() {
        DurationSim sim = new DurationSim().seed(4001);
        sim.until = T0 + DAY;

        assertThat(sim.run(duration).model.deadline(duration)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldContinueIdenticallyAfterAStateRoundTripMidIncident() throws IOException {
        DurationSim first = new DurationSim().seed(5000);
        first.changeAt = T0 + 2 * DAY + 7 * HOUR;
        first.changeUntil = first.changeAt + HOUR;
        first.until = first.changeAt + 10 * MINUTE;
        first.shift = 3;
        first.run(duration);
        assertThat(first.model.openSince()).isPositive();
        byte[] bytes = bytes(first.model);
        DurationModel restored = new DurationModel();
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertThat(bytes(restored)).isEqualTo(bytes);

        // both continue with the same calls: the same alerts
        List<Alert> a = new ArrayList<>();
        List<Alert> b = new ArrayList<>();
        long t = first.until;
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 400; i++, t += 20_000) {
            double d = 120 * Math.exp(0.4 * r.nextGaussian()) * (t < first.changeUntil ? 3 : 1);
            FunctionEvent e = Events.invocation("sim", t, d, false, FunctionEvent.SUCCESS);
            first.model.onEvent(e, duration, new Emitter(DurationSim.KEY, a));
            restored.onEvent(e, duration, new Emitter(DurationSim.KEY, b));
        }
        assertThat(a).isNotEmpty().isEqualTo(b);
        assertThat(Events.of(a, AlertType.DURATION_ANOMALY, AlertState.RESOLVED))
                .hasSize(1);
    }

    @Test
    void shouldReadVersionOneStateKeepingTheBaselineAndTheOpenIncident() throws IOException {
        LogHistogram baseline = new LogHistogram();
        baseline.add(LogHistogram.bin(100), 60);
        baseline.add(LogHistogram.bin(130), 40);
        Incident open = new Incident();
        open.anomalous(T0, T0, 300, 1, 1, 0);
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(v1);
        o.writeLong(T0); // windowStart
        new LogHistogram().write(o); // window
        baseline.write(o);
        o.writeDouble(0); // maxMs
        o.writeInt(0); // invocations
        o.writeInt(0); // timeouts
        o.writeBoolean(true); // windowAnomalous
        o.writeByte(1);
        o.writeUTF("req-old");
        o.writeInt(512);
        o.writeInt(100);
        o.writeDouble(0.002); // timeoutRate
        o.writeInt(5000); // samplesSeen
        open.write(o);
        o.writeByte(0); // the horizon
        for (int i = 0; i < 60; i++) {
            o.writeShort(1);
        }
        o.writeUTF("");

        DurationModel m = new DurationModel();
        assertThat(m.reads(1)).isTrue();
        assertThat(m.reads(0)).isFalse();
        m.read(new DataInputStream(new ByteArrayInputStream(v1.toByteArray())), 1);

        assertThat(m.baseline()).containsEntry("samplesSeen", 5000).containsEntry("timeoutRate", 0.002);
        assertThat((double) m.baseline().get("p50Ms")).isBetween(90.0, 130.0);
        assertThat(m.openSince()).isEqualTo(T0);
        // its current window had no call: it is the first of the resolveWindows normal ones
        assertThat(m.deadline(duration)).isEqualTo(T0 + duration.resolveWindows() * duration.windowMs());
    }

    private static byte[] bytes(DurationModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
