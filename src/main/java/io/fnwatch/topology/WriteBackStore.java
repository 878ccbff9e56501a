package io.fnwatch.topology;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The one place fnwatch depends on Kafka Streams internals: a store with a write-back cache that Kafka Streams
 * writes out before every commit, as it does its own record caches.
 *
 * <p>Why an internal interface: in Kafka Streams 4.4 the only store hook that runs before the producer's
 * {@code commitTransaction} is {@link CachedStateStore#flushCache()} ({@code StreamTask.prepareCommit} calls
 * {@code StreamTask.flush}, which calls {@code ProcessorStateManager.flushCache}, which calls it on every
 * registered store that is a {@code CachedStateStore}), at each commit, on revocation, on close and when a task
 * is closed dirty. The public {@link StateStore#commit} runs in {@code postCommit}, after the transaction has
 * committed, and under exactly-once on a running task not at all at a regular commit: a cache written there
 * would reach the changelog one transaction late, or never, and a crash would lose committed input's state.
 * Processors have no commit hook, and Kafka's own caching store holds serialised bytes, so it would cost a
 * serialisation and a deserialisation of each function's state per event.
 *
 * <p>If a Kafka upgrade removes or renames this interface, this class stops compiling; if it stops calling it
 * before commits, {@code WriteBackStoreContractTest} (TopologyTestDriver, the same task code path) and
 * {@code WriteBackStoreIT} (a real broker, a stream thread crashing after commits) fail.
 */
abstract class WriteBackStore<K, V> implements StateStore, CachedStateStore<K, V> {

    /**
     * Writes every changed entry to the inner store, so to its changelog: Kafka Streams calls this before the
     * transaction (or the offsets) of each commit, and before a dirty close.
     */
    abstract void writeChanged();

    /** Forgets the cached entries without writing them: their last written bytes are the truth. */
    abstract void forgetCached();

    @Override
    public final void flushCache() {
        writeChanged();
    }

    /** Called by Kafka Streams when it recycles a task's stores, after they were committed. */
    @Override
    public final void clearCache() {
        forgetCached();
    }

    /** No downstream listener: this cache forwards nothing, the processor forwards what it emits itself. */
    @Override
    public final boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }
}
