package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.AlertType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions of detectors in a registry, as models and settings are looked up by spec on every event. */
class DetectorsTest {

    @Test
    void shouldFindEachSpecAtItsPositionInAnyOrder() {
        List<DetectorSpec<?, ?>> reversed = new ArrayList<>(Detectors.ALL.list());
        Collections.reverse(reversed);
        for (Detectors d :
                List.of(Detectors.ALL, new Detectors(reversed), Detectors.ALL.plus(InvocationCeiling.SPEC))) {
            for (int i = 0; i < d.size(); i++) {
                assertThat(d.indexOf(d.get(i))).as(d.get(i).file()).isEqualTo(i);
                assertThat(d.indexOfStateId(d.get(i).stateId())).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldNotFindAnotherSpecWithATakenStateIdNorAnUnknownId() {
        DetectorSpec<?, ?> first = Detectors.ALL.get(0);
        DetectorSpec<?, ?> impostor =
                DetectorSpec.of("impostor", first.stateId(), InvocationCeiling::new, AlertType.TRAFFIC_SPIKE);
        assertThat(Detectors.ALL.indexOf(impostor)).isEqualTo(-1);
        assertThat(Detectors.ALL.indexOf(InvocationCeiling.SPEC)).isEqualTo(-1);
        for (int id : new int[] {-1, 0, 200, 255, 256, 10_000}) {
            assertThat(Detectors.ALL.indexOfStateId(id)).as("state id %d", id).isEqualTo(-1);
        }
    }
}
