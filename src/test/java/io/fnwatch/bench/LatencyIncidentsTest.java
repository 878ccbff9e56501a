package io.fnwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.ingest.RawRecords;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class LatencyIncidentsTest {

    private static final long NOW = Instant.parse("2026-03-03T12:00:00Z").toEpochMilli();
    private final DetectorConfig detectors = DetectorConfig.load(null, 300_000L);
    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private List<Alert> replay(List<LatencyIncidents.Raw> records) {
        FunctionState state = new FunctionState();
        List<Alert> alerts = new ArrayList<>();
        for (LatencyIncidents.Raw r : records) {
            for (FunctionEvent e : parser.parse(r.value()).events()) {
                state.apply(e, detectors.forFunction(e.key()), new Emitter(e.key(), alerts));
            }
        }
        return alerts;
    }

    @Test
    void shouldRaiseTheAlertOnlyWithTheCompletingRecordWhenDetectorsAreBuiltIn() {
        LatencyIncidents plans = new LatencyIncidents(detectors, ParserSettings.DEFAULTS);
        for (int i = 0; i < 3; i++) {
            LatencyIncidents.Planned p = plans.plan(i, NOW);
            List<LatencyIncidents.Raw> all = new ArrayList<>(p.buildUp());
            all.add(p.completing());

            assertThat(replay(p.buildUp())).noneMatch(a -> a.type() == p.type());
            assertThat(replay(all))
                    .filteredOn(a -> a.type() == p.type())
                    .singleElement()
                    .satisfies(a -> assertThat(a.function()).isEqualTo(p.function()));
            assertThat(p.completing().timestamp()).isBetween(NOW - 1_000, NOW);
        }
    }

    @Test
    void shouldBuildUpEachKindAsPlannedWhenDetectorsAreBuiltIn() {
        LatencyIncidents plans = new LatencyIncidents(detectors, ParserSettings.DEFAULTS);

        LatencyIncidents.Planned stale = plans.plan(0, NOW);
        LatencyIncidents.Planned secret = plans.plan(1, NOW);
        LatencyIncidents.Planned denied = plans.plan(2, NOW);

        assertThat(List.of(stale.type(), secret.type(), denied.type()))
                .containsExactly(
                        AlertType.STALE_FUNCTION_INVOKED, AlertType.SECRET_IN_LOGS, AlertType.PERMISSION_DENIED_BURST);
        assertThat(stale.buildUp()).hasSize(2).allMatch(r -> r.timestamp() < NOW - 30L * 86_400_000L);
        assertThat(secret.buildUp()).hasSize(1);
        // five new actions, each weighing 2, reach the floor of 10
        assertThat(denied.buildUp()).hasSize(4);
    }

    @Test
    void shouldKeyRecordsAsReplayDoesWhenPlanningOrLoading() {
        LatencyIncidents.Planned p = new LatencyIncidents(detectors, ParserSettings.DEFAULTS).plan(5, NOW);
        ParseResult parsed = parser.parse(p.completing().value());
        ProducerRecord<String, byte[]> replayed =
                RawRecords.of("t", p.completing().value(), parsed);

        assertThat(p.key()).isEqualTo(replayed.key());
        assertThat(p.completing().timestamp()).isEqualTo(replayed.timestamp());

        BackgroundLoad load = new BackgroundLoad("t", 3, 1, ParserSettings.DEFAULTS);
        for (int i = 0; i < 12; i++) {
            ProducerRecord<String, byte[]> r = load.next(NOW + i);
            ParseResult events = parser.parse(r.value());
            assertThat(events.rejections()).isEmpty();
            assertThat(r.key()).isEqualTo(RawRecords.of("t", r.value(), events).key());
            assertThat(FunctionKey.parse(r.key()).function()).isEqualTo(String.format("load-%05d", i % 3));
        }
    }
}
