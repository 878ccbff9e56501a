package io.fnwatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricAnomalyModelTest {

    private static final long STEP = 300_000L;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    private static final MetricAnomalyModel.Settings S = MetricAnomalyModel.Settings.DEFAULTS;

    private static double[] run(double[] values) {
        return run(values, STEP);
    }

    private static double[] run(double[] values, long step) {
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scores[i] = m.score(i * step, values[i]);
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

    private static long bits(double d) {
        return Double.doubleToLongBits(d);
    }

    private static byte[] bytes(MetricAnomalyModel m) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        m.write(new DataOutputStream(b));
        return b.toByteArray();
    }

    private static MetricAnomalyModel restore(byte[] state) throws IOException {
        return MetricAnomalyModel.read(new DataInputStream(new ByteArrayInputStream(state)), S);
    }

    /** A daily wave on 1-minute rows: 100 by day (08:00–20:00), 10 by night, with noise. */
    private static double daily(long t, Random r) {
        long hour = (t % DAY) / 3_600_000L;
        return (hour >= 8 && hour < 20 ? 100 : 10) + r.nextGaussian();
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

    @Test
    void shouldScoreASpikeInAFlatSeriesHigh() {
        double[] v = new double[2000];
        Arrays.fill(v, 7);
        v[1500] = 8;

        double[] s = run(v, MINUTE);

        assertThat(max(s, 0, 1500)).isZero();
        assertThat(s[1500]).isGreaterThan(0.99);
    }

    @Test
    void shouldScoreASeasonalSeriesAtItsUsualPhaseLowAndAtTheWrongPhaseHigh() {
        Random r = new Random(5);
        int days = 15;
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        double quiet = 0;
        for (long t = 0; t < days * DAY; t += MINUTE) {
            double s = m.score(t, daily(t, r));
            if (t >= 7 * DAY) {
                quiet = Math.max(quiet, s);
            }
        }
        // the day-time level at 03:00 of the next day
        double wrongPhase = m.score(days * DAY + 3 * 3_600_000L, 100);

        // below the threshold bench nab chooses (0.79), with 1,440 rows a day of Gaussian noise
        assertThat(quiet)
                .as("max score over days 8-15 of an ordinary daily wave")
                .isLessThan(0.75);
        assertThat(wrongPhase).isGreaterThan(0.9);
        assertThat(m.expected()).isCloseTo(10, org.assertj.core.data.Offset.offset(2.0));
        assertThat(m.lower()).isLessThan(10);
        assertThat(m.upper()).isGreaterThan(10).isLessThan(100);
    }

    @Test
    void shouldGiveIdenticalScoresWhenRestoredAfterEveryRow() throws IOException {
        Random r = new Random(6);
        MetricAnomalyModel straight = new MetricAnomalyModel(S);
        MetricAnomalyModel restored = new MetricAnomalyModel(S);
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            // minute rows with gaps, a daily wave, integer and heavy-tailed values, and hostile rows
            t += r.nextInt(50) == 0 ? MINUTE * (1 + r.nextInt(600)) : MINUTE;
            double x = Math.rint(daily(t, r) * Math.exp(r.nextGaussian() * 0.3));
            if (i % 997 == 0) {
                x = Double.NaN;
            } else if (i % 1999 == 0) {
                x = 1e300;
            } else if (i % 3001 == 0) {
                x = Double.NEGATIVE_INFINITY;
            }
            double a = straight.score(t, x);
            double b = restored.score(t, x);
            assertThat(b).as("row %d", i).isEqualTo(a).isBetween(0.0, 1.0);
            assertThat(bits(restored.expected())).isEqualTo(bits(straight.expected()));
            assertThat(bits(restored.lower())).isEqualTo(bits(straight.lower()));
            assertThat(bits(restored.upper())).isEqualTo(bits(straight.upper()));
            byte[] state = bytes(restored);
            assertThat(state).hasSize(MetricAnomalyModel.MAX_STATE_BYTES).isEqualTo(bytes(straight));
            restored = restore(state);
        }
    }

    @Test
    void shouldSkipNonFiniteRowsWithScoreZeroAndLeaveTheStateAlone() throws IOException {
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            m.score(i * MINUTE, 10 + r.nextGaussian());
        }
        byte[] before = bytes(m);

        for (double x : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(m.score(500 * MINUTE, x)).isZero();
            assertThat(m.expected()).isNaN();
        }

        assertThat(bytes(m)).isEqualTo(before);
    }

    @Test
    void shouldScoreAnAbsurdValueAsAnomalousWithoutLearningIt() throws IOException {
        Random r = new Random(8);
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10 + r.nextGaussian();
        }
        double[] clean = run(v, MINUTE);
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        double[] hostile = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (i == 1000) {
                assertThat(m.score(i * MINUTE, 1e300)).isEqualTo(1.0);
                assertThat(m.score(i * MINUTE, -Double.MAX_VALUE)).isEqualTo(1.0);
            }
            hostile[i] = m.score(i * MINUTE, v[i]);
        }

        // the rows after it score as if it had never been seen
        assertThat(hostile).containsExactly(clean);
    }

    @Test
    void shouldKeepScoresInRangeOnConstantIntegerAndHeavyTailedSeries() {
        Random r = new Random(9);
        double[] constant = new double[2000];
        Arrays.fill(constant, 0);
        double[] counts = new double[2000];
        double[] pareto = new double[2000];
        for (int i = 0; i < 2000; i++) {
            counts[i] = r.nextInt(3);
            pareto[i] = Math.pow(1 - r.nextDouble(), -1 / 1.2);
        }

        assertThat(run(constant, MINUTE)).containsOnly(0.0);
        for (double[] series : new double[][] {counts, pareto}) {
            assertThat(Arrays.stream(run(series, MINUTE)))
                    .allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        }
        // small counts that stay in their range do not page
        assertThat(max(run(counts, MINUTE), 500, 2000)).isLessThan(0.9);
    }

    /** Per-minute means of 1–20 lognormal values (σ 0.25 each) around 100, for three days; returns the model. */
    private static MetricAnomalyModel meanSeries(boolean passCount, Random r, int[] falseMinutes) {
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        for (int i = 0; i < 3 * 1440; i++) {
            int k = 1 + r.nextInt(20);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += 100 * Math.exp(0.25 * r.nextGaussian());
            }
            double u = passCount ? m.score(i * MINUTE, sum / k, k) : m.score(i * MINUTE, sum / k);
            if (i >= 1440 && u >= 0.96) {
                falseMinutes[0]++;
            }
        }
        return m;
    }

    @Test
    void shouldHoldAMeanOfManyValuesToANarrowerBandThanASingleValue() throws IOException {
        MetricAnomalyModel m = meanSeries(true, new Random(10), new int[1]);
        byte[] state = bytes(m);
        long t = 3 * 1440 * MINUTE;

        // +70 %: about 2.5 σ for one value, about 11 σ for the mean of 20
        MetricAnomalyModel one = restore(state);
        double asOne = one.score(t, 170, 1);
        MetricAnomalyModel twenty = restore(state);
        double asTwenty = twenty.score(t, 170, 20);

        assertThat(asOne).isLessThan(0.5);
        assertThat(asTwenty).isGreaterThan(0.96);
        assertThat(twenty.expected()).isEqualTo(one.expected());
        double ratio = (one.upper() - one.expected()) / (twenty.upper() - twenty.expected());
        assertThat(ratio).isCloseTo(Math.sqrt(20), org.assertj.core.data.Offset.offset(1e-9));
        // a count below 1 is taken as 1; score(t, x) is score(t, x, 1)
        assertThat(restore(state).score(t, 170, 0)).isEqualTo(asOne);
        assertThat(restore(state).score(t, 170, -5)).isEqualTo(asOne);
        assertThat(restore(state).score(t, 170)).isEqualTo(asOne);
    }

    @Test
    void shouldRaiseFewerFalseMinutesOnMeansWhenTheCountIsPassed() {
        int[] withCount = new int[1];
        int[] without = new int[1];
        for (int seed = 0; seed < 6; seed++) {
            meanSeries(true, new Random(100 + seed), withCount);
            meanSeries(false, new Random(100 + seed), without);
        }

        assertThat(withCount[0]).isLessThanOrEqualTo(without[0]).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldRoundTripExactlyWithCounts() throws IOException {
        Random r = new Random(11);
        MetricAnomalyModel straight = new MetricAnomalyModel(S);
        MetricAnomalyModel restored = new MetricAnomalyModel(S);
        for (int i = 0; i < 5000; i++) {
            int k = r.nextInt(25) - 2;
            double x = 50 * Math.exp(0.3 * r.nextGaussian());
            assertThat(restored.score(i * MINUTE, x, k)).isEqualTo(straight.score(i * MINUTE, x, k));
            assertThat(bits(restored.upper())).isEqualTo(bits(straight.upper()));
            restored = restore(bytes(restored));
        }
        assertThat(bytes(restored)).isEqualTo(bytes(straight));
    }

    /**
     * One value a minute (a sparse function's latency: lognormal noise), a 6-minute ×10 spike at 11:00 on day 4 and
     * a 40-minute ×3 level shift at 11:00 on day 6: each shift row alone is no rarer than the series' tails, and the
     * spike has taught hour 11 a wide envelope, but forty of them in a row are not noise.
     */
    private static double[][] spikeThenShift(long seed) {
        Random r = new Random(seed);
        int rows = 7 * 1440;
        double[] sustained = new double[rows];
        double[] score = new double[rows];
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        for (int i = 0; i < rows; i++) {
            long t = i * MINUTE;
            double factor = 1;
            if (t >= 3 * DAY + 11 * 3_600_000L && t < 3 * DAY + 11 * 3_600_000L + 6 * MINUTE) {
                factor = 10;
            } else if (t >= 5 * DAY + 11 * 3_600_000L && t < 5 * DAY + 11 * 3_600_000L + 40 * MINUTE) {
                factor = 3;
            }
            score[i] = m.score(t, 50 * factor * Math.exp(0.25 * r.nextGaussian()), 1);
            sustained[i] = m.sustained();
        }
        return new double[][] {score, sustained};
    }

    @Test
    void shouldHoldALevelShiftAtTheHourOfAnEarlierSpikeAsSustained() {
        int shift = (int) ((5 * DAY + 11 * 3_600_000L) / MINUTE);
        int spike = (int) ((3 * DAY + 11 * 3_600_000L) / MINUTE);
        for (long seed = 1; seed <= 5; seed++) {
            double[][] run = spikeThenShift(seed);
            double[] sustained = run[1];

            // within 30 minutes of the shift's start the persistence channel passes the detector's threshold (0.97)
            assertThat(max(sustained, shift, shift + 30)).as("seed %d", seed).isGreaterThan(0.97);
            // ...and nowhere else after it is allowed to speak (day 3 on), spike and shift windows aside
            assertThat(Math.max(max(sustained, 3 * 1440, spike), max(sustained, spike + 60, shift)))
                    .as("seed %d", seed)
                    .isLessThan(0.97);
            assertThat(max(sustained, shift + 120, sustained.length))
                    .as("seed %d", seed)
                    .isLessThan(0.97);
        }
    }

    @Test
    void shouldNotLetOneSpikeRowRaiseTheSustainedChannel() {
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        Random r = new Random(21);
        double most = 0;
        for (int i = 0; i < 5 * 1440; i++) {
            double x = 50 * Math.exp(0.25 * r.nextGaussian());
            if (i % 720 == 360 && i > 3 * 1440) {
                x = 5000; // one absurd row twice a day
            }
            m.score(i * MINUTE, x, 1);
            if (i > 3 * 1440) {
                most = Math.max(most, m.sustained());
            }
        }

        assertThat(most).isGreaterThan(0).isLessThan(0.95);
    }

    @Test
    void shouldKeepTheSustainedChannelSilentForItsFirstDays() {
        MetricAnomalyModel m = new MetricAnomalyModel(S);
        for (int i = 0; i < 3 * 1440 - 1; i++) {
            // a level that keeps stepping: a run on every hour, but too early to be trusted
            m.score(i * MINUTE, (i / 60) % 2 == 0 ? 10 : 100, 1);
            assertThat(m.sustained()).isZero();
        }
    }

    @Test
    void shouldReadVersionOneStateAndGoOnScoringAlike() throws IOException {
        Random r = new Random(5);
        MetricAnomalyModel straight = new MetricAnomalyModel(S);
        for (int i = 0; i < 4 * 1440; i++) {
            straight.score(i * MINUTE, 50 * Math.exp(0.25 * r.nextGaussian()), 1);
        }
        byte[] v3 = bytes(straight);
        // version 1: the same fields without the first time, the two runs (16 bytes after the seen-counts), the peak
        // below and the exceedance days (36 bytes after those)
        int at = 1 + 8 + 8 + 9 * 8 + 8;
        byte[] v1 = new byte[v3.length - 52];
        System.arraycopy(v3, 0, v1, 0, at);
        System.arraycopy(v3, at + 52, v1, at, v3.length - at - 52);
        v1[0] = 1;
        // what it should read as: version 3 with no exceedance days yet, its one peak on both sides
        byte[] asV3 = v3.clone();
        int peakAt = 1 + 8 + 8 + 8 * 8;
        System.arraycopy(v3, peakAt, asV3, at + 16, 8);
        Arrays.fill(asV3, at + 24, at + 52, (byte) 0);
        asV3[at + 24] = (byte) 0x80;
        straight = restore(asV3);

        MetricAnomalyModel old = restore(v1);

        double most = 0;
        for (int i = 4 * 1440; i < 4 * 1440 + 600; i++) {
            double x = (i < 4 * 1440 + 300 ? 50 : 150) * Math.exp(0.25 * r.nextGaussian());
            assertThat(old.score(i * MINUTE, x, 1)).isEqualTo(straight.score(i * MINUTE, x, 1));
            most = Math.max(most, old.sustained());
        }
        // its runs start at 0 and it counts as learned long enough: the shift is held as sustained
        assertThat(most).isGreaterThan(0.97);
        assertThat(bytes(old)).hasSize(MetricAnomalyModel.MAX_STATE_BYTES);
        byte[] unknown = bytes(old);
        unknown[0] = 9;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> restore(unknown))
                .isInstanceOf(IOException.class);
    }

    @Test
    void shouldReadVersionTwoStateWithNoExceedanceDays() throws IOException {
        Random r = new Random(6);
        MetricAnomalyModel straight = new MetricAnomalyModel(S);
        for (int i = 0; i < 3 * 288; i++) {
            straight.score(i * STEP, 50 + r.nextGaussian(), 1);
        }
        byte[] v3 = bytes(straight);
        // version 2: without the peak below, the day and the 24 bytes of exceedance days (after the first time and
        // the two runs)
        int at = 1 + 8 + 8 + 9 * 8 + 8 + 16;
        byte[] v2 = new byte[v3.length - 36];
        System.arraycopy(v3, 0, v2, 0, at);
        System.arraycopy(v3, at + 36, v2, at, v3.length - at - 36);
        v2[0] = 2;

        MetricAnomalyModel old = restore(v2);

        assertThat(v2).hasSize(401);
        // read back with its one peak on both sides, no day yet and no exceedance days: everything else as written
        byte[] expected = v3.clone();
        System.arraycopy(v3, 1 + 8 + 8 + 8 * 8, expected, at, 8);
        Arrays.fill(expected, at + 8, at + 36, (byte) 0);
        expected[at + 8] = (byte) 0x80;
        assertThat(bytes(old)).hasSize(MetricAnomalyModel.MAX_STATE_BYTES).isEqualTo(expected);
        double x = 50 + r.nextGaussian();
        assertThat(old.score(3 * 288 * STEP, x, 1)).isEqualTo(straight.score(3 * 288 * STEP, x, 1));
    }

    /** Single 5-minute rows around 10 (σ 0.5) with one spike to {@code spike} at {@code minuteOfDay} on each day. */
    private static double[] nightly(int days, Random r, int[] minuteOfDay, double[] spike) {
        double[] v = new double[days * 288];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10 + 0.5 * r.nextGaussian();
        }
        for (int d = 0; d < days; d++) {
            if (minuteOfDay[d] >= 0) {
                v[d * 288 + minuteOfDay[d] / 5] = spike[d];
            }
        }
        return v;
    }

    @Test
    void shouldStopScoringASpikeThatComesEveryNightButNotANewOne() {
        Random r = new Random(11);
        int days = 11;
        int[] at = new int[days];
        double[] spike = new double[days];
        for (int d = 0; d < days; d++) {
            // a nightly batch job between 03:00 and 04:30, a little higher or lower each night
            at[d] = 180 + 5 * r.nextInt(18);
            spike[d] = 40 + 6 * r.nextGaussian();
        }
        at[0] = -1; // the job starts on the series' second day
        at[8] = 15 * 60; // on day 8 the same spike comes in the afternoon instead
        spike[10] = 200; // on day 10 the nightly spike is five times as large

        double[] v = nightly(days, r, at, spike);
        double[] scores = run(v);

        for (int d = 1; d <= 2; d++) {
            assertThat(scores[d * 288 + at[d] / 5]).as("night %d", d).isGreaterThan(0.9);
        }
        // from the third night on it is a known nightly job, unless it comes at another hour or is much larger
        for (int d = 3; d < days; d++) {
            if (d == 8 || d == 10) {
                assertThat(scores[d * 288 + at[d] / 5]).as("day %d", d).isGreaterThan(0.9);
            } else {
                assertThat(scores[d * 288 + at[d] / 5]).as("night %d", d).isLessThan(0.5);
            }
        }
    }

    @Test
    void shouldNotLetABurstOnAConstantSeriesMuteTheNextAnomalyForWeeks() {
        // a disk that wrote nothing for two days: the first write is astronomically far outside a range of width ~0
        int rows = 3000;
        double[] v = new double[rows];
        v[576] = 5e8;
        v[576 + 2000 + 30] = 5e8;
        double[] scores = run(v);

        assertThat(scores[576]).isGreaterThan(0.999);
        // nearly seven days of 5-minute rows later: a second write is an onset again, not a continuation
        assertThat(scores[576 + 2030]).isGreaterThan(0.99);
    }

    @Test
    void shouldScoreADropRightAfterASpikeAsANewOnset() {
        Random r = new Random(12);
        double[] v = new double[3 * 288];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10 + 0.5 * r.nextGaussian();
        }
        int spike = 2 * 288;
        for (int i = spike; i < spike + 6; i++) {
            v[i] = 60; // half an hour far above
        }
        int drop = spike + 48;
        v[drop] = 0; // four hours later, as far below
        v[drop + 1] = 0;
        double[] scores = run(v);

        assertThat(scores[spike]).isGreaterThan(0.99);
        assertThat(max(scores, spike + 1, spike + 6))
                .as("the rest of the spike")
                .isLessThan(0.5);
        // the spike's peak has not decayed yet, but it was above: the drop is an onset of its own
        assertThat(scores[drop]).isGreaterThan(0.9);
        assertThat(scores[drop + 1]).isLessThan(0.5);
    }
}
