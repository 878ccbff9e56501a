package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.detect.AccountConcurrency;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The accounts' write-back store: accounts and the clock reach the inner store (the changelog) at flush only. */
class AccountStoreTest {

    private KeyValueStore<String, byte[]> inner;
    private AccountStore store;

    @BeforeEach
    void init() {
        inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("a"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        store = new AccountStore(inner, 10);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void writesTheClockAndChangedAccountsOncePerFlush() {
        assertThat(store.clock()).isEqualTo(Long.MIN_VALUE);
        AccountConcurrency a = store.live("t|aws|1|eu");
        store.changed("t|aws|1|eu");
        store.clock(60_000);
        store.clock(120_000);
        assertThat(inner.get("t|aws|1|eu"))
                .as("nothing written before the flush")
                .isNull();
        assertThat(inner.get(AccountStore.CLOCK)).isNull();

        store.flushCache();
        assertThat(inner.get("t|aws|1|eu")).isEqualTo(a.toBytes());
        assertThat(ByteBuffer.wrap(inner.get(AccountStore.CLOCK)).getLong()).isEqualTo(120_000);
        assertThat(store.live("t|aws|1|eu")).as("still live, not read back").isSameAs(a);
    }

    @Test
    void forgetsUnwrittenStateAndReadsTheClockBackAfterARestart() {
        store.clock(60_000);
        store.flushCache();
        store.clock(180_000); // not flushed: a crash loses it with the uncommitted input
        store.live("t|aws|2|eu");
        store.changed("t|aws|2|eu");

        store.clearCache(); // a revived task
        assertThat(store.clock()).isEqualTo(60_000);
        assertThat(store.accounts()).isEmpty();
        assertThat(inner.get("t|aws|2|eu")).isNull();
    }

    @Test
    void listsWrittenAndLiveAccountsInKeyOrderWithoutTheClock() {
        store.live("t|aws|3|eu");
        store.changed("t|aws|3|eu");
        store.clock(60_000);
        store.flushCache();
        store.live("t|aws|1|eu"); // live only, not written yet
        store.changed("t|aws|1|eu");
        assertThat(store.accounts()).containsExactly("t|aws|1|eu", "t|aws|3|eu");

        store.delete("t|aws|3|eu");
        store.flushCache();
        assertThat(inner.get("t|aws|3|eu")).isNull();
        assertThat(store.accounts()).containsExactly("t|aws|1|eu");
    }

    @Test
    void aRestoredAccountReplacesItsLiveState() {
        AccountConcurrency live = store.live("t|aws|1|eu");
        store.restore("t|aws|1|eu", new AccountConcurrency().toBytes());
        store.restore(
                AccountStore.CLOCK, ByteBuffer.allocate(8).putLong(240_000).array());
        assertThat(store.live("t|aws|1|eu")).isNotSameAs(live);
        assertThat(store.clock()).isEqualTo(240_000);
    }
}
