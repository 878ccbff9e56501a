package io.fnwatch.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-back cache of deserialised states ({@code T}) in front of a logged RocksDB store of their bytes: the
 * detectors' state ({@link FunctionStateStore}) and the accounts' concurrency ({@link AccountStore}). An event
 * mutates its key's state object in place; the state is
 * serialised and written to RocksDB and the changelog once per commit (Kafka Streams writes out the
 * {@link WriteBackStore} before the transaction commits), or when it is evicted, instead of once per event.
 * That makes the changelog exactly as current as the ThreadCache of a cached store would, so exactly-once
 * holds.
 *
 * <p>Only the stream thread touches the cache. Interactive queries read the inner store: the state as of
 * the last commit (a state evicted since is newer, as a record evicted from Kafka's own cache would be).
 */
abstract class LiveStore<T> extends WriteBackStore<String, byte[]> implements ReadOnlyKeyValueStore<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(LiveStore.class);

    private static final class Live<T> {
        final String key;
        final T state;
        boolean dirty;
        /** Asked for since the clock hand last passed it ({@link #evictOne}). */
        boolean used;
        /** Its position in {@link #ring}. */
        int slot;

        Live(String key, T state) {
            this.key = key;
            this.state = state;
        }
    }

    final KeyValueStore<String, byte[]> inner;
    private final int limit;
    private final List<Live<T>> dirty = new ArrayList<>();
    /** The entry {@link #state} returned last. */
    private Live<T> last;

    private final Map<String, Live<T>> live = new HashMap<>(1024);
    /**
     * The live entries in no order, for eviction by the clock algorithm: beyond the limit, the hand passes over
     * entries asked for since its last pass (clearing their mark) and writes out and drops the first that was
     * not. It approximates least-recently-used without an access-ordered map, which relinked its list on every
     * event (two more cache misses per event on neighbouring entries).
     */
    private final List<Live<T>> ring = new ArrayList<>(1024);

    private int hand;

    LiveStore(KeyValueStore<String, byte[]> inner, int limit) {
        this.inner = inner;
        this.limit = limit;
    }

    /** A persistent, logged, uncached key-value store of bytes, for a subclass to wrap. */
    static StoreBuilder<KeyValueStore<String, byte[]>> bytesStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled();
    }

    /** The state of no bytes yet. */
    abstract T fresh();

    /** The state of these bytes; throws when they are unreadable. */
    abstract T read(byte[] bytes);

    abstract byte[] write(T state);

    /**
     * The key's current state, new if it was never seen. Unreadable bytes throw; the caller
     * dead-letters the event and the bytes stay as they are.
     */
    final T live(String key) {
        Live<T> l = live.get(key);
        if (l == null) {
            byte[] bytes = inner.get(key);
            l = new Live<>(key, bytes == null ? fresh() : read(bytes));
            if (live.size() >= limit) {
                evictOne();
            }
            live.put(key, l);
            l.slot = ring.size();
            ring.add(l);
        } else {
            l.used = true;
        }
        last = l;
        return l.state;
    }

    /** Writes out and drops one entry not asked for since the clock hand last passed it. */
    private void evictOne() {
        while (true) {
            if (hand >= ring.size()) {
                hand = 0;
            }
            Live<T> l = ring.get(hand);
            if (l.used) {
                l.used = false;
                hand++;
            } else {
                writeOut(l);
                drop(l);
                return;
            }
        }
    }

    private void drop(Live<T> l) {
        live.remove(l.key);
        Live<T> tail = ring.remove(ring.size() - 1);
        if (tail != l) {
            ring.set(l.slot, tail);
            tail.slot = l.slot;
        }
        if (l == last) {
            last = null;
        }
    }

    /** The state returned by {@link #live} for this key was changed: it is written at the next flush. */
    final void changed(String key) {
        // the key just asked for (the usual caller) needs no second lookup
        Live<T> l = last != null && last.key.equals(key) ? last : live.get(key);
        if (l == null) {
            throw new IllegalStateException("no live state for " + key);
        }
        if (!l.dirty) {
            l.dirty = true;
            dirty.add(l);
        }
    }

    /** Forgets the in-memory state (possibly half-updated by a failure): the last written bytes are the truth. */
    final void discard(String key) {
        Live<T> l = live.get(key);
        if (l != null) {
            l.dirty = false;
            drop(l);
        }
    }

    /** Forgets the key's state and deletes its bytes. */
    final void delete(String key) {
        discard(key);
        inner.delete(key);
    }

    /** The keys of the states held live (some not written yet), in no particular order. */
    final List<String> liveKeys() {
        return new ArrayList<>(live.keySet());
    }

    final int liveCount() {
        return live.size();
    }

    /** Writes the state if it changed; false when it could not be serialised (its bytes are then deleted). */
    private boolean writeOut(Live<T> l) {
        if (!l.dirty) {
            return true;
        }
        l.dirty = false;
        byte[] bytes;
        try {
            bytes = write(l.state);
        } catch (RuntimeException unwritable) {
            // A state that cannot be serialised (a bug, or a value beyond its format) must not fail every commit
            // of the task from now on: it is dropped and relearned, and said so.
            LOG.warn(
                    "{}: the state of {} could not be written and is relearned: {}",
                    name(),
                    l.key,
                    unwritable.toString());
            inner.delete(l.key);
            return false;
        }
        inner.put(l.key, bytes);
        return true;
    }

    @Override
    void writeChanged() {
        for (Live<T> l : dirty) {
            if (!writeOut(l) && live.get(l.key) == l) {
                discard(l.key);
            }
        }
        dirty.clear();
    }

    @Override
    void forgetCached() {
        live.clear();
        ring.clear();
        hand = 0;
        dirty.clear();
        last = null;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forgetCached(); // a revived task starts from what the changelog restored
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        forgetCached(); // closed clean only after a commit wrote it out; closed dirty, the changelog is the truth
        inner.close();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, byte[]> range(String from, String to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> all() {
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    /** Builds a live store around the inner store's builder; the inner store stays uncached. */
    static final class Builder<S extends LiveStore<?>> implements StoreBuilder<S> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
        private final Function<KeyValueStore<String, byte[]>, S> wrap;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner, Function<KeyValueStore<String, byte[]>, S> wrap) {
            this.inner = inner;
            this.wrap = wrap;
        }

        /** This store is its own cache: the inner store stays uncached either way. */
        @Override
        public StoreBuilder<S> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<S> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public S build() {
            return wrap.apply(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
