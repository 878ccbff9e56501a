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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class CostSpikeModelTest {

    private final DetectorSettings settings = Defaults.settings();
    private final CostSpikeModel.Settings cost = settings.of(CostSpikeModel.SPEC);

    /** Calls a minute, billed milliseconds and memory of a heavy function, each may change with time. */
    private static List<FunctionEvent> heavy(
            String fn,
            long seed,
            long from,
            long to,
            LongFunction<Double> perMinute,
            LongFunction<Double> billedMs,
            LongFunction<Integer> memoryMb) {
        Random r = new Random(seed);
        Events ev = new Events(fn, seed);
        List<FunctionEvent> out = new ArrayList<>();
        for (long m = from; m < to; m += MINUTE) {
            int n = ev.poisson(perMinute.apply(m) * (0.6 + 0.8 * Events.daily(m)));
            for (int i = 0; i < n; i++) {
                long t = m + (long) (r.nextDouble() * MINUTE);
                FunctionEvent.Builder b = Events.base(fn, t);
                b.kind = EventKind.INVOCATION;
                b.requestId = "req-" + t + "-" + i;
                b.status = FunctionEvent.SUCCESS;
                double d = billedMs.apply(m) * Math.exp(r.nextGaussian() * 0.3);
                b.durationMs = d;
                b.billedDurationMs = Math.ceil(d);
                b.memorySizeMb = memoryMb.apply(m);
                out.add(b.build());
            }
        }
        out.sort(java.util.Comparator.comparing(FunctionEvent::timestamp));
        return out;
    }

    private static List<Alert> open(List<Alert> alerts) {
        return Events.of(alerts, AlertType.COST_SPIKE, AlertState.OPEN);
    }

    @Test
    void shouldStayQuietOnAHeavyFunctionWithItsDailyRhythmForAWeek() {
        List<FunctionEvent> events = heavy("steady", 1, T0, T0 + 7 * DAY, t -> 40.0, t -> 800.0, t -> 1536);

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldAlertWithinFiveMinutesWhenCallsQuadrupleAndNameCallsAsTheDriver() {
        long spike = T0 + 2 * DAY + 14 * HOUR;
        List<FunctionEvent> events = heavy(
                "wallet",
                2,
                T0,
                spike + 3 * HOUR,
                t -> t >= spike && t < spike + HOUR ? 200.0 : 40.0,
                t -> 800.0,
                t -> 1536);

        List<Alert> alerts = Events.detect(events, settings);

        assertThat(open(alerts)).hasSize(1);
        Alert a = open(alerts).get(0);
        assertThat(a.detectedAt().toEpochMilli()).isBetween(spike, spike + 5 * MINUTE);
        assertThat(a.evidence()).containsEntry("driver", "calls").containsEntry("reason", "baseline");
        assertThat((Double) a.evidence().get("callsRatio")).isGreaterThan(1.5);
        assertThat((Double) a.evidence().get("projectedDayCost")).isGreaterThan(1.0);
        assertThat(a.evidence().get("architecture").toString()).startsWith("x86_64");
        assertThat(Events.of(alerts, AlertType.COST_SPIKE, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r ->
                        assertThat(r.detectedAt().toEpochMilli()).isBetween(spike + HOUR, spike + HOUR + 30 * MINUTE));
    }

    @Test
    void shouldNameBilledDurationWhenCallsGetLonger() {
        long slow = T0 + 2 * DAY + 14 * HOUR;
        List<FunctionEvent> events = heavy(
                "slower",
                3,
                T0,
                slow + 2 * HOUR,
                t -> 40.0,
                t -> t >= slow && t < slow + HOUR ? 3200.0 : 800.0,
                t -> 1536);

        Alert a = open(Events.detect(events, settings)).get(0);

        assertThat(a.detectedAt().toEpochMilli()).isBetween(slow, slow + 5 * MINUTE);
        assertThat(a.evidence()).containsEntry("driver", "billedDuration");
    }

    @Test
    void shouldNameMemoryWhenADeployQuadruplesIt() {
        long deploy = T0 + 2 * DAY + 14 * HOUR;
        List<FunctionEvent> events =
                heavy("bigger", 4, T0, deploy + 2 * HOUR, t -> 40.0, t -> 800.0, t -> t >= deploy ? 6144 : 1536);

        Alert a = open(Events.detect(events, settings)).get(0);

        assertThat(a.detectedAt().toEpochMilli()).isBetween(deploy, deploy + 5 * MINUTE);
        assertThat(a.evidence()).containsEntry("driver", "memory");
        assertThat((Long) a.evidence().get("memoryMb")).isGreaterThan(2 * 1536L);
    }

    @Test
    void shouldStayQuietWhenACheapFunctionTriplesItsCost() {
        long spike = T0 + 2 * DAY + 14 * HOUR;
        List<FunctionEvent> events = heavy(
                "cheap",
                5,
                T0,
                spike + 2 * HOUR,
                t -> t >= spike && t < spike + HOUR ? 15.0 : 5.0,
                t -> 100.0,
                t -> 128);

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldAlertOnABudgetEvenDuringWarmUp() {
        CostSpikeModel.Settings budget = new CostSpikeModel.Settings(
                cost.bucketMs(),
                cost.alpha(),
                cost.hourAlpha(),
                cost.dayAlpha(),
                cost.timeZone(),
                cost.warmupBuckets(),
                cost.z(),
                cost.minRatio(),
                cost.minExcessPerHour(),
                0.5,
                cost.arm64(),
                cost.defaultMemoryMb(),
                cost.resolveBuckets(),
                cost.cooldownMs(),
                cost.prices());
        // 100 calls a minute of 2 s at 3 GB: 36,000 GB-s an hour, about $0.60 an hour
        List<FunctionEvent> events = heavy("budgeted", 6, T0, T0 + 2 * HOUR, t -> 100.0, t -> 2000.0, t -> 3072);

        List<Alert> alerts = Events.detect(events, settings.with(CostSpikeModel.SPEC, budget));

        assertThat(open(alerts)).singleElement().satisfies(a -> {
            assertThat(a.evidence()).containsEntry("reason", "budget").containsEntry("budgetPerHour", 0.5);
            assertThat(a.detectedAt().toEpochMilli()).isLessThan(T0 + HOUR);
        });
    }

    @Test
    void shouldPriceArm64AndRegionsFromTheTable() {
        CostPrices prices = cost.prices();

        assertThat(prices.of("aws", "us-east-1").gbSecond()).isEqualTo(0.0000166667);
        assertThat(prices.of("aws", "us-east-1").arm64GbSecond()).isEqualTo(0.0000133334);
        assertThat(prices.of("aws", "af-south-1").gbSecond()).isEqualTo(0.0000221);
        assertThat(prices.of("azure", null).gbSecond()).isEqualTo(0.000016);
        assertThat(prices.of("other", "x").gbSecond()).isEqualTo(0.0000166667);
    }

    @Test
    void shouldTolerateHostileValuesWithoutAlertingOrBreaking() {
        long t0 = T0 + 2 * DAY;
        List<FunctionEvent> events = new ArrayList<>(heavy("hostile", 7, T0, t0, t -> 40.0, t -> 800.0, t -> 1536));
        Double[] billed = {Double.NaN, -5000.0, null, Double.POSITIVE_INFINITY, 1e300};
        Integer[] memory = {null, -1, 0, Integer.MAX_VALUE, 1536};
        for (int i = 0; i < billed.length; i++) {
            FunctionEvent.Builder b = Events.base("hostile", t0 + i * 1000L);
            b.kind = EventKind.INVOCATION;
            b.billedDurationMs = billed[i];
            b.durationMs = billed[i];
            b.memorySizeMb = memory[i];
            events.add(b.build());
        }

        List<Alert> alerts = Events.detect(events, settings);

        // infinite and 1e300 ms are capped at a day: those two calls cost a lot, and that is a real spike
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.observed()).isFinite();
            assertThat(a.expected()).isFinite();
        });
        FunctionState state = new FunctionState();
        List<Alert> sink = new ArrayList<>();
        for (FunctionEvent e : events) {
            state.apply(e, settings, new Emitter(e.key(), sink));
        }
        assertThat(FunctionState.fromBytes(state.toBytes()).toBytes()).isEqualTo(state.toBytes());
    }
}
