package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.detect.MinuteSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartsTest {

    private static final long T0 = 1_772_546_400_000L;
    private static final long MIN = MinuteSummary.MINUTE_MS;

    @Test
    void shouldRoundAxisMaximaAndStepThemInRoundNumbers() {
        assertThat(Charts.nice(0.5)).isEqualTo(0.5);
        assertThat(Charts.nice(21)).isEqualTo(25);
        assertThat(Charts.nice(88)).isEqualTo(100);
        assertThat(Charts.nice(1900)).isEqualTo(2000);
        for (double v : new double[] {0.7, 1.1, 13, 21, 33, 47, 55, 61, 79, 88, 150, 1900, 2400, 7000}) {
            double max = Charts.nice(v);
            double step = max / Charts.gridLines(max);
            assertThat(max).isGreaterThanOrEqualTo(v);
            // a step is 1, 2 or 5 (or 3 and 4) times a power of ten: labels need at most one decimal
            double mantissa = Math.round(step / Math.pow(10, Math.floor(Math.log10(step))) * 1000) / 1000.0;
            assertThat(mantissa).as("step %s of max %s", step, max).isIn(1.0, 2.0, 3.0, 4.0, 5.0);
        }
    }

    @Test
    void shouldMarkMinutesOverTheThresholdAndDrawMissingMinutesAsZeroWithTheLastBand() {
        Charts c = new Charts(T0, T0 + 10 * MIN);
        List<MinuteSummary> m =
                List.of(summary(T0, 3, 4, 20), summary(T0 + 4 * MIN, 30, 4, 20), summary(T0 + 5 * MIN, 19, 4, 20));
        String svg = c.traffic(c.byMinute(m), List.of(new Charts.Span(T0 + 4 * MIN, T0 + 5 * MIN, -1, "spike")));
        assertThat(svg).containsOnlyOnce("class=\"over\"");
        assertThat(svg).contains("Peak 30", "1 minutes at or above the threshold", "1 incidents");
        assertThat(svg).contains(">OPEN<").doesNotContain(">RESOLVED<");
        assertThat(svg).doesNotContain("NaN");
    }

    @Test
    void shouldEscapeIncidentLabels() {
        Charts c = new Charts(T0, T0 + 10 * MIN);
        String svg = c.errors(c.byMinute(List.of()), List.of(new Charts.Span(T0, T0, T0 + MIN, "<script>x</script>")));
        assertThat(svg).contains("&lt;script&gt;").doesNotContain("<script>");
    }

    private static MinuteSummary summary(long t, int count, float expected, float threshold) {
        return new MinuteSummary(t, count, 0, 0, expected, threshold, 100, 200, 90, 180, false, false);
    }
}
