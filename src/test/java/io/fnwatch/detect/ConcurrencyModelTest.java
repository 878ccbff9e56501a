package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConcurrencyModelTest {

    private static final long T0 = Events.T0;
    private static final long S = 1_000;
    private static final FunctionKey KEY = new FunctionKey("default", "aws", "123456789012", "us-east-1", "f");

    private final ConcurrencyModel.Settings defaults =
            Defaults.CONFIG.forFunction(KEY).of(ConcurrencyModel.SPEC);
    private final List<Alert> alerts = new ArrayList<>();
    private final List<ConcurrencySlice> slices = new ArrayList<>();
    private final Emitter out = new Emitter(KEY, alerts, slices);

    private static FunctionEvent call(long end, Double durationMs, Double initMs) {
        FunctionEvent.Builder b = Events.base("f", end);
        b.kind = EventKind.INVOCATION;
        b.durationMs = durationMs;
        b.initDurationMs = initMs;
        return b.build();
    }

    private static FunctionEvent log(long t) {
        return Events.base("f", t).build();
    }

    private ConcurrencyModel.Settings reserved(int r) {
        return new ConcurrencyModel.Settings(
                defaults.sliceMs(),
                defaults.holdMs(),
                defaults.share(),
                r,
                defaults.accountLimit(),
                defaults.accountShare(),
                defaults.accountWaitMs(),
                defaults.activeConcurrency(),
                defaults.resolveSlices(),
                defaults.cooldownMs(),
                defaults.accountLimits());
    }

    @Test
    void shouldSplitAnIntervalAcrossTheSliceBoundaryBySubSlice() {
        ConcurrencyModel m = new ConcurrencyModel();
        // runs 55 s .. 65 s: 5 s in the first slice (sub-slice 50-60 s), 5 s in the second (60-70 s)
        m.onEvent(call(T0 + 65 * S, 10_000.0, null), defaults, out);
        m.advance(T0 + 60 * S + 20 * S, defaults, out); // first slice closes at its end + hold
        assertThat(slices).hasSize(1);
        ConcurrencySlice first = slices.get(0);
        assertThat(first.sliceStart()).isEqualTo(T0);
        assertThat(first.busyMs()).containsExactly(0, 0, 0, 0, 0, 5_000);
        m.advance(T0 + 140 * S, defaults, out);
        assertThat(slices).hasSize(2);
        assertThat(slices.get(1).sliceStart()).isEqualTo(T0 + 60 * S);
        assertThat(slices.get(1).busyMs()).containsExactly(5_000, 0, 0, 0, 0, 0);
    }

    @Test
    void shouldCountTheInitDurationAsPartOfTheInterval() {
        ConcurrencyModel m = new ConcurrencyModel();
        // 4 s of duration and 3 s of init end at 30 s: busy 23-30 s
        m.onEvent(call(T0 + 30 * S, 4_000.0, 3_000.0), defaults, out);
        m.advance(T0 + 80 * S, defaults, out);
        assertThat(slices.get(0).busyMs()).containsExactly(0, 0, 7_000, 0, 0, 0);
    }

    @Test
    void shouldCarryTimeBeforeTheOldestOpenSliceIntoItInsteadOfLosingIt() {
        ConcurrencyModel m = new ConcurrencyModel();
        m.onEvent(call(T0 + 100 * S, 100.0, null), defaults, out); // the slice at 60 s is open
        // a 5-minute call ending at 110 s began long before the open slice: 50 s fall in it, 250 s are carried
        m.onEvent(call(T0 + 110 * S, 300_000.0, null), defaults, out);
        m.advance(T0 + 140 * S, defaults, out);
        double total = Arrays.stream(slices.get(0).busyMs()).sum();
        assertThat(slices.get(0).sliceStart()).isEqualTo(T0 + 60 * S);
        assertThat(total).isEqualTo(100 + 300_000);
    }

    @Test
    void shouldSurviveHostileDurationsWithoutBlowingUpOrWrapping() {
        ConcurrencyModel m = new ConcurrencyModel();
        long t = T0 + 30 * S;
        m.onEvent(call(t, Double.NaN, Double.NaN), defaults, out);
        m.onEvent(call(t + 1, -5_000.0, -1.0), defaults, out);
        m.onEvent(call(t + 2, Double.POSITIVE_INFINITY, null), defaults, out);
        m.onEvent(call(t + 3, Double.MAX_VALUE, Double.MAX_VALUE), defaults, out);
        m.onEvent(call(t + 4, null, null), defaults, out);
        for (int i = 0; i < 100_000; i++) {
            m.onEvent(call(t + 5, 1e300, 0.0), defaults, out); // every sub-slice saturates, never wraps
        }
        m.advance(T0 + 10 * 60 * S, defaults, out);
        for (ConcurrencySlice c : slices) {
            for (double b : c.busyMs()) {
                assertThat(b).isBetween(0.0, (double) Integer.MAX_VALUE);
            }
        }
        assertThat(slices).isNotEmpty();
        assertThat(m.deadline(defaults)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldAskForNoTickWithoutAnOpenIncidentAndSendOnlySlicesAboveTheFloor() {
        ConcurrencyModel quiet = new ConcurrencyModel();
        quiet.onEvent(call(T0 + 10 * S, 50.0, null), defaults, out);
        quiet.onEvent(log(T0 + 11 * S), defaults, out);
        assertThat(quiet.deadline(defaults)).isEqualTo(Long.MAX_VALUE);
        ConcurrencyModel busy = new ConcurrencyModel();
        busy.onEvent(call(T0 + 10 * S, 5_000.0, null), defaults, out);
        assertThat(busy.deadline(defaults)).isEqualTo(Long.MAX_VALUE); // its own events close its slices
        // the quiet one's slice closes on its next event, below the floor of the account sum: not sent
        quiet.onEvent(log(T0 + 5 * 60 * S), defaults, out);
        assertThat(slices).isEmpty();
        assertThat(quiet.deadline(defaults)).isEqualTo(Long.MAX_VALUE);
        busy.advance(T0 + 80 * S, defaults, out);
        assertThat(slices).extracting(ConcurrencySlice::sliceStart).containsExactly(T0);
    }

    @Test
    void shouldAlertNearTheReservedConcurrencyOnceAndResolve() {
        ConcurrencyModel.Settings s = reserved(10);
        ConcurrencyModel m = new ConcurrencyModel();
        Random r = new Random(7);
        long t = T0;
        for (; t < T0 + 20 * 60 * S; t += 100) { // a call ends every 100 ms: 3 at once, 9 from 5 to 10 minutes
            m.onEvent(call(t, 300.0 * (t >= T0 + 5 * 60 * S && t < T0 + 10 * 60 * S ? 3 : 1), null), s, out);
            if (r.nextInt(50) == 0) {
                m.onEvent(log(t + 1), s, out);
            }
        }
        m.advance(t + 5 * 60 * S, s, out);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        assertThat(m.deadline(s)).isEqualTo(Long.MAX_VALUE);
        Alert open = alerts.get(0);
        assertThat(open.type()).isEqualTo(AlertType.CONCURRENCY_NEAR_LIMIT);
        assertThat(open.function()).isEqualTo("f");
        assertThat(open.evidence())
                .containsEntry("limit", 10)
                .containsEntry("limitSource", "reservedConcurrency")
                .containsKeys("peakConcurrency", "meanConcurrency");
        assertThat(open.detectedAt().toEpochMilli()).isBetween(T0 + 5 * 60 * S, T0 + 7 * 60 * S);
        assertThat(alerts.get(1).id()).isEqualTo(open.id());
    }

    @Test
    void shouldUseTheInventorysReservedConcurrencyWhenTheSettingIsUnset() {
        ConcurrencyModel m = new ConcurrencyModel();
        assertThat(m.seedReserved(5)).isTrue();
        assertThat(m.seedReserved(5)).isFalse();
        for (long t = T0; t < T0 + 3 * 60 * S; t += 1_000) {
            m.onEvent(call(t, 4_500.0, null), defaults, out); // 4.5 at once, 90 % of 5
        }
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).evidence()).containsEntry("limitSource", "inventory");
        // silent from 3 minutes with the incident open: a tick is asked for, and it resolves on ticks alone
        assertThat(m.deadline(defaults)).isLessThanOrEqualTo(T0 + 4 * 60 * S);
        m.advance(T0 + 10 * 60 * S, defaults, out);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        assertThat(m.deadline(defaults)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldDecideTheSameWhenStateIsWrittenAndReadAfterEveryEvent() throws IOException {
        ConcurrencyModel.Settings s = reserved(4);
        ConcurrencyModel straight = new ConcurrencyModel();
        ConcurrencyModel restored = new ConcurrencyModel();
        List<Alert> a = new ArrayList<>();
        List<Alert> b = new ArrayList<>();
        List<ConcurrencySlice> sa = new ArrayList<>();
        List<ConcurrencySlice> sb = new ArrayList<>();
        Random r = new Random(3);
        long t = T0;
        for (int i = 0; i < 3_000; i++) {
            t += r.nextInt(2_000);
            double d = r.nextInt(10) == 0 ? 60_000 * r.nextDouble() : 4_000 * r.nextDouble();
            FunctionEvent e = call(t - r.nextInt(3) * 1_000L, d, r.nextBoolean() ? 200.0 : null);
            straight.onEvent(e, s, new Emitter(KEY, a, sa));
            restored.onEvent(e, s, new Emitter(KEY, b, sb));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            restored.write(new DataOutputStream(bytes));
            assertThat(bytes.size()).isLessThanOrEqualTo(64 + 4 * 16);
            restored = new ConcurrencyModel();
            restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        }
        assertThat(a).isNotEmpty();
        assertThat(b).isEqualTo(a);
        assertThat(sb).hasSameSizeAs(sa);
        for (int i = 0; i < sa.size(); i++) {
            assertThat(sb.get(i).busyMs()).containsExactly(sa.get(i).busyMs());
        }
    }
}
