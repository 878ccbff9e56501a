package io.fnwatch.detect;

import static io.fnwatch.detect.Events.DAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Business-hours traffic in Berlin (40 calls a minute from 08:00 to 18:00 local time, 2 otherwise) across
 * the 2026-03-29 daylight-saving change: learned in local time the rhythm moves with the clock; learned in
 * UTC the same days look like spikes an hour early.
 */
class SeasonalityTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long START = Instant.parse("2026-03-09T00:00:00Z").toEpochMilli();
    private static final long DST = Instant.parse("2026-03-29T01:00:00Z").toEpochMilli();

    private static double businessHours(long t) {
        int hour = Instant.ofEpochMilli(t).atZone(BERLIN).getHour();
        return hour >= 8 && hour < 18 ? 40 : 2;
    }

    private static List<Alert> spikesAroundDst(ZoneId zone) {
        List<FunctionEvent> events = new Events("shop-api", 41)
                .invocations(START, DST + 5 * DAY, SeasonalityTest::businessHours, 80, 0.3, 0)
                .sorted();
        DetectorSettings base = Defaults.settings();
        TrafficSpikeModel.Settings t = base.of(TrafficSpikeModel.SPEC);
        DetectorSettings settings = DetectorSettings.none(Detectors.ALL, base.lateGraceMs())
                .with(TrafficSpikeModel.SPEC, t.withTimeZone(zone));
        return Events.detect(events, settings).stream()
                .filter(a ->
                        a.type() == AlertType.TRAFFIC_SPIKE && a.detectedAt().toEpochMilli() > DST - 5 * DAY)
                .toList();
    }

    @Test
    void shouldNotAlertWhenDaylightSavingMovesTheRhythmInTheConfiguredZone() {
        assertThat(spikesAroundDst(BERLIN)).isEmpty();
    }

    @Test
    void shouldSeeTheShiftedRhythmAsSpikesWhenLearnedInTheWrongZone() {
        assertThat(spikesAroundDst(ZoneId.of("UTC")))
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.detectedAt().toEpochMilli()).isGreaterThan(DST));
    }
}
