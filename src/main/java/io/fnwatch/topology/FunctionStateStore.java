package io.fnwatch.topology;

import io.fnwatch.detect.FunctionState;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** The detectors' state: each function's {@link FunctionState}, written back once per commit ({@link LiveStore}). */
final class FunctionStateStore extends LiveStore<FunctionState> {

    /** Deserialised states kept per task (about 4.6 KiB of heap each); beyond, states not used lately are written out. */
    static final int LIVE_LIMIT = 10_000;

    /** The task's detection, shared by the processors that feed it ({@link Detection#of}); null until asked. */
    private Detection detection;

    FunctionStateStore(KeyValueStore<String, byte[]> inner, int limit) {
        super(inner, limit);
    }

    /** The task's detection, made with {@code create} on first use after the store was (re)initialised. */
    Detection detection(Supplier<Detection> create) {
        if (detection == null) {
            detection = create.get();
        }
        return detection;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        detection = null; // a revived task starts from what the changelog restored, clock included
        super.init(context, root);
    }

    @Override
    public void close() {
        detection = null;
        super.close();
    }

    /** The builder to add to the topology: a persistent, logged, uncached key-value store wrapped by this. */
    static StoreBuilder<FunctionStateStore> builder(String name, int limit) {
        return new Builder<>(bytesStore(name), inner -> new FunctionStateStore(inner, limit));
    }

    /** The function's current state, new if it was never seen; unreadable bytes throw. */
    FunctionState state(String key) {
        return live(key);
    }

    @Override
    FunctionState fresh() {
        return new FunctionState();
    }

    @Override
    FunctionState read(byte[] bytes) {
        return FunctionState.fromBytes(bytes);
    }

    @Override
    byte[] write(FunctionState state) {
        return state.toBytes();
    }
}
