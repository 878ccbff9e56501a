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

        List<Alert> restored = Events.detectRestoringAfterEveryEvent(events, settings, state -> {});

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
        // with the console history's minutes at their most (all of a block but its last, not yet written)
        byte[] block = null;
        for (int k = 0; k < MinuteSummary.BLOCK_MINUTES - 1; k++) {
            block = MinuteSummary.of(state, settings, k * MINUTE).addToBlock(0, block);
        }
        state.historyBlock(0, block);

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

    /**
     * A heavy function (1.5 GB, 800 ms) whose cost jumps fivefold at 14 h for 20 minutes while 40 % of its calls
     * fail from 16 h: both issue 16 detectors learn, open and resolve.
     */
    private List<FunctionEvent> errorAndCostStream() {
        long spike = T0 + 14 * HOUR;
        long burst = T0 + 16 * HOUR;
        java.util.Random r = new java.util.Random(16);
        Events ev = new Events("wallet", 16);
        for (long m = T0; m < T0 + 17 * HOUR; m += MINUTE) {
            int n = ev.poisson(m >= spike && m < spike + 20 * MINUTE ? 150.0 : 30.0);
            for (int i = 0; i < n; i++) {
                long t = m + (long) (r.nextDouble() * MINUTE);
                boolean fails = m >= burst && m < burst + 20 * MINUTE ? r.nextDouble() < 0.4 : r.nextDouble() < 0.01;
                io.fnwatch.model.FunctionEvent.Builder b = Events.base("wallet", t);
                b.kind = io.fnwatch.model.EventKind.INVOCATION;
                b.requestId = "w-" + t + "-" + i;
                b.status = fails ? FunctionEvent.ERROR : FunctionEvent.SUCCESS;
                b.errorType = fails ? "TypeError" : null;
                b.durationMs = 800 * Math.exp(r.nextGaussian() * 0.3);
                b.billedDurationMs = Math.ceil(b.durationMs);
                b.memorySizeMb = 1536;
                ev.add(b.build());
            }
        }
        return ev.sorted();
    }

    @Test
    void shouldRestoreTheErrorAndCostDetectorsAfterEveryEvent() {
        List<FunctionEvent> events = errorAndCostStream();
        List<Alert> uninterrupted = Events.detect(events, settings);

        int[] lastBytes = new int[1];
        List<Alert> restored =
                Events.detectRestoringAfterEveryEvent(events, settings, state -> lastBytes[0] = state.toBytes().length);

        assertThat(uninterrupted)
                .extracting(a -> a.type() + " " + a.state())
                .contains("COST_SPIKE OPEN", "COST_SPIKE RESOLVED", "ERROR_BURST OPEN", "ERROR_BURST RESOLVED");
        assertThat(restored).isEqualTo(uninterrupted);
        assertThat(lastBytes[0]).isLessThan(2048);
    }

    @Test
    void shouldKeepTheConsoleHistorysUnwrittenMinutesThroughSerialisationAndSkipThemInOlderLayouts() {
        FunctionState state = new FunctionState();
        for (FunctionEvent e : incidentStream().subList(0, 200)) {
            state.apply(e, settings, new Emitter(e.key(), new ArrayList<>()));
        }
        long block = 3 * MinuteSummary.BLOCK_MS;
        byte[] minutes =
                new MinuteSummary(block + MINUTE, 4, 1, 0, 2, 9, 80, 120, 70, 110, false, true).addToBlock(block, null);
        byte[] without = state.toBytes();
        state.historyBlock(block, minutes);
        byte[] with = state.toBytes();
        assertThat(with.length).isEqualTo(without.length + 4 + 8 + minutes.length);

        FunctionState back = FunctionState.fromBytes(with);
        assertThat(back.historyBlockStart()).isEqualTo(block);
        assertThat(back.historyBlock()).isEqualTo(minutes);
        assertThat(back.toBytes()).isEqualTo(with);
        assertThat(FunctionState.fromBytes(without).historyBlock()).isNull();

        // a history section of a layout this build does not know is skipped, the detectors' state kept
        byte[] unknown = with.clone();
        unknown[without.length + 1] = 9;
        FunctionState skipped = FunctionState.fromBytes(unknown);
        assertThat(skipped.historyBlock()).isNull();
        assertThat(skipped.toBytes()).isEqualTo(without);

        state.historyBlock(block, null);
        assertThat(state.toBytes()).isEqualTo(without);
        assertThat(state.historyBlockStart()).isEqualTo(Long.MIN_VALUE);
    }
}
