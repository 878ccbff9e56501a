package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static io.fnwatch.detect.Events.HOUR;
import static io.fnwatch.detect.Events.MINUTE;
import static io.fnwatch.detect.Events.T0;

import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.util.List;

/**
 * Functions with real learned state, cut in two: the {@code prefix} builds the state that is stored (see
 * {@link StateFixturesWriter}), the {@code rest} continues it. Every detector has learned something by the
 * cut, and two incidents are open at it, so a restore that loses any field changes the continued alerts.
 */
final class StateScenarios {

    record Scenario(String name, List<FunctionEvent> prefix, List<FunctionEvent> rest) {}

    static final List<Scenario> ALL = List.of(mixed(), slowdown(), legacy());

    private StateScenarios() {}

    private static Scenario cut(String name, List<FunctionEvent> events, long at) {
        return new Scenario(
                name,
                events.stream().filter(e -> e.epochMillis() < at).toList(),
                events.stream().filter(e -> e.epochMillis() >= at).toList());
    }

    /** A traffic spike open at the cut, then a denial burst (FunctionStateTest's stream). */
    private static Scenario mixed() {
        long spike = T0 + 3 * HOUR;
        List<FunctionEvent> events = new Events("mixed", 31)
                .invocations(T0, T0 + 5 * HOUR, t -> t >= spike && t < spike + 5 * MINUTE ? 200.0 : 10.0, 80, .3, .01)
                .denials(spike + HOUR, spike + HOUR + 3 * MINUTE, t -> 6.0, "kms:Decrypt")
                .sorted();
        return cut("mixed", events, spike + 3 * MINUTE);
    }

    /** Warm durations triple at 6 h for 40 min: the duration incident is open at the cut, resolves after. */
    private static Scenario slowdown() {
        long slow = T0 + 6 * HOUR;
        List<FunctionEvent> events = new Events("slowdown", 7)
                .invocations(T0, slow, t -> 12.0, 80, .25, .02)
                .invocations(slow, slow + 40 * MINUTE, t -> 12.0, 260, .25, .02)
                .invocations(slow + 40 * MINUTE, slow + 2 * HOUR, t -> 12.0, 80, .25, .02)
                .denials(T0 + HOUR, T0 + 5 * HOUR, t -> 0.05, "s3:GetObject")
                .sorted();
        return cut("slowdown", events, slow + 20 * MINUTE);
    }

    /** A deprecated runtime, leaked secrets, then 40 days of silence: stale, outdated and secret alerts after. */
    private static Scenario legacy() {
        Events e = new Events("legacy", 3);
        FunctionEvent.Builder init = Events.base("legacy", T0);
        init.kind = EventKind.INIT;
        init.runtime = "python:3.8.v30";
        e.add(init.build());
        e.invocations(T0 + 1000, T0 + 2 * HOUR, t -> 3.0, 120, .3, .05);
        e.add(leak(T0 + HOUR, "AWS_ACCESS_KEY"));
        e.add(leak(T0 + HOUR + 5 * MINUTE, "JWT"));
        long wake = T0 + 40 * DAY;
        e.invocations(wake, wake + HOUR, t -> 3.0, 120, .3, .05);
        e.add(leak(wake + 10 * MINUTE, "PRIVATE_KEY"));
        return cut("legacy", e.sorted(), wake);
    }

    private static FunctionEvent leak(long t, String kind) {
        FunctionEvent.Builder b = Events.base("legacy", t);
        b.kind = EventKind.LOG;
        b.requestId = "req-leak-" + t;
        b.source = "lambda";
        b.message = "token=[MASKED]";
        b.secrets = List.of(kind);
        return b.build();
    }
}
