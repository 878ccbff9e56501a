package io.fnwatch.topology;

import io.fnwatch.model.Alert;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import java.util.Map;

/** What a processor hands downstream; exactly one member is set, and the topology routes by it. */
record Routed(
        FunctionEvent event,
        boolean keyedByFunction,
        Alert alert,
        Map<String, Object> inventory,
        DeadLetter deadLetter,
        ConcurrencySlice slice) {

    static Routed event(FunctionEvent e, boolean keyedByFunction) {
        return new Routed(e, keyedByFunction, null, null, null, null);
    }

    static Routed alert(Alert a) {
        return new Routed(null, false, a, null, null, null);
    }

    static Routed inventory(Map<String, Object> entry) {
        return new Routed(null, false, null, entry, null, null);
    }

    static Routed dead(DeadLetter d) {
        return new Routed(null, false, null, null, d, null);
    }

    /** A function's closed concurrency slice, for its account's aggregation. */
    static Routed slice(ConcurrencySlice s) {
        return new Routed(null, false, null, null, null, s);
    }
}
