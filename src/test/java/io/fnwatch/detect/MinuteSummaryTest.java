package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
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
}
