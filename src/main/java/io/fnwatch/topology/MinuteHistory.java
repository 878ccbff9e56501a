package io.fnwatch.topology;

import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.MinuteSummary;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The console's per-minute history of each function ({@link MinuteSummary}): a windowed store keyed by function,
 * one entry per minute in which the function had events, stamped with the minute's start and kept for
 * {@code console.history.retention.ms}. Nothing is counted per event: a function's minute is read from its
 * detectors' state just before an event of a later minute, or a tick, moves the state on (the state still holds
 * the closing minute), so it costs one comparison per event and about one store write per function and active
 * minute. Minutes of silence are not written unless a tick moves the function through them (the console draws
 * missing minutes as zero calls), and the function's current minute is read from its state by the console. A
 * late event (within the grace) for a minute already written is counted by the detectors but not in that
 * minute's entry.
 */
final class MinuteHistory {

    static final String STORE = "detectors-history-store";

    private final WindowStore<String, byte[]> store;

    MinuteHistory(WindowStore<String, byte[]> store) {
        this.store = store;
    }

    static StoreBuilder<WindowStore<String, byte[]>> builder(Duration retention) {
        // One write per key and minute: a cache would only delay it. The changelog's records are stamped on
        // append: stamped with event time, a replay of logs older than the changelog's retention (the store's
        // plus a day) would be deleted by the broker as it writes them, breaking the idempotent producer.
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                STORE, retention, Duration.ofMillis(MinuteSummary.MINUTE_MS), false),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of("message.timestamp.type", "LogAppendTime"));
    }

    /**
     * Called before {@code state} is moved to stream time {@code time} (an event's, or a tick's): when that is a
     * later minute than the one the state is in, that minute is written. The common case, an event in the
     * function's current minute, costs one comparison. A tick that finds the function due before its traffic
     * bucket rolls writes the minute too (an open incident's buckets roll on ticks, not on the function's
     * events); the function's next event may write the same minute again, with the same figures or later ones.
     */
    void beforeMoving(String key, FunctionState state, long time, DetectorSettings settings) {
        long newest = state.watermark();
        if (newest == Long.MIN_VALUE
                || time - Math.floorDiv(newest, MinuteSummary.MINUTE_MS) * MinuteSummary.MINUTE_MS
                        < MinuteSummary.MINUTE_MS) {
            return;
        }
        long open = MinuteSummary.openMinute(state, settings);
        if (time - open >= MinuteSummary.MINUTE_MS) {
            store.put(key, MinuteSummary.of(state, settings, open).toBytes(), open);
        }
    }
}
