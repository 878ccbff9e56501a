package io.fnwatch.topology;

import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.MinuteSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The console's per-minute history of each function ({@link MinuteSummary}): a windowed store keyed by function,
 * one entry per block of {@value MinuteSummary#BLOCK_MINUTES} minutes in which the function had events, stamped
 * with the block's start and kept for {@code console.history.retention.ms}. Nothing is counted per event: a
 * function's minute is read from its detectors' state just before an event of a later minute, or a tick, moves
 * the state on (the state still holds the closing minute), so it costs one comparison per event. Closed minutes
 * wait in the function's state ({@link FunctionState#historyBlock}, written with it at each commit, so a crash
 * loses none) until the block is over, then the block is written: one store write per function and block, not
 * per minute. The console reads the store and the state's unwritten minutes ({@link #read}). Minutes of silence
 * are not written unless a tick moves the function through them (the console draws missing minutes as zero
 * calls), and the function's current minute is read from its state by the console. A late event (within the
 * grace) for a minute already closed is counted by the detectors but not in that minute's entry.
 */
public final class MinuteHistory {

    static final String STORE = "detectors-history-store";

    private final WindowStore<String, byte[]> store;
    private final long retentionMs;

    MinuteHistory(WindowStore<String, byte[]> store, long retentionMs) {
        this.store = store;
        this.retentionMs = retentionMs;
    }

    static StoreBuilder<WindowStore<String, byte[]>> builder(Duration retention) {
        // One write per key and minute: a cache would only delay it. The changelog's records are stamped on
        // append: stamped with event time, a replay of logs older than the changelog's retention (the store's
        // plus a day) would be deleted by the broker as it writes them, breaking the idempotent producer.
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                STORE, retention, Duration.ofMillis(MinuteSummary.BLOCK_MS), false),
                        Serdes.String(),
                        Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of("message.timestamp.type", "LogAppendTime"));
    }

    /**
     * Called before {@code state} is moved to stream time {@code time} (an event's, or a tick's): when that is a
     * later minute than the one the state is in, that minute joins the state's unwritten block, and the block is
     * written once {@code time} is past its end. The common case, an event in the function's current minute,
     * costs one comparison. A tick that finds the function due before its traffic bucket rolls closes the minute
     * too (an open incident's buckets roll on ticks, not on the function's events); the function's next event
     * may close the same minute again, with the same figures or later ones, which replace the first.
     */
    void beforeMoving(String key, FunctionState state, long time, DetectorSettings settings) {
        long newest = state.watermark();
        if (newest == Long.MIN_VALUE
                || time - Math.floorDiv(newest, MinuteSummary.MINUTE_MS) * MinuteSummary.MINUTE_MS
                        < MinuteSummary.MINUTE_MS) {
            return;
        }
        long open = MinuteSummary.openMinute(state, settings);
        if (time - open < MinuteSummary.MINUTE_MS) {
            return;
        }
        long block = MinuteSummary.blockStart(open);
        byte[] pending = state.historyBlock();
        if (pending != null && state.historyBlockStart() != block) {
            write(key, state, state.historyBlockStart(), pending, time); // a tick moved the open minute on
            pending = null;
        }
        pending = MinuteSummary.of(state, settings, open).addToBlock(block, pending);
        if (time >= block + MinuteSummary.BLOCK_MS) {
            write(key, state, block, pending, time);
            pending = null;
        }
        state.historyBlock(block, pending);
    }

    /**
     * Writes a block of {@code state}'s function; a minute of a block already written (closed again after the
     * block was) is merged into it, so that rewriting the block does not drop its other minutes. A function's
     * open minute only moves forward, so its blocks are written in order: a block later than the last one this
     * state object wrote cannot be in the store yet, and is written without reading the store first (a RocksDB
     * read per block write before, 2-3 % of the stream thread's time in {@code bench throughput}); the first write
     * after the state was read from the store, and a block written again, read it. A block that ended longer than
     * the retention before {@code now} (the last minutes of a function that was silent that long) is dropped
     * here: the store would refuse it, and log a warning for every such function that wakes up.
     */
    void write(String key, FunctionState state, long block, byte[] minutes, long now) {
        if (block + MinuteSummary.BLOCK_MS <= now - retentionMs) {
            return;
        }
        byte[] stored = block > state.historyWritten() ? null : store.fetch(key, block);
        store.put(key, stored == null ? minutes : MinuteSummary.mergeBlocks(block, stored, minutes), block);
        state.historyWritten(block);
    }

    /**
     * The minutes of {@code key} that start in [{@code from}, {@code to}), oldest first: the store's blocks and the
     * unwritten ones of its state ({@code state}, the function's state bytes, or null).
     */
    public static List<MinuteSummary> read(
            ReadOnlyWindowStore<String, byte[]> store, String key, byte[] state, long from, long to) {
        TreeMap<Long, MinuteSummary> minutes = new TreeMap<>();
        long first = MinuteSummary.blockStart(from);
        try (WindowStoreIterator<byte[]> it =
                store.fetch(key, Instant.ofEpochMilli(first), Instant.ofEpochMilli(Math.max(first, to - 1)))) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                for (MinuteSummary m : MinuteSummary.entry(kv.key, kv.value)) {
                    minutes.put(m.minuteStart(), m);
                }
            }
        }
        if (state != null) {
            FunctionState s = FunctionState.fromBytes(state);
            if (s.historyBlock() != null) {
                for (MinuteSummary m : MinuteSummary.entry(s.historyBlockStart(), s.historyBlock())) {
                    minutes.put(m.minuteStart(), m); // newer than a stored copy of the same minute
                }
            }
        }
        return new ArrayList<>(minutes.subMap(from, to).values());
    }
}
