package io.fnwatch.topology;

import io.fnwatch.detect.AccountConcurrency;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The account aggregation's state ({@link AccountProcessor}): each account's {@link AccountConcurrency}, written back
 * once per commit ({@link LiveStore}), and the task's clock under {@link #CLOCK}, also written once per commit. A busy
 * account gets a slice from each of its functions every minute; read and written as bytes per slice, its ~1 KB
 * aggregation cost more than the slice itself.
 */
final class AccountStore extends LiveStore<AccountConcurrency> {

    /** Sorts after every account key ({@code tenant|...}). */
    static final String CLOCK = "\uffffclock";

    /**
     * Aggregations kept live per task (up to about 5 KiB of heap each, with eight slices of busy time); accounts are
     * few, so the limit only bounds a spread of them (forged account names): those not used lately are written
     * out and read back when their next slice comes.
     */
    static final int LIVE_LIMIT = 1_000;

    private long clock = Long.MIN_VALUE;
    private boolean clockRead;
    private boolean clockDirty;

    AccountStore(KeyValueStore<String, byte[]> inner, int limit) {
        super(inner, limit);
    }

    static StoreBuilder<AccountStore> builder(String name) {
        return new Builder<>(bytesStore(name), inner -> new AccountStore(inner, LIVE_LIMIT));
    }

    /** The largest slice end the task has seen (Long.MIN_VALUE before the first), as of its last write. */
    long clock() {
        if (!clockRead) {
            byte[] c = inner.get(CLOCK);
            clock = c == null ? Long.MIN_VALUE : ByteBuffer.wrap(c).getLong();
            clockRead = true;
        }
        return clock;
    }

    void clock(long t) {
        clock = t;
        clockRead = true;
        clockDirty = true;
    }

    /** Every account of the task, those written and those only live so far, in key order. */
    List<String> accounts() {
        Set<String> keys = new TreeSet<>(); // one order, however much was written out yet
        try (KeyValueIterator<String, byte[]> all = inner.all()) {
            while (all.hasNext()) {
                String k = all.next().key;
                if (!k.equals(CLOCK)) {
                    keys.add(k);
                }
            }
        }
        keys.addAll(liveKeys());
        return new ArrayList<>(keys);
    }

    /** Writes bytes as a changelog restore would, replacing any live state of the key (tests). */
    void restore(String key, byte[] bytes) {
        discard(key);
        inner.put(key, bytes);
        if (key.equals(CLOCK)) {
            clockRead = false;
        }
    }

    @Override
    void writeChanged() {
        super.writeChanged();
        if (clockDirty) {
            inner.put(CLOCK, ByteBuffer.allocate(8).putLong(clock).array());
            clockDirty = false;
        }
    }

    @Override
    void forgetCached() {
        super.forgetCached();
        clockRead = false;
        clockDirty = false;
    }

    @Override
    AccountConcurrency fresh() {
        return new AccountConcurrency();
    }

    @Override
    AccountConcurrency read(byte[] bytes) {
        return AccountConcurrency.fromBytes(bytes);
    }

    @Override
    byte[] write(AccountConcurrency state) {
        return state.toBytes();
    }
}
