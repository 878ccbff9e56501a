package io.fnwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    private static final long T = 1_772_409_600_000L; // 2026-03-02T00:00:00Z, a multiple of the tick

    private KeyValueStore<Bytes, byte[]> store;
    private DeadlineIndex index;

    @BeforeEach
    void init() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("d"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        index = new DeadlineIndex(store, 10_000);
    }

    @Test
    void shouldRoundDeadlinesUpToTheTickSoNoneRunsEarly() {
        assertThat(index.slot(T)).isEqualTo(T);
        assertThat(index.slot(T + 1)).isEqualTo(T + 10_000);
        assertThat(index.slot(T + 9_999)).isEqualTo(T + 10_000);
        assertThat(index.slot(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(index.slot(-5)).isZero();
    }

    @Test
    void shouldTakeExactlyTheFunctionsDueEarliestFirstWhateverBytesTheirNamesHold() {
        // names whose UTF-8 starts with high bytes sort after any ASCII name of the same slot, and must still be found
        index.move("default/aws/1/r/\uD83D\uDE80-rocket", Long.MIN_VALUE, T + 20_000);
        index.move("default/aws/1/r/\uffff", Long.MIN_VALUE, T + 10_000);
        index.move("default/aws/1/r/a", Long.MIN_VALUE, T + 20_000);
        index.move("default/aws/1/r/later", Long.MIN_VALUE, T + 30_000);
        index.move("default/aws/1/r/never", Long.MIN_VALUE, Long.MAX_VALUE);

        assertThat(index.takeDue(T + 19_999)).containsExactly("default/aws/1/r/\uffff");
        assertThat(index.takeDue(T + 20_000))
                .containsExactly("default/aws/1/r/a", "default/aws/1/r/\uD83D\uDE80-rocket");
        assertThat(index.takeDue(T + 20_000)).isEmpty(); // taken means removed
        assertThat(index.takeDue(Long.MAX_VALUE - 1)).containsExactly("default/aws/1/r/later");
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldMoveAFunctionsEntryInsteadOfAddingOneWhenItsFiledSlotIsKnown() {
        index.move("f", Long.MIN_VALUE, T + 10_000);
        index.move("f", T + 10_000, T + 10_000); // same slot: nothing to do
        index.move("f", T + 10_000, T + 40_000);
        index.move("g", Long.MIN_VALUE, T + 10_000);
        index.move("g", T + 10_000, Long.MAX_VALUE); // nothing pending any more

        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(index.takeDue(T + 40_000)).isEqualTo(List.of("f"));
    }

    @Test
    void shouldStillTakeAnEntryFiledBelowTheLastTick() {
        index.move("a", Long.MIN_VALUE, T + 20_000);
        assertThat(index.takeDue(T + 20_000)).containsExactly("a");
        // a function whose own time is behind the task's clock files a deadline the clock has already passed
        index.move("late", Long.MIN_VALUE, T + 10_000);
        index.move("b", Long.MIN_VALUE, T + 30_000);
        assertThat(index.takeDue(T + 30_000)).containsExactly("late", "b");
    }

    @Test
    void shouldStartEachTickWhereTheLastOneEndedNotAtTheBeginningOfTime() {
        index.move("a", Long.MIN_VALUE, T + 10_000);
        assertThat(index.takeDue(T + 10_000)).containsExactly("a");
        // what only a scan from 0 would meet (in RocksDB: the tombstones of every entry ever taken)
        store.put(DeadlineIndex.key(T, "stray"), new byte[0]);
        index.move("b", Long.MIN_VALUE, T + 20_000);
        assertThat(index.takeDue(T + 20_000)).containsExactly("b");
    }

    @Test
    void shouldScanFromTheBeginningOnceAfterARestart() {
        index.move("a", Long.MIN_VALUE, T + 10_000);
        DeadlineIndex restarted = new DeadlineIndex(store, 10_000);
        assertThat(restarted.takeDue(T + 20_000)).containsExactly("a");
    }
}
