package io.fnwatch.topology;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.serde.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds each event to its function's detectors: one state read, one state write, the alerts they raise,
 * the inventory entry when it changed, and LATE events to the dead letters instead of the models.
 */
final class DetectProcessor extends ContextualProcessor<String, FunctionEvent, String, Routed> {

    static final String STORE = "detectors-state-store";

    private final DetectorConfig detectors;
    private final List<Alert> alerts = new ArrayList<>();
    private KeyValueStore<String, byte[]> store;

    DetectProcessor(DetectorConfig detectors) {
        this.detectors = detectors;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        super.init(context);
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, FunctionEvent> r) {
        FunctionEvent e = r.value();
        try {
            FunctionKey key = e.key();
            byte[] bytes = store.get(r.key());
            FunctionState state = bytes == null ? new FunctionState() : FunctionState.fromBytes(bytes);
            alerts.clear();
            DetectorSettings settings = detectors.forFunction(key);
            if (!state.apply(e, settings, new Emitter(key, alerts))) {
                dead(r, DeadLetter.Reason.LATE, "event at " + e.timestamp() + " is older than the function's newest "
                        + Instant.ofEpochMilli(state.watermark()) + " minus the grace");
                return;
            }
            boolean inventoryChanged = state.stale().takeInventoryChange();
            store.put(r.key(), state.toBytes());
            for (Alert a : alerts) {
                context().forward(new Record<>(r.key(), Routed.alert(a), a.detectedAt().toEpochMilli()));
            }
            if (inventoryChanged) {
                context().forward(r.withValue(Routed.inventory(inventory(key, state, settings))));
            }
        } catch (RuntimeException ex) {
            // One bad record must not stop the stream thread: it is dead-lettered with its cause.
            dead(r, DeadLetter.Reason.PROCESSING_ERROR, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private void dead(Record<String, FunctionEvent> r, DeadLetter.Reason reason, String detail) {
        long now = System.currentTimeMillis();
        // stamped with arrival time: an event-time stamp would let retention delete replayed dead letters at once
        context().forward(new Record<>(r.key(), Routed.dead(DeadLetters.of(reason.name(), detail, r.value().source(),
                Json.bytes(r.value()), context().recordMetadata(), now)), now));
    }

    private static Map<String, Object> inventory(FunctionKey key, FunctionState state, DetectorSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", key.tenant());
        m.put("provider", key.provider());
        m.put("account", FunctionKey.known(key.account()));
        m.put("region", FunctionKey.known(key.region()));
        m.put("function", key.function());
        m.put("firstSeen", time(state.stale().firstSeen()));
        m.put("lastInvoked", time(state.stale().lastInvoked()));
        m.put("runtime", state.stale().runtime());
        m.put("warmup", state.warmingUp(settings));
        return m;
    }

    private static String time(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
