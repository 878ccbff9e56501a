package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.model.Alert;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One stream task's detectors: feeds each event to its function's detectors (their state lives in {@link
 * FunctionStateStore}), forwards the alerts they raise, the inventory entry when it changed, closed concurrency
 * slices, and LATE events to the dead letters instead of the models.
 *
 * <p>A task has one, shared by the processors that hand it events: {@link ParseProcessor} for the events of
 * records keyed by their function (most of them: no hop between parsing and detection, no record per event in
 * between) and {@link DetectProcessor} for those read back from the repartition topic. Sharing it keeps one
 * clock and one deadline index per task, whichever path an event took. It lives with the task's state store
 * ({@link FunctionStateStore#detection}), which a task revived after a failure initialises again, and with it
 * this.
 */
final class Detection {

    private final DetectorConfig detectors;
    private final PipelineMeters meters;
    private final PipelineMeters.Local counts;
    private final Outputs outputs;
    private final List<Alert> alerts = new ArrayList<>();
    /** Closed concurrency slices of the current event or tick, for the account aggregation. */
    private final List<ConcurrencySlice> slices = new ArrayList<>();

    private final FunctionStateStore store;
    private final DeadlineIndex deadlines;
    private final MinuteHistory history;
    /** The tick-aligned slot of the task's stream time as the detectors know it (MIN_VALUE: not read yet). */
    private long clock;

    private Detection(
            DetectorConfig detectors,
            PipelineMeters meters,
            Outputs outputs,
            FunctionStateStore store,
            DeadlineIndex deadlines,
            MinuteHistory history) {
        this.detectors = detectors;
        this.meters = meters;
        this.counts = meters.local();
        this.outputs = outputs;
        this.store = store;
        this.deadlines = deadlines;
        this.history = history;
        this.clock = deadlines.clock();
    }

    /** The task's detection, made by the first of its processors to ask (all are given the same settings). */
    static Detection of(
            ProcessorContext<?, ?> context,
            DetectorConfig detectors,
            PipelineMeters meters,
            Outputs outputs,
            long historyRetentionMs) {
        FunctionStateStore store = context.getStateStore(DetectProcessor.STORE);
        return store.detection(() -> new Detection(
                detectors,
                meters,
                outputs,
                store,
                new DeadlineIndex(context.getStateStore(DeadlineIndex.STORE), DetectProcessor.TICK.toMillis()),
                new MinuteHistory(context.getStateStore(MinuteHistory.STORE), historyRetentionMs)));
    }

    /** Sends the counters gathered since the last flush to the meters. */
    void flushCounts() {
        counts.flush();
    }

    /**
     * Feeds the event of the record being processed ({@code key} is its function's) to the detectors, forwarding
     * what they emit through {@code context}.
     */
    void process(ProcessorContext<String, Routed> context, String key, FunctionEvent e) {
        moveClock(context, e.epochMillis());
        try {
            FunctionKey function = e.key();
            FunctionState state = store.state(key);
            alerts.clear();
            slices.clear();
            DetectorSettings settings = detectors.forFunction(function);
            history.beforeMoving(key, state, e.epochMillis(), settings);
            Emitter out = new Emitter(function, alerts, slices);
            long at = deadlines.slotOf(e.epochMillis());
            long filed = state.filedDeadline();
            if ((filed == Long.MIN_VALUE || filed <= at) && !state.late(e.epochMillis(), settings)) {
                long next = meetDeadlines(state, settings, at, out);
                if (filed != Long.MIN_VALUE) { // refiled now: the tick that would find it has nothing left to do
                    deadlines.move(key, filed, next);
                    state.filedDeadline(next);
                }
            }
            if (!state.apply(e, settings, out)) {
                dead(
                        context,
                        key,
                        e,
                        DeadLetter.Reason.LATE,
                        "event at " + e.timestamp() + " is older than the function's newest "
                                + Instant.ofEpochMilli(state.watermark()) + " minus the grace");
                return;
            }
            StaleFunctionModel stale = state.model(StaleFunctionModel.SPEC);
            boolean inventoryChanged = stale != null && stale.takeInventoryChange();
            store.changed(key); // serialised once per commit, not once per event
            file(key, state, settings);
            forwardAlerts(context, key);
            forwardSlices(context);
            if (inventoryChanged) {
                meters.recordOut(outputs.inventory());
                context.forward(new Record<>(
                        key, Routed.inventory(inventory(function, stale, state, settings)), e.epochMillis()));
            }
        } catch (RuntimeException | StackOverflowError ex) {
            store.discard(key); // possibly half-updated: the last written bytes are the truth
            // One bad record must not stop the stream thread: it is dead-lettered with its cause.
            dead(
                    context,
                    key,
                    e,
                    DeadLetter.Reason.PROCESSING_ERROR,
                    ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private void forwardAlerts(ProcessorContext<String, Routed> context, String key) {
        for (int i = 0; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            meters.alert(a.type(), a.severity());
            meters.recordOut(outputs.alerts());
            context.forward(new Record<>(key, Routed.alert(a), a.detectedAt().toEpochMilli()));
        }
    }

    /**
     * Sends each closed concurrency slice to its account's aggregation, keyed by the account (one record per
     * function with invocations per slice, not per event), stamped with the slice's end.
     */
    private void forwardSlices(ProcessorContext<String, Routed> context) {
        for (int i = 0; i < slices.size(); i++) {
            ConcurrencySlice c = slices.get(i);
            counts.recordOut(outputs.accounts());
            context.forward(new Record<>(c.accountKey(), Routed.slice(c), c.sliceStart() + c.sliceMs()));
        }
    }

    /**
     * Files the function under its detectors' next deadline when that is earlier than where it is filed. A
     * deadline that moved later (a busy function's, every minute) is left where it was: the tick that finds the
     * function not yet due files it again at its real deadline. The index thus wakes every function no later
     * than needed, and costs a write only when a deadline comes nearer, not on every event of a busy function.
     */
    private void file(String key, FunctionState state, DetectorSettings settings) {
        long slot = deadlines.slot(state.deadline(settings));
        long filed = state.filedDeadline();
        if (filed != Long.MIN_VALUE && filed <= slot) {
            return;
        }
        deadlines.move(key, filed, slot);
        state.filedDeadline(slot);
    }

    /**
     * Stream time as the detectors know it: the tick-aligned slot of the largest event time applied. When an
     * event crosses into a later slot, the functions due by that slot's start are moved there first. Ticks
     * thus fall at the same points of the event sequence however often the task restarts (its clock is stored
     * with its state), so exactly-once replays and backtests give the same alerts; a Kafka Streams stream-time
     * punctuation, whose schedule restarts with the task, would not. Event time, not the records' timestamps,
     * which some sources stamp on arrival.
     */
    private void moveClock(ProcessorContext<String, Routed> context, long t) {
        long slot = deadlines.slotOf(t);
        if (slot <= clock) {
            return;
        }
        if (clock != Long.MIN_VALUE) {
            tick(context, slot);
        }
        clock = slot;
        deadlines.clock(slot);
    }

    /**
     * Moves the detectors of every function whose deadline has come to stream time {@code now}, while the
     * functions themselves may be silent: drops are seen and incidents resolve without waiting for the next event.
     */
    private void tick(ProcessorContext<String, Routed> context, long now) {
        long started = System.nanoTime();
        List<String> due = deadlines.takeDue(now);
        for (String key : due) {
            try {
                FunctionKey function = FunctionKey.parse(key);
                FunctionState state = store.state(key);
                DetectorSettings settings = detectors.forFunction(function);
                state.filedDeadline(Long.MAX_VALUE); // its entry was just taken
                history.beforeMoving(key, state, now, settings);
                alerts.clear();
                slices.clear();
                meetDeadlines(state, settings, now, new Emitter(function, alerts, slices));
                store.changed(key);
                file(key, state, settings);
                forwardAlerts(context, key);
                forwardSlices(context);
            } catch (RuntimeException unreadable) {
                // its next event dead-letters the cause (as in process); until then it has no deadline
                store.discard(key);
            }
        }
        meters.tick(System.nanoTime() - started, due.size());
    }

    /**
     * Moves the function's detectors through each of its deadlines up to {@code now}, each at the deadline's own
     * slot, not at {@code now}: what a silent function's detectors conclude, and when they say they did, then
     * depends on its own events only, not on how other functions' events (the task's clock) interleave with it —
     * which differs between runs when events come from two inputs (the raw and repartition topics) or after a
     * task moves to another instance. An event calls this for its own time before it is applied, so a deadline
     * it passed is met first, as a tick would have met it had the clock got there first. Returns the function's
     * next deadline slot.
     */
    private long meetDeadlines(FunctionState state, DetectorSettings settings, long now, Emitter out) {
        long due = deadlines.slot(state.deadline(settings));
        for (int step = 0; due <= now; step++) {
            state.advance(step == DetectProcessor.MAX_STEPS ? now : due, settings, out);
            long next = deadlines.slot(state.deadline(settings));
            if (step == DetectProcessor.MAX_STEPS || next <= due) {
                return next; // a detector asking again for the same time would loop: the next event or tick moves it
            }
            due = next;
        }
        return due;
    }

    /** Counts this task's functions, and those still warming up, for the gauges. */
    void census(String taskId) {
        long tracked = 0;
        long warming = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                tracked++;
                try {
                    warming += FunctionState.fromBytes(kv.value)
                                    .warmingUp(detectors.forFunction(FunctionKey.parse(kv.key)))
                                    .isEmpty()
                            ? 0
                            : 1;
                } catch (RuntimeException unreadable) {
                    // counted as tracked; the next event for it is dead-lettered with the cause
                }
            }
        }
        meters.census(taskId, new long[] {tracked, warming});
    }

    private void dead(
            ProcessorContext<String, Routed> context,
            String key,
            FunctionEvent e,
            DeadLetter.Reason reason,
            String detail) {
        long now = System.currentTimeMillis();
        meters.deadLetter(reason.name());
        meters.recordOut(outputs.deadLetters());
        // stamped with arrival time: an event-time stamp would let retention delete replayed dead letters at once
        context.forward(new Record<>(
                key,
                Routed.dead(DeadLetters.of(
                        reason.name(), detail, e.source(), Json.bytes(e), context.recordMetadata(), now)),
                now));
    }

    private static Map<String, Object> inventory(
            FunctionKey key, StaleFunctionModel stale, FunctionState state, DetectorSettings settings) {
        Map<String, Object> m = key.fields();
        m.put("firstSeen", time(stale.firstSeen()));
        m.put("lastInvoked", time(stale.lastInvoked()));
        m.put("runtime", stale.runtime());
        m.put("warmup", state.warmingUp(settings));
        return m;
    }

    private static String time(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
