package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
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

    @Test
    void shouldHandEachDetectorOnlyTheKindsOfEventItDeclares() {
        DetectorSpec<?, ?> invocations = DetectorSpec.of(
                        "invocations", 202, InvocationCeiling::new, AlertType.TRAFFIC_SPIKE)
                .withEvents(EventKind.INVOCATION, EventKind.ERROR);
        Detectors d = new Detectors(List.of(InvocationCeiling.SPEC, invocations));
        Detectors other =
                new Detectors(List.of(DetectorSpec.of("other", 201, InvocationCeiling::new, AlertType.TRAFFIC_SPIKE)
                        .withEvents(EventKind.START)));
        for (EventKind k : EventKind.values()) {
            int bit = Detectors.eventBit(k);
            assertThat(d.reads(0, bit)).as("undeclared: every kind, %s", k).isTrue();
            assertThat(d.reads(1, bit))
                    .as("declared, %s", k)
                    .isEqualTo(k == EventKind.INVOCATION || k == EventKind.ERROR);
            assertThat(other.reads(0, bit)).as("only START, %s", k).isEqualTo(k == EventKind.START);
        }
        assertThat(d.reads(1, Detectors.eventBit(null)))
                .as("an event without a kind reaches everyone")
                .isTrue();
    }

    @Test
    void shouldDeclareTheKindsTheProductionDetectorsRead() {
        // what each onEvent returns at once for: a timeout is an ERROR the duration test counts
        assertThat(TrafficSpikeModel.SPEC.events()).containsExactly(EventKind.INVOCATION);
        assertThat(CostSpikeModel.SPEC.events()).containsExactly(EventKind.INVOCATION);
        assertThat(DurationModel.SPEC.events()).containsExactlyInAnyOrder(EventKind.INVOCATION, EventKind.ERROR);
        assertThat(ErrorBurstModel.SPEC.events()).containsExactlyInAnyOrder(EventKind.INVOCATION, EventKind.ERROR);
        // these move their own clocks (or look for secrets) on every event
        for (DetectorSpec<?, ?> s : List.of(
                StaleFunctionModel.SPEC,
                SecretLeakModel.SPEC,
                DenialBurstModel.SPEC,
                ConcurrencyModel.SPEC,
                MetricAnomalyDetector.SPEC)) {
            assertThat(s.events()).as(s.file()).isNull();
        }
    }
}
