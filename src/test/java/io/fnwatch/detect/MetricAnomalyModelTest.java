package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricAnomalyModelTest {

    private static final long STEP = 300_000L;

    private static double[] run(double[] values) {
        MetricAnomalyModel m = new MetricAnomalyModel(MetricAnomalyModel.Settings.DEFAULTS);
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scores[i] = m.score(i * STEP, values[i]);
        }
        return scores;
    }

    private static double max(double[] a, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }

    @Test
    void shouldScoreTheOnsetOfALevelShiftAboveEverythingBeforeIt() {
        Random r = new Random(3);
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i < 2000 ? 10 : 25) + r.nextGaussian();
        }

        double[] s = run(v);

        assertThat(max(s, 2000, 2010)).isGreaterThan(0.9).isGreaterThan(max(s, 500, 2000));
        // reported at its onset, not on every row it lasts
        assertThat(max(s, 2100, 3000)).isLessThan(max(s, 2000, 2010));
    }

    @Test
    void shouldStayQuietOnANoisyButOrdinarySeries() {
        Random r = new Random(4);
        double[] v = new double[4000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 50 + 5 * r.nextGaussian();
        }

        assertThat(max(run(v), 1000, 4000)).isLessThan(0.9);
    }
}
