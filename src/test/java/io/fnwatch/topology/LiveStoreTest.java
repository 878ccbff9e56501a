package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** A state that cannot be serialised costs that state, never the commits of the task. */
class LiveStoreTest {

    /** States are text; text over 10 characters cannot be written (as a 70 KB name cannot in writeUTF). */
    private static final class TextStore extends LiveStore<StringBuilder> {
        TextStore(KeyValueStore<String, byte[]> inner) {
            super(inner, 10);
        }

        @Override
        StringBuilder fresh() {
            return new StringBuilder();
        }

        @Override
        StringBuilder read(byte[] bytes) {
            return new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        byte[] write(StringBuilder state) {
            if (state.length() > 10) {
                throw new IllegalArgumentException("too long: " + state.length());
            }
            return state.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void dropsAnUnwritableStateAndWritesTheOthers() {
        KeyValueStore<String, byte[]> inner = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("t"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        TextStore store = new TextStore(inner);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.live("bad").append("short");
        store.changed("bad");
        store.flushCache();
        assertThat(inner.get("bad")).isEqualTo("short".getBytes(StandardCharsets.UTF_8));

        store.live("bad").append(" and now far too long");
        store.changed("bad");
        store.live("good").append("ok");
        store.changed("good");
        store.flushCache(); // must not throw: a commit that always failed would stop the task for good

        assertThat(inner.get("good")).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
        assertThat(inner.get("bad"))
                .as("its old bytes are deleted, not left behind the live state")
                .isNull();
        assertThat(store.live("bad").toString()).as("relearned from nothing").isEmpty();
    }
}
