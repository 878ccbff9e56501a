package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.detect.Defaults;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.Events;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.model.FunctionEvent;
import java.util.ArrayList;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write-back cache: what reaches the inner store, and when. */
class FunctionStateStoreTest {

    private KeyValueStore<String, byte[]> inner;
    private FunctionStateStore store;
    private long t = Events.T0;

    @BeforeEach
    void init() {
        inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        store = new FunctionStateStore(inner, 2);
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    /** Applies one invocation to the function's live state and marks it changed, as the processor does. */
    private FunctionState invoke(String key) {
        FunctionState s = store.state(key);
        FunctionEvent e = Events.invocation(key, t += 1_000, 120, false, FunctionEvent.SUCCESS);
        assertThat(s.apply(e, Defaults.settings(), new Emitter(e.key(), new ArrayList<>())))
                .isTrue();
        store.changed(key);
        return s;
    }

    @Test
    void writesChangedStatesOncePerFlushNotPerEvent() {
        FunctionState a = invoke("a");
        invoke("a");
        invoke("a");
        assertThat(inner.get("a")).as("nothing written before the flush").isNull();
        assertThat(store.get("a")).as("queries see the last flushed state").isNull();

        store.flushCache();
        assertThat(inner.get("a")).isEqualTo(a.toBytes());
        assertThat(FunctionState.fromBytes(inner.get("a")).watermark()).isEqualTo(t);
        assertThat(store.state("a")).as("still live, not read back").isSameAs(a);
    }

    @Test
    void evictingAChangedStateWritesItFirst() {
        FunctionState a = invoke("a");
        invoke("b");
        assertThat(inner.get("a")).isNull();
        invoke("c"); // over the limit of 2: "a" is the least recently used and changed
        assertThat(store.liveCount()).isEqualTo(2);
        assertThat(inner.get("a")).isEqualTo(a.toBytes());
        assertThat(inner.get("b")).isNull();

        FunctionState again = store.state("a");
        assertThat(again).isNotSameAs(a);
        assertThat(again.toBytes()).isEqualTo(a.toBytes());
    }

    @Test
    void aStateAskedForAgainOutlivesOneThatWasNot() {
        FunctionState a = invoke("a");
        FunctionState b = invoke("b");
        assertThat(store.state("a")).isSameAs(a); // asked for again
        invoke("c"); // over the limit of 2: "b" goes, though it came after "a"
        assertThat(store.liveKeys()).containsExactlyInAnyOrder("a", "c");
        assertThat(inner.get("b")).isEqualTo(b.toBytes());
        assertThat(store.state("a")).isSameAs(a);
        assertThat(inner.get("a")).as("still live, not written").isNull();
    }

    @Test
    void staysWithinItsLimitThroughManyEvictionsAndDiscards() {
        for (int i = 0; i < 1_000; i++) {
            invoke("f" + i);
            if (i % 7 == 0) {
                store.state("f0"); // a busy function: never evicted for long
            }
            if (i % 11 == 0) {
                store.discard("f" + i);
            }
            assertThat(store.liveCount()).isLessThanOrEqualTo(2);
        }
        store.flushCache();
        // every function but those discarded reached the inner store, written when evicted or flushed
        for (int i = 1; i < 1_000; i++) {
            assertThat(inner.get("f" + i) != null).as("f%d", i).isEqualTo(i % 11 != 0);
        }
    }

    @Test
    void changedAfterADiscardOrAnEvictionOfTheLastStateIsRefused() {
        store.state("a");
        store.discard("a");
        assertThatThrownBy(() -> store.changed("a")).isInstanceOf(IllegalStateException.class);
        store.state("b");
        store.state("c");
        store.state("d"); // over the limit of 2: "b" is evicted, "d" is the last asked for
        assertThatThrownBy(() -> store.changed("b")).isInstanceOf(IllegalStateException.class);
        store.changed("d");
        store.changed("c"); // not the last asked for: found by its key
        store.flushCache();
        assertThat(inner.get("c")).isNotNull();
        assertThat(inner.get("d")).isNotNull();
        assertThat(inner.get("b")).isNull();
    }

    @Test
    void discardFallsBackToTheLastWrittenBytes() {
        invoke("a");
        store.flushCache();
        byte[] flushed = inner.get("a");
        invoke("a");
        store.discard("a");
        store.flushCache();
        assertThat(inner.get("a")).as("the discarded change is not written").isEqualTo(flushed);
        assertThat(store.state("a").toBytes()).isEqualTo(flushed);
    }

    @Test
    void reinitialisingForgetsUnflushedChanges() {
        invoke("a");
        store.flushCache();
        byte[] flushed = inner.get("a");
        invoke("a");
        store.clearCache(); // what a revived task's init does before the changelog restores the store
        assertThat(store.state("a").toBytes()).isEqualTo(flushed);
        store.flushCache();
        assertThat(inner.get("a")).isEqualTo(flushed);
    }
}
