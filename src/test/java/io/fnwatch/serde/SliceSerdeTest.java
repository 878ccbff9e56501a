package io.fnwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.Json;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SliceSerdeTest {

    private static final ConcurrencySlice SLICE = new ConcurrencySlice(
            "acme",
            "aws",
            "123456789012",
            "eu-west-1",
            "orders-\uD83D\uDE80-<script>",
            1_772_409_600_000L,
            60_000L,
            1_000L,
            new double[] {0, 1000, 2.5e-7, 999.9999999999, Double.MIN_VALUE, 1e300},
            1_772_409_661_234L);

    @Test
    void shouldReadBackExactlyWhatItWrote() {
        ConcurrencySlice back = SliceSerde.read(SliceSerde.bytes(SLICE));
        assertThat(back).usingRecursiveComparison().isEqualTo(SLICE);
        assertThat(SliceSerde.bytes(SLICE).length).isLessThan(Json.bytes(SLICE).length);
    }

    @Test
    void shouldKeepNullNamesNull() {
        ConcurrencySlice s = new ConcurrencySlice(null, "aws", null, "r", null, 0, 60_000, 1_000, new double[0], 5);
        assertThat(SliceSerde.read(SliceSerde.bytes(s)))
                .usingRecursiveComparison()
                .isEqualTo(s);
    }

    @Test
    void shouldStillReadSlicesWrittenAsJsonBeforeTheUpgrade() {
        assertThat(SliceSerde.read(Json.bytes(SLICE)))
                .usingRecursiveComparison()
                .isEqualTo(SLICE);
    }

    @Test
    void shouldRefuseHostileBytesWithASerializationErrorNeverAnotherException() {
        byte[] good = SliceSerde.bytes(SLICE);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> SliceSerde.read(truncated)).isInstanceOf(SerializationException.class);
        }
        byte[] huge = good.clone();
        huge[1 + 4 + 4] = 0x7f; // the tenant's length (4 bytes after the version byte) made enormous
        assertThatThrownBy(() -> SliceSerde.read(huge)).isInstanceOf(SerializationException.class);
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] noise = new byte[1 + random.nextInt(120)];
            random.nextBytes(noise);
            if (noise[0] == '{') {
                noise[0] = 1; // JSON is Jackson's to refuse
            }
            try {
                SliceSerde.read(noise);
            } catch (SerializationException expected) {
                // refused with the kind of error Streams' deserialization handler logs and skips
            }
        }
    }
}
