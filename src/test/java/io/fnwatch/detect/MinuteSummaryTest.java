package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinuteSummaryTest {

    @Test
    void shouldRoundTripItsFiguresInAFewBytes() {
        MinuteSummary m =
                new MinuteSummary(120_000, 70_000, 3, 0, 12.5f, 40f, 110f, 300f, Float.NaN, 280f, true, false);
        byte[] b = m.toBytes();
        assertThat(b.length).isBetween(30, 36);
        assertThat(MinuteSummary.fromBytes(120_000, b)).isEqualTo(m);
    }

    @Test
    void shouldRefuseTruncatedBytesAndIgnoreAnotherVersion() {
        byte[] b = new MinuteSummary(0, 1, 0, 0, 1, 2, 3, 4, 5, 6, false, true).toBytes();
        assertThatThrownBy(() -> MinuteSummary.fromBytes(0, Arrays.copyOf(b, b.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        b[0] = 9;
        assertThat(MinuteSummary.fromBytes(0, b)).isNull();
        assertThatThrownBy(() -> MinuteSummary.fromBytes(0, new byte[] {
                    1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff
                }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final long B = 7 * MinuteSummary.BLOCK_MS; // a block's start
    private static final long MINUTE = MinuteSummary.MINUTE_MS;

    private static MinuteSummary minute(int offset, int count) {
        // counts of 1, 2 and 3 varint bytes, so that finding a block's last minute must skip them right
        return new MinuteSummary(
                B + offset * MINUTE,
                count,
                count / 7,
                count / 3,
                1.5f,
                9f,
                100f,
                250f,
                90f,
                240f,
                offset % 2 == 0,
                offset % 3 == 0);
    }

    @Test
    void shouldAppendMinutesToABlockAndReadThemBackInOrder() {
        byte[] block = null;
        int[] counts = {200, 70_000, 0, 16_384, 127};
        for (int i = 0; i < counts.length; i++) {
            block = minute(i, counts[i]).addToBlock(B, block);
        }
        List<MinuteSummary> read = MinuteSummary.entry(B, block);
        assertThat(read).hasSize(counts.length);
        for (int i = 0; i < counts.length; i++) {
            assertThat(read.get(i)).isEqualTo(minute(i, counts[i]));
        }
    }

    @Test
    void shouldReplaceAMinuteClosedAgainAndKeepGaps() {
        byte[] block = minute(2, 10).addToBlock(B, minute(0, 4).addToBlock(B, null));
        block = minute(2, 12).addToBlock(B, block); // the same minute again: the later figures win
        block = minute(0, 6).addToBlock(B, block); // an earlier one again, out of order
        byte[] replaced = minute(4, 1).addToBlock(B, block);
        assertThat(minute(4, 2).addToBlock(B, replaced)) // the last minute again: replaced, not appended
                .hasSameSizeAs(replaced);
        block = replaced;
        assertThat(MinuteSummary.entry(B, block))
                .extracting(MinuteSummary::minuteStart, MinuteSummary::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(B, 6),
                        org.assertj.core.groups.Tuple.tuple(B + 2 * MINUTE, 12),
                        org.assertj.core.groups.Tuple.tuple(B + 4 * MINUTE, 1));
        assertThatThrownBy(() -> minute(MinuteSummary.BLOCK_MINUTES, 1).addToBlock(B, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        new MinuteSummary(B - MINUTE, 1, 0, 0, 0, 0, 0, 0, 0, 0, false, false).addToBlock(B, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMergeBlocksWithTheNewerMinutesWinning() {
        byte[] older = minute(1, 300).addToBlock(B, minute(0, 1).addToBlock(B, null));
        byte[] newer = minute(4, 2).addToBlock(B, minute(1, 301).addToBlock(B, null));
        assertThat(MinuteSummary.entry(B, MinuteSummary.mergeBlocks(B, older, newer)))
                .extracting(MinuteSummary::count)
                .containsExactly(1, 301, 2);
    }

    @Test
    void shouldReadASingleMinuteEntryAndRefuseABrokenBlock() {
        MinuteSummary one = new MinuteSummary(B, 3, 0, 0, 1, 2, 3, 4, 5, 6, false, false);
        assertThat(MinuteSummary.entry(B, one.toBytes())).containsExactly(one);
        byte[] block = minute(1, 70_000).addToBlock(B, minute(0, 1).addToBlock(B, null));
        assertThatThrownBy(() -> MinuteSummary.entry(B, Arrays.copyOf(block, block.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] badOffset = block.clone();
        badOffset[1] = 12;
        assertThatThrownBy(() -> MinuteSummary.entry(B, badOffset)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MinuteSummary.entry(B, new byte[] {9, 1, 2})).isEmpty(); // another version: nothing drawn
        assertThat(MinuteSummary.entry(B, new byte[0])).isEmpty();
    }
}
