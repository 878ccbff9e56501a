package io.fnwatch.detect;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Collects the alerts that detectors raise for one event, stamped with the function's identity, and the side
 * output of per-function figures that an aggregation above the function sums ({@link #emitSlice}; dropped
 * when the caller collects none).
 */
public final class Emitter {

    private final FunctionKey key;
    private final List<Alert> sink;
    private final List<ConcurrencySlice> slices;

    public Emitter(FunctionKey key, List<Alert> sink) {
        this(key, sink, null);
    }

    /** Also collects the closed concurrency slices into {@code slices} (null: they are dropped). */
    public Emitter(FunctionKey key, List<Alert> sink, List<ConcurrencySlice> slices) {
        this.key = key;
        this.sink = sink;
        this.slices = slices;
    }

    /** A closed slice of the function's concurrency, for its account's aggregation ({@link AccountConcurrency}). */
    public void emitSlice(ConcurrencySlice slice) {
        if (slices != null) {
            slices.add(slice);
        }
    }

    public FunctionKey key() {
        return key;
    }

    /** Everything an alert says beyond the function identity. */
    public record Draft(
            AlertType type,
            AlertState state,
            long incidentStart,
            long windowStart,
            long windowEnd,
            long detectedAt,
            double score,
            double observed,
            double expected,
            double threshold,
            String summary,
            Map<String, Object> evidence) {}

    public void emit(Draft d) {
        sink.add(new Alert(
                Alert.incidentId(d.type(), key, d.incidentStart()),
                d.type(),
                d.state(),
                key.tenant(),
                key.provider(),
                FunctionKey.known(key.account()),
                FunctionKey.known(key.region()),
                key.function(),
                Instant.ofEpochMilli(d.windowStart()),
                Instant.ofEpochMilli(d.windowEnd()),
                Instant.ofEpochMilli(d.detectedAt()),
                Severity.ofScore(d.score()),
                d.score(),
                Scoring.round(d.observed()),
                Scoring.round(d.expected()),
                Scoring.round(d.threshold()),
                d.summary(),
                d.evidence()));
    }
}
