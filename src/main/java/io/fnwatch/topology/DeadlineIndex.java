package io.fnwatch.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * When each function's detectors next need stream time ({@code Detector.deadline}), ordered by that time, so a
 * tick reads only the functions that are due and never scans the detectors' state: a million functions with
 * nothing pending cost nothing per tick. Keys are the deadline, rounded up to the tick, as 8 big-endian bytes
 * (RocksDB orders keys as unsigned bytes; deadlines are positive epoch milliseconds), then the function key;
 * values are empty. An entry may be earlier than the function's real deadline (its deadline moved later, or its
 * state was reloaded and the old entry not removed): a tick that finds it reads the function's real deadline and
 * files it again, so an early entry costs one read and a deadline is never lost. Logged and cached like any
 * store, so it is restored with the state it indexes.
 */
final class DeadlineIndex {

    static final String STORE = "detectors-deadlines-store";
    private static final byte[] EMPTY = new byte[0];
    /**
     * Where the clock is kept: 8 bytes of 0xff sort after every entry (whose first byte, a positive deadline's,
     * is at most 0x7f), so no range of due functions ever reaches it.
     */
    private static final Bytes CLOCK = key(-1L, "");

    private final KeyValueStore<Bytes, byte[]> store;
    private final long tickMs;
    /**
     * The lowest slot that may still hold an entry: a tick takes every entry up to its time, so the next one
     * starts its range there, not at 0, unless an entry was filed lower since. Taken entries are deleted, and a
     * range from 0 would step over every one of those deletions (RocksDB keeps them as tombstones until
     * compaction) on every tick: a cost that grew with the hours replayed. 0 until this instance's first tick.
     */
    private long low;

    DeadlineIndex(KeyValueStore<Bytes, byte[]> store, long tickMs) {
        this.store = store;
        this.tickMs = tickMs;
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    /** The tick a deadline is filed under: rounded up, so it is never run early. MAX_VALUE stays (none). */
    long slot(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return -Math.floorDiv(-Math.max(0, deadline), tickMs) * tickMs;
    }

    /**
     * Files {@code function} under {@code slot} instead of {@code filed} (both slots; MAX_VALUE: none; MIN_VALUE
     * for {@code filed}: unknown, nothing is removed).
     */
    void move(String function, long filed, long slot) {
        if (filed == slot) {
            return;
        }
        if (filed != Long.MAX_VALUE && filed != Long.MIN_VALUE) {
            store.delete(key(filed, function));
        }
        if (slot != Long.MAX_VALUE) {
            store.put(key(slot, function), EMPTY);
            low = Math.min(low, slot);
        }
    }

    /**
     * Removes and returns the functions filed at or before {@code now}, earliest first (the range ends at the
     * bare 8 bytes of {@code now + 1}, which sort after every entry of {@code now} and before any of its own).
     */
    List<String> takeDue(long now) {
        List<Bytes> due = new ArrayList<>();
        if (now < low) {
            return List.of();
        }
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(low, ""), key(now + 1, ""))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                due.add(kv.key);
            }
        }
        List<String> functions = new ArrayList<>(due.size());
        for (Bytes k : due) {
            store.delete(k);
            byte[] b = k.get();
            functions.add(new String(b, 8, b.length - 8, StandardCharsets.UTF_8));
        }
        low = now + 1;
        return functions;
    }

    /** The slot the task's clock last ticked at, or Long.MIN_VALUE when it never did. */
    long clock() {
        byte[] v = store.get(CLOCK);
        return v == null || v.length != 8 ? Long.MIN_VALUE : ByteBuffer.wrap(v).getLong();
    }

    /** Stores the slot the task's clock ticked at: written with the state, so a restarted task ticks alike. */
    void clock(long slot) {
        store.put(CLOCK, ByteBuffer.allocate(8).putLong(slot).array());
    }

    /** The tick-aligned slot holding {@code t} (rounded down). */
    long slotOf(long t) {
        return Math.floorDiv(t, tickMs) * tickMs;
    }

    static Bytes key(long slot, String function) {
        byte[] name = function.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(ByteBuffer.allocate(8).putLong(slot).array(), 8 + name.length);
        System.arraycopy(name, 0, k, 8, name.length);
        return Bytes.wrap(k);
    }
}
