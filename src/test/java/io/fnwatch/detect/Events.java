package io.fnwatch.detect;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/** Generated event streams with explicit timestamps and a fixed seed, for detector tests. */
public final class Events {

    public static final long MINUTE = 60_000L;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;
    /** 2026-03-02T00:00:00Z, a Monday. */
    public static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    private final Random random;
    private final String function;
    private final List<FunctionEvent> events = new ArrayList<>();

    public Events(String function, long seed) {
        this.function = function;
        this.random = new Random(seed);
    }

    public static FunctionEvent.Builder base(String function, long t) {
        FunctionEvent.Builder b = FunctionEvent.builder();
        b.tenant = "default";
        b.provider = "aws";
        b.account = "123456789012";
        b.region = "us-east-1";
        b.function = function;
        b.timestamp = Instant.ofEpochMilli(t);
        return b;
    }

    public static FunctionEvent invocation(String function, long t, double durationMs, boolean cold, String status) {
        FunctionEvent.Builder b = base(function, t);
        b.kind = EventKind.INVOCATION;
        b.requestId = "req-" + t;
        b.durationMs = durationMs;
        b.coldStart = cold;
        b.initDurationMs = cold ? 400.0 : null;
        b.status = status;
        b.memorySizeMb = 512;
        b.maxMemoryUsedMb = 100;
        return b.build();
    }

    public static FunctionEvent denial(String function, long t, String action) {
        FunctionEvent.Builder b = base(function, t);
        b.kind = EventKind.PERMISSION_DENIED;
        b.action = action;
        b.resource = "arn:aws:s3:::bucket/key";
        b.principal = "arn:aws:sts::123456789012:assumed-role/r/" + function;
        return b.build();
    }

    /** 0..1 daily rhythm: quiet at 04:00 UTC, busiest at 16:00. */
    public static double daily(long t) {
        double h = ((t % DAY) / (double) HOUR);
        return 0.5 * (1 - Math.cos(2 * Math.PI * (h - 4) / 24));
    }

    /** Poisson arrivals per minute with a rate given by {@code perMinute(t)}, durations lognormal. */
    public Events invocations(
            long from, long to, LongFunction<Double> perMinute, double medianMs, double sigma, double coldRate) {
        for (long m = from; m < to; m += MINUTE) {
            int n = poisson(perMinute.apply(m));
            for (int i = 0; i < n; i++) {
                long t = m + (long) (random.nextDouble() * MINUTE);
                double d = medianMs * Math.exp(random.nextGaussian() * sigma);
                events.add(invocation(function, t, d, random.nextDouble() < coldRate, FunctionEvent.SUCCESS));
            }
        }
        return this;
    }

    public Events add(FunctionEvent e) {
        events.add(e);
        return this;
    }

    public Events denials(long from, long to, LongFunction<Double> perMinute, String action) {
        for (long m = from; m < to; m += MINUTE) {
            int n = poisson(perMinute.apply(m));
            for (int i = 0; i < n; i++) {
                events.add(denial(function, m + (long) (random.nextDouble() * MINUTE), action));
            }
        }
        return this;
    }

    public List<FunctionEvent> sorted() {
        List<FunctionEvent> out = new ArrayList<>(events);
        out.sort(Comparator.comparing(FunctionEvent::timestamp));
        return out;
    }

    public int poisson(double lambda) {
        return io.fnwatch.bench.fleet.Poisson.sample(lambda, random);
    }

    /** Runs the events through fresh detector state with the shipped default settings. */
    public static List<Alert> detect(List<FunctionEvent> events, DetectorSettings settings) {
        List<Alert> alerts = new ArrayList<>();
        FunctionState.replay(events, settings, new FunctionState(), alerts);
        return alerts;
    }

    /**
     * Replays the events through state that is serialized and restored after every event (as a crash between
     * any two events would), handing each restored-and-advanced state to {@code after}; the alerts must equal
     * {@link #detect}'s, which tests each detector's {@code write} and {@code read} against each other.
     */
    public static List<Alert> detectRestoringAfterEveryEvent(
            List<FunctionEvent> events, DetectorSettings settings, java.util.function.Consumer<FunctionState> after) {
        List<Alert> restored = new ArrayList<>();
        byte[] bytes = new FunctionState().toBytes();
        for (FunctionEvent e : events) {
            FunctionState state = FunctionState.fromBytes(bytes);
            state.apply(e, settings, new Emitter(e.key(), restored));
            after.accept(state);
            bytes = state.toBytes();
        }
        return restored;
    }

    /**
     * Replays the events as the topology does with stream time moving on without them: before each event, and
     * after the last until {@code until}, the detectors are advanced at the first 10 s tick at or after their
     * deadline, as if other functions' events carried stream time along while this one is silent.
     */
    public static List<Alert> detectOnStreamTime(List<FunctionEvent> events, DetectorSettings settings, long until) {
        List<Alert> alerts = new ArrayList<>();
        FunctionState state = new FunctionState();
        for (FunctionEvent e : events) {
            tick(state, settings, e, e.epochMillis(), alerts);
            state.apply(e, settings, new Emitter(e.key(), alerts));
        }
        if (!events.isEmpty()) {
            tick(state, settings, events.get(0), until, alerts);
        }
        return alerts;
    }

    private static void tick(
            FunctionState state, DetectorSettings settings, FunctionEvent any, long to, List<Alert> out) {
        long deadline;
        while ((deadline = state.deadline(settings)) != Long.MAX_VALUE) {
            long tick = -Math.floorDiv(-deadline, 10_000L) * 10_000L;
            if (tick > to) {
                return;
            }
            state.advance(tick, settings, new Emitter(any.key(), out));
            if (state.deadline(settings) <= tick) {
                throw new AssertionError("advance(" + tick + ") left the deadline at " + state.deadline(settings));
            }
        }
    }

    public static List<Alert> of(List<Alert> alerts, AlertType type, AlertState state) {
        return alerts.stream()
                .filter(a -> a.type() == type && a.state() == state)
                .toList();
    }
}
