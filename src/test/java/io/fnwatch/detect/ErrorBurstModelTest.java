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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class ErrorBurstModelTest {

    private final DetectorSettings settings = Defaults.settings();

    /**
     * Calls a minute with a share failing: a failure is a REPORT with status error and its type, after an
     * application ERROR line of the same request (as Lambda writes an unhandled error).
     */
    private static List<FunctionEvent> calls(
            String fn, long seed, long from, long to, LongFunction<Double> perMinute, LongFunction<Double> failing) {
        Random r = new Random(seed);
        Events ev = new Events(fn, seed);
        List<FunctionEvent> out = new ArrayList<>();
        for (long m = from; m < to; m += MINUTE) {
            int n = ev.poisson(perMinute.apply(m));
            for (int i = 0; i < n; i++) {
                long t = m + (long) (r.nextDouble() * (MINUTE - 1000));
                String id = fn + "-" + t + "-" + i;
                boolean fails = r.nextDouble() < failing.apply(m);
                if (fails) {
                    out.add(appError(fn, t + 200, id, "TypeError"));
                }
                out.add(report(fn, t + 300, id, fails ? FunctionEvent.ERROR : FunctionEvent.SUCCESS, "TypeError"));
            }
        }
        out.sort(Comparator.comparing(FunctionEvent::timestamp));
        return out;
    }

    private static FunctionEvent report(String fn, long t, String id, String status, String type) {
        FunctionEvent.Builder b = Events.base(fn, t);
        b.kind = EventKind.INVOCATION;
        b.requestId = id;
        b.status = status;
        b.errorType = FunctionEvent.SUCCESS.equals(status) ? null : type;
        b.durationMs = 120.0;
        b.billedDurationMs = 120.0;
        b.memorySizeMb = 256;
        return b.build();
    }

    private static FunctionEvent appError(String fn, long t, String id, String type) {
        FunctionEvent.Builder b = Events.base(fn, t);
        b.kind = EventKind.ERROR;
        b.requestId = id;
        b.errorType = type;
        b.message = "ERROR Invoke Error";
        return b.build();
    }

    private static FunctionEvent timeoutLine(String fn, long t, String id) {
        FunctionEvent.Builder b = Events.base(fn, t);
        b.kind = EventKind.ERROR;
        b.requestId = id;
        b.status = FunctionEvent.TIMEOUT;
        b.errorType = "Sandbox.Timedout";
        return b.build();
    }

    private static List<Alert> open(List<Alert> alerts) {
        return Events.of(alerts, AlertType.ERROR_BURST, AlertState.OPEN);
    }

    @Test
    void shouldAlertWithinTwoMinutesWhenFortyPercentOfABusyFunctionsCallsFail() {
        long burst = T0 + DAY + 14 * HOUR;
        List<FunctionEvent> events = calls(
                "busy", 1, T0, burst + 2 * HOUR, t -> 60.0, t -> t >= burst && t < burst + 20 * MINUTE ? 0.4 : 0.01);

        List<Alert> alerts = Events.detect(events, settings);

        assertThat(open(alerts)).singleElement().satisfies(a -> {
            assertThat(a.detectedAt().toEpochMilli()).isBetween(burst, burst + 2 * MINUTE);
            assertThat(a.evidence().get("topErrorTypes").toString()).startsWith("{TypeError=");
            assertThat((Double) a.evidence().get("observedRate")).isGreaterThan(0.15);
            assertThat((Double) a.evidence().get("expectedRate")).isLessThan(0.03);
            assertThat((List<?>) a.evidence().get("sampleRequestIds")).isNotEmpty();
            assertThat((Double) a.evidence().get("appErrorRate")).isGreaterThan(0.15);
        });
        assertThat(Events.of(alerts, AlertType.ERROR_BURST, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r ->
                        assertThat(r.detectedAt().toEpochMilli()).isBetween(burst + 20 * MINUTE, burst + 45 * MINUTE));
    }

    @Test
    void shouldCountEveryFailureOfTheOpeningWindowInTheTopErrorTypesWhateverMinuteTheBurstStarts() {
        // the finding (sample logs): the types were cleared every 30 buckets, also between a burst's first
        // failures and its alert, which then said "4 of 15 calls failed" with 2 in topErrorTypes
        for (int offset = 0; offset < 30; offset++) {
            long burst = T0 + 2 * DAY + 16 * HOUR + offset * MINUTE;
            List<FunctionEvent> events = new ArrayList<>();
            Random r = new Random(offset);
            for (long t = T0; t < burst + 30 * MINUTE; t += 15_000 + r.nextInt(1_000)) {
                boolean fails = t >= burst && r.nextDouble() < 0.5;
                events.add(report(
                        "orders",
                        t,
                        "id-" + t,
                        fails ? FunctionEvent.ERROR : FunctionEvent.SUCCESS,
                        "Runtime.OutOfMemory"));
            }

            List<Alert> opened = open(Events.detect(events, settings));

            int at = offset;
            assertThat(opened).as("burst at +%d min", at).singleElement().satisfies(a -> {
                long errors = ((Number) a.evidence().get("errors")).longValue();
                @SuppressWarnings("unchecked")
                Map<String, Integer> types = (Map<String, Integer>) a.evidence().get("topErrorTypes");
                assertThat(types).as("burst at +%d min", at).containsEntry("Runtime.OutOfMemory", (int) errors);
            });
        }
    }

    @Test
    void shouldNotAlertForOneErrorInThreeCallsOfAQuietFunction() {
        long t = T0 + 10 * HOUR;
        List<FunctionEvent> events = new ArrayList<>(calls("quiet", 2, T0, t, m -> 0.05, m -> 0.0));
        events.add(appError("quiet", t, "q-1", "KeyError"));
        events.add(report("quiet", t + 100, "q-1", FunctionEvent.ERROR, "KeyError"));
        events.add(report("quiet", t + MINUTE, "q-2", FunctionEvent.SUCCESS, null));
        events.add(report("quiet", t + 2 * MINUTE, "q-3", FunctionEvent.SUCCESS, null));

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldNotAlertOnANewFunctionsFirstErrors() {
        List<FunctionEvent> events = new ArrayList<>();
        events.add(report("new", T0, "n-1", FunctionEvent.ERROR, "ImportError"));
        events.add(report("new", T0 + 1000, "n-2", FunctionEvent.ERROR, "ImportError"));
        events.add(report("new", T0 + 2000, "n-3", FunctionEvent.SUCCESS, null));

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldStayQuietForAWeekOnANoisyFunctionWithASteadyHighErrorRate() {
        List<FunctionEvent> events = calls("noisy", 3, T0, T0 + 7 * DAY, t -> 20 * (0.3 + Events.daily(t)), t -> 0.2);

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldStayQuietOnAFunctionThatLogsErrorLinesForHalfItsRequests() {
        Random r = new Random(4);
        List<FunctionEvent> events = new ArrayList<>();
        for (long m = T0; m < T0 + 3 * DAY; m += MINUTE) {
            for (int i = 0; i < 10; i++) {
                long t = m + i * 5_000L;
                String id = "h-" + t;
                if (r.nextDouble() < 0.5) {
                    events.add(appError("handled", t, id, "ValidationError"));
                    events.add(appError("handled", t + 1, id, "ValidationError")); // a second line, same request
                }
                events.add(report("handled", t + 10, id, FunctionEvent.SUCCESS, null));
            }
        }

        assertThat(open(Events.detect(events, settings))).isEmpty();
    }

    @Test
    void shouldAlertOnAQuietFunctionWhoseCallsAllFailWithinFifteenMinutes() {
        long burst = T0 + 2 * DAY + 11 * HOUR;
        List<FunctionEvent> events = calls(
                "quiet-broken", 5, T0, burst + 3 * HOUR, t -> 1.5, t -> t >= burst && t < burst + HOUR ? 0.9 : 0.01);

        List<Alert> alerts = Events.detect(events, settings);

        assertThat(open(alerts))
                .singleElement()
                .satisfies(a -> assertThat(a.detectedAt().toEpochMilli()).isBetween(burst, burst + 15 * MINUTE));
        assertThat(Events.of(alerts, AlertType.ERROR_BURST, AlertState.RESOLVED))
                .hasSize(1);
    }

    @Test
    void shouldCountATimeoutReportedTwiceOnce() {
        // "Task timed out" line, then the REPORT line with Status: timeout: one failure
        ErrorBurstModel m = new ErrorBurstModel();
        ErrorBurstModel.Settings s = settings.of(ErrorBurstModel.SPEC);
        List<Alert> sink = new ArrayList<>();
        Emitter out = new Emitter(Events.base("t", T0).build().key(), sink);
        for (int i = 0; i < 4; i++) {
            long t = T0 + i * 1000L;
            m.onEvent(timeoutLine("t", t, "t-" + i), s, out);
            m.onEvent(report("t", t + 10, "t-" + i, FunctionEvent.TIMEOUT, "Sandbox.Timedout"), s, out);
        }
        m.advance(T0 + MINUTE, s, out);

        // 4 failures of 4 calls were learned (not 8 of 4)
        double p = m.expectedRate(s);
        assertThat(p).isCloseTo((4 + 50 * 0.02) / (4 + 50), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldResolveWhileTheFunctionIsSilentAfterTheBurst() {
        long burst = T0 + DAY + 14 * HOUR;
        List<FunctionEvent> events =
                calls("goes-silent", 6, T0, burst + 10 * MINUTE, t -> 60.0, t -> t >= burst ? 0.5 : 0.01);

        List<Alert> alerts = Events.detectOnStreamTime(events, settings, burst + 2 * HOUR);

        assertThat(open(alerts)).hasSize(1);
        assertThat(Events.of(alerts, AlertType.ERROR_BURST, AlertState.RESOLVED))
                .singleElement()
                .satisfies(r -> assertThat(r.detectedAt().toEpochMilli()).isLessThan(burst + HOUR));
    }

    @Test
    void shouldTolerateHostileEvents() {
        List<FunctionEvent> events = new ArrayList<>(calls("hostile", 7, T0, T0 + DAY, t -> 10.0, t -> 0.01));
        FunctionEvent.Builder b = Events.base("hostile", T0 + DAY);
        b.kind = EventKind.INVOCATION;
        b.status = "weird-status"; // not success: a failure, no request id, no type
        events.add(b.build());
        FunctionEvent.Builder c = Events.base("hostile", T0 + DAY + 1);
        c.kind = EventKind.ERROR; // an application error line with no request id
        events.add(c.build());

        FunctionState state = new FunctionState();
        List<Alert> sink = new ArrayList<>();
        for (FunctionEvent e : events) {
            state.apply(e, settings, new Emitter(e.key(), sink));
        }

        assertThat(open(sink)).isEmpty();
        assertThat(FunctionState.fromBytes(state.toBytes()).toBytes()).isEqualTo(state.toBytes());
    }

    @Test
    void shouldComputeTheExactBinomialTail() {
        assertThat(ErrorBurstModel.tail(1, 3, 0.1))
                .isCloseTo(1 - 0.9 * 0.9 * 0.9, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ErrorBurstModel.tail(3, 3, 0.1)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ErrorBurstModel.tail(0, 3, 0.1)).isEqualTo(1);
        assertThat(ErrorBurstModel.tail(4, 3, 0.1)).isEqualTo(0);
    }
}
