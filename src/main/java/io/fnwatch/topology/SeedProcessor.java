package io.fnwatch.topology;

import io.fnwatch.detect.ConcurrencyModel;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.StaleFunctionModel;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the inventory topic back into the detectors' state: an entry seeded by a puller (it has
 * {@code seededFrom}) tells the stale detector when a function it has never seen last ran, and on which
 * runtime, so a function dormant for months before fnwatch started alerts on its first invocation, and the
 * concurrency detector the function's reserved concurrency when the entry carries one. Entries the
 * service wrote itself are skipped: the state they came from is newer. The topic is keyed like the state store
 * (the function key) and has {@code topics.partitions} partitions like the events, so a seed reaches the task
 * that owns the function.
 */
final class SeedProcessor extends ContextualProcessor<String, Map<String, Object>, Void, Void> {

    private FunctionStateStore store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        store = context.getStateStore(DetectProcessor.STORE);
    }

    @Override
    public void process(Record<String, Map<String, Object>> r) {
        Map<String, Object> entry = r.value();
        if (r.key() == null || entry == null || entry.get("seededFrom") == null) {
            return;
        }
        long lastInvoked = millis(entry.get("lastInvoked"));
        Object runtime = entry.get("runtime");
        try {
            FunctionState state = store.state(r.key());
            StaleFunctionModel stale = state.model(StaleFunctionModel.SPEC);
            boolean changed = stale != null && stale.seed(lastInvoked, runtime instanceof String s ? s : null);
            ConcurrencyModel concurrency = state.model(ConcurrencyModel.SPEC);
            if (concurrency != null && entry.get("reservedConcurrency") instanceof Number reserved) {
                changed |= concurrency.seedReserved((int) Math.min(Integer.MAX_VALUE, reserved.longValue()));
            }
            if (changed) {
                store.changed(r.key());
            }
        } catch (RuntimeException unreadable) {
            store.discard(r.key()); // a seed is advice: the function's next event dead-letters the cause
        }
    }

    private static long millis(Object iso) {
        if (!(iso instanceof String s)) {
            return -1;
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
