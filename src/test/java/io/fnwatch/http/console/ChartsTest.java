package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.detect.MinuteSummary;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
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

    @Test
    void shouldMergeTheLabelsOfAOneMinuteIncidentIntoOneThatCrossesNeitherLine() {
        for (int hours : new int[] {1, 6, 24, 48}) {
            Charts c = new Charts(T0, T0 + hours * 60 * MIN);
            long at = T0 + hours * 30 * MIN; // the middle
            String svg = c.traffic(
                    c.byMinute(List.of()), List.of(new Charts.Span(at - MIN, at, at + MIN, "spike <b>1</b>")));
            Document d = Jsoup.parse(svg, "", Parser.xmlParser());
            Elements labels = d.select("text.marker");
            assertThat(labels).as(hours + " h").hasSize(1);
            assertThat(labels.text()).isEqualTo("OPEN–RESOLVED");
            double[] box = box(labels.first());
            for (Element line : d.select("line.open, line.resolved")) {
                double x = Double.parseDouble(line.attr("x1"));
                assertThat(x < box[0] || x > box[1])
                        .as("%d h: line at %s, label %s-%s", hours, x, box[0], box[1])
                        .isTrue();
            }
            // the text alternatives stay: each line and the span are titled
            assertThat(d.select("line.open > title").text()).startsWith("OPEN ").endsWith("spike <b>1</b>");
            assertThat(d.select("line.resolved > title").text()).startsWith("RESOLVED ");
            assertThat(d.select("rect.span > title").text()).isEqualTo("spike <b>1</b>");
        }
    }

    @Test
    void shouldLayTheLabelsOfIncidentsCloseTogetherOutWithoutOverlap() {
        Charts c = new Charts(T0, T0 + 24 * 60 * MIN);
        List<Charts.Span> spans = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(18);
        for (int i = 0; i < 12; i++) { // short and long, open and resolved, crowded in two hours and at the edges
            long start = T0 + (i < 10 ? 600 + random.nextInt(120) : i == 10 ? 0 : 1439) * MIN;
            long resolved = i % 3 == 0 ? -1 : start + (1 + random.nextInt(i % 2 == 0 ? 3 : 200)) * MIN;
            spans.add(new Charts.Span(start, start, resolved, "incident " + i));
        }
        Document d = Jsoup.parse(c.traffic(c.byMinute(List.of()), spans), "", Parser.xmlParser());
        Elements labels = d.select("text.marker");
        assertThat(labels).isNotEmpty();
        List<double[]> boxes = labels.stream().map(ChartsTest::box).toList();
        for (int i = 0; i < boxes.size(); i++) {
            double[] a = boxes.get(i);
            assertThat(a[0]).isGreaterThanOrEqualTo(0);
            assertThat(a[1]).isLessThanOrEqualTo(Charts.W);
            for (int j = i + 1; j < boxes.size(); j++) {
                double[] b = boxes.get(j);
                boolean apart = a[2] != b[2] || a[1] <= b[0] || b[1] <= a[0];
                assertThat(apart)
                        .as("labels %s and %s", labels.get(i), labels.get(j))
                        .isTrue();
            }
        }
        // every marker keeps its line and title, whether or not its label found room
        assertThat(d.select("line.open > title")).hasSize(12);
    }

    @Test
    void shouldLabelALongIncidentInsideItsSpanOnOneRow() {
        Charts c = new Charts(T0, T0 + 60 * MIN);
        String svg = c.traffic(
                c.byMinute(List.of()), List.of(new Charts.Span(T0 + 10 * MIN, T0 + 10 * MIN, T0 + 40 * MIN, "long")));
        Document d = Jsoup.parse(svg, "", Parser.xmlParser());
        assertThat(d.select("text.marker").eachText()).containsExactly("OPEN", "RESOLVED");
        double[] open = box(d.select("text.marker.open").first());
        double[] resolved = box(d.select("text.marker.resolved").first());
        double lineOpen = Double.parseDouble(d.select("line.open").attr("x1"));
        double lineResolved = Double.parseDouble(d.select("line.resolved").attr("x1"));
        assertThat(open[2]).isEqualTo(resolved[2]);
        assertThat(open[0]).isGreaterThan(lineOpen);
        assertThat(resolved[1]).isLessThan(lineResolved);
        assertThat(open[1]).isLessThan(resolved[0]);
    }

    /** A label's left, right (by the charts' width estimate) and baseline. */
    private static double[] box(Element text) {
        double x = Double.parseDouble(text.attr("x"));
        return new double[] {x, x + Charts.width(text.text()), Double.parseDouble(text.attr("y"))};
    }

    private static MinuteSummary summary(long t, int count, float expected, float threshold) {
        return new MinuteSummary(t, count, 0, 0, expected, threshold, 100, 200, 90, 180, false, false);
    }
}
