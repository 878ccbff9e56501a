package io.fnwatch.topology;

import io.fnwatch.detect.FunctionState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The detectors' state: a write-back cache of deserialised {@link FunctionState}s in front of a logged
 * RocksDB store of their bytes. An event mutates its function's state object in place; the state is
 * serialised and written to RocksDB and the changelog once per commit (Kafka Streams writes out the
 * {@link WriteBackStore} before the transaction commits), or when it is evicted, instead of once per event.
 * That makes the changelog exactly as current as the ThreadCache of a cached store would, so exactly-once
 * holds.
 *
 * <p>Only the stream thread touches the cache. Interactive queries read the inner store: the state as of
 * the last commit (a state evicted since is newer, as a record evicted from Kafka's own cache would be).
 */
final class FunctionStateStore extends WriteBackStore<String, byte[]> implements ReadOnlyKeyValueStore<String, byte[]> {

    /** Deserialised states kept per task (about 4.6 KiB of heap each); the least recently used beyond are written out. */
    static final int LIVE_LIMIT = 10_000;

    private static final class Live {
        final String key;
        final FunctionState state;
        boolean dirty;

        Live(String key, FunctionState state) {
            this.key = key;
            this.state = state;
        }
    }

    private final KeyValueStore<String, byte[]> inner;
    private final int limit;
    private final List<Live> dirty = new ArrayList<>();
    /** The entry {@link #state} returned last. */
    private Live last;

    private final Map<String, Live> live = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
            if (size() <= limit) {
                return false;
            }
            writeOut(eldest.getValue());
            if (eldest.getValue() == last) {
                last = null;
            }
            return true;
        }
    };

    FunctionStateStore(KeyValueStore<String, byte[]> inner, int limit) {
        this.inner = inner;
        this.limit = limit;
    }

    /** The builder to add to the topology: a persistent, logged, uncached key-value store wrapped by this. */
    static StoreBuilder<FunctionStateStore> builder(String name, int limit) {
        return new Builder(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                        .withCachingDisabled(),
                limit);
    }

    /**
     * The function's current state, new if it was never seen. Unreadable bytes throw; the caller
     * dead-letters the event and the bytes stay as they are.
     */
    FunctionState state(String key) {
        Live l = live.get(key);
        if (l == null) {
            byte[] bytes = inner.get(key);
            l = new Live(key, bytes == null ? new FunctionState() : FunctionState.fromBytes(bytes));
            live.put(key, l);
        }
        last = l;
        return l.state;
    }

    /** The state returned by {@link #state} for this key was changed: it is written at the next flush. */
    void changed(String key) {
        // the key just asked for (the usual caller) needs no second lookup
        Live l = last != null && last.key.equals(key) ? last : live.get(key);
        if (l == null) {
            throw new IllegalStateException("no live state for " + key);
        }
        if (!l.dirty) {
            l.dirty = true;
            dirty.add(l);
        }
    }

    /** Forgets the in-memory state (possibly half-updated by a failure): the last written bytes are the truth. */
    void discard(String key) {
        Live l = live.remove(key);
        if (l != null) {
            l.dirty = false;
        }
        if (l == last) {
            last = null;
        }
    }

    int liveCount() {
        return live.size();
    }

    private void writeOut(Live l) {
        if (l.dirty) {
            inner.put(l.key, l.state.toBytes());
            l.dirty = false;
        }
    }

    @Override
    void writeChanged() {
        for (Live l : dirty) {
            writeOut(l);
        }
        dirty.clear();
    }

    @Override
    void forgetCached() {
        live.clear();
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

    private static final class Builder implements StoreBuilder<FunctionStateStore> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
        private final int limit;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner, int limit) {
            this.inner = inner;
            this.limit = limit;
        }

        /** This store is its own cache: the inner store stays uncached either way. */
        @Override
        public StoreBuilder<FunctionStateStore> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<FunctionStateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<FunctionStateStore> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<FunctionStateStore> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public FunctionStateStore build() {
            return new FunctionStateStore(inner.build(), limit);
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
