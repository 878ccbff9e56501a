package io.fnwatch.topology;

import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's own meters ({@code fnwatch.<area>.<thing>}), counted by the processors: they know the
 * provider, kind, reason and alert type that Kafka's client metrics cannot. Counters are cached per tag
 * value because the hot path runs once per event. Under exactly-once, work that a crash aborted is counted
 * again when it is redone: these meters measure processing, the topics hold the committed truth.
 */
public final class PipelineMeters {

    /** How often a processor adds its batched per-record counts ({@link Local}) to the shared meters, at most. */
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> eventsByProvider = new ConcurrentHashMap<>();
    private final Map<String, long[]> census = new ConcurrentHashMap<>();
    private final Timer ticks;
    private final Counter ticked;
    private final Counter parsedAhead;
    private final Counter parsedHere;

    public PipelineMeters(MeterRegistry registry) {
        this.registry = registry;
        gauge("fnwatch.functions.tracked", "Functions with detector state on this instance", c -> c[0]);
        gauge(
                "fnwatch.functions.warmup",
                "Functions with at least one detector still learning its baseline",
                c -> c[1]);
        ticks = Timer.builder("fnwatch.detectors.ticks")
                .description("Stream-time ticks that moved due functions' detectors, and their duration")
                .register(registry);
        ticked = Counter.builder("fnwatch.detectors.ticked.functions")
                .description("Functions whose detectors a stream-time tick moved (their deadline had come)")
                .register(registry);
        parsedAhead = parsedCounter("parser-thread");
        parsedHere = parsedCounter("stream-thread");
    }

    private Counter parsedCounter(String where) {
        return Counter.builder("fnwatch.parse.records")
                .description(
                        "Raw records parsed ahead on a stream thread's parser thread (parse.ahead.enabled), or on "
                                + "the stream thread itself (setting off, parser thread behind, or a record it could not parse)")
                .tag("where", where)
                .register(registry);
    }

    /**
     * Counts for one processor, which only its stream thread touches: the per-record counters ({@link
     * Local#recordIn}, {@link Local#parsed}, {@link Local#event}) are added to the shared meters every {@link
     * Local#BATCH} records and whenever the processor calls {@link Local#flush} (a wall-clock punctuation each
     * second, and close). A shared counter's increment per record was about 5 % of a stream thread.
     */
    Local local() {
        return new Local();
    }

    /** Per-record counts of one processor, added to the shared counters in batches; see {@link #local}. */
    final class Local {
        static final int BATCH = 1_000;

        private final List<Pending> all = new ArrayList<>();
        private final Pending ahead = pending(parsedAhead);
        private final Pending here = pending(parsedHere);
        private final Map<String, Pending> in = new HashMap<>();
        private final Map<String, Pending> out = new HashMap<>();
        private final Map<String, Pending[]> events = new HashMap<>();
        private String lastProvider;
        private Pending[] lastKinds;
        private int unflushed;

        private Pending pending(Counter c) {
            Pending p = new Pending(c);
            all.add(p);
            return p;
        }

        void recordIn(String topic) {
            add(in.computeIfAbsent(
                    topic,
                    t -> pending(counter(recordsIn, "fnwatch.records.in", "Records read, by topic", "topic", t))));
        }

        void recordOut(String topic) {
            add(out.computeIfAbsent(
                    topic,
                    t -> pending(counter(recordsOut, "fnwatch.records.out", "Records written, by topic", "topic", t))));
        }

        void parsed(boolean byParserThread) {
            add(byParserThread ? ahead : here);
        }

        void event(String provider, EventKind kind) {
            if (provider != lastProvider) {
                lastKinds = events.computeIfAbsent(provider, p -> {
                    Counter[] shared = eventsByProvider.computeIfAbsent(p, PipelineMeters.this::eventCounters);
                    Pending[] byKind = new Pending[shared.length];
                    for (int i = 0; i < shared.length; i++) {
                        byKind[i] = pending(shared[i]);
                    }
                    return byKind;
                });
                lastProvider = provider;
            }
            add(lastKinds[kind.ordinal()]);
        }

        private void add(Pending p) {
            p.n++;
            if (++unflushed >= BATCH) {
                flush();
            }
        }

        /** Adds what was counted since the last flush to the shared meters. */
        void flush() {
            for (Pending p : all) {
                if (p.n > 0) {
                    p.counter.increment(p.n);
                    p.n = 0;
                }
            }
            unflushed = 0;
        }
    }

    private static final class Pending {
        final Counter counter;
        long n;

        Pending(Counter counter) {
            this.counter = counter;
        }
    }

    /** One stream-time tick that took {@code nanos} and moved {@code functions} functions' detectors. */
    void tick(long nanos, int functions) {
        ticks.record(nanos, TimeUnit.NANOSECONDS);
        ticked.increment(functions);
    }

    /** Meters that go nowhere: for tests and offline runs that do not watch them. */
    public static PipelineMeters none() {
        return new PipelineMeters(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    void recordIn(String topic) {
        counter(recordsIn, "fnwatch.records.in", "Records read, by topic", "topic", topic)
                .increment();
    }

    void recordOut(String topic) {
        counter(recordsOut, "fnwatch.records.out", "Records written, by topic", "topic", topic)
                .increment();
    }

    void deadLetter(String reason) {
        counter(
                        deadLetters,
                        "fnwatch.dead.letters",
                        "Records sent to the dead-letter topic, by reason",
                        "reason",
                        reason)
                .increment();
    }

    /**
     * One function's concurrency slice the account aggregation could not add: it came later than the account's
     * clock minus the grace (its partition was behind the others by more than that), or of another slice length.
     */
    void sliceDropped() {
        counters.computeIfAbsent(
                        "slice-dropped",
                        k -> Counter.builder("fnwatch.concurrency.slices.dropped")
                                .description(
                                        "Functions' concurrency slices left out of their account's sum: later than the late grace")
                                .register(registry))
                .increment();
    }

    void alert(AlertType type, Severity severity) {
        counters.computeIfAbsent(
                        "alert|" + type + "|" + severity,
                        k -> Counter.builder("fnwatch.alerts")
                                .description("Alerts raised, by type and severity")
                                .tags("type", type.name(), "severity", severity.name())
                                .register(registry))
                .increment();
    }

    /** The latest count of one task's functions; {@code null} counts forget the task (closed or moved away). */
    void census(String task, long[] trackedAndWarming) {
        if (trackedAndWarming == null) {
            census.remove(task);
        } else {
            census.put(task, trackedAndWarming);
        }
    }

    /** Keyed by the tag value alone: topic names are the same String objects every time, hash cached. */
    private Counter counter(Map<String, Counter> byValue, String name, String description, String tag, String value) {
        Counter c = byValue.get(value);
        return c != null
                ? c
                : byValue.computeIfAbsent(
                        value,
                        v -> Counter.builder(name)
                                .description(description)
                                .tag(tag, v)
                                .register(registry));
    }

    private Counter[] eventCounters(String provider) {
        Counter[] byKind = new Counter[EventKind.values().length];
        for (EventKind kind : EventKind.values()) {
            byKind[kind.ordinal()] = Counter.builder("fnwatch.events")
                    .description("Normalized events, by provider " + "and kind")
                    .tags("provider", provider, "kind", kind.name())
                    .register(registry);
        }
        return byKind;
    }

    private void gauge(String name, String description, ToDoubleFunction<long[]> part) {
        Gauge.builder(name, census, m -> m.values().stream().mapToDouble(part).sum())
                .description(description)
                .register(registry);
    }
}
