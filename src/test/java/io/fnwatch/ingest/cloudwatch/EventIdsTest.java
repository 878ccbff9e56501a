package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final String A = "37820000000000000000000000000000000000000000000000000001";
    private static final String B = "37820000000000000000000000000000000000000000000000000002";
    private static final String C = "37820000000000000000000000000000000000000000000000000003";

    @Test
    void shouldKeepTheNewestIdsWhenMoreThanTheLimitAreAdded() {
        EventIds ids = EventIds.empty().plus(List.of(Map.entry(A, 100L), Map.entry(B, 300L), Map.entry(C, 200L)), 2);

        assertThat(ids.size()).isEqualTo(2);
        assertThat(ids.contains(A)).isFalse();
        assertThat(ids.contains(B)).isTrue();
        assertThat(ids.contains(C)).isTrue();
    }

    @Test
    void shouldForgetIdsOlderThanTheNextQueryAndSurviveEncodingWhenCheckpointed() {
        EventIds ids = EventIds.empty()
                .plus(List.of(Map.entry(A, 100L), Map.entry(B, 300L)), 10)
                .since(200);

        EventIds decoded = EventIds.decode(ids.encode());

        assertThat(decoded.size()).isEqualTo(1);
        assertThat(decoded.contains(B)).isTrue();
        assertThat(decoded.contains(A)).isFalse();
        assertThat(EventIds.decode(null).size()).isZero();
    }
}
