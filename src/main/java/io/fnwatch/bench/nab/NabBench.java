package io.fnwatch.bench.nab;

import io.fnwatch.detect.MetricAnomalyModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs fnwatch's metric model over every series of a NAB-layout folder — streaming order, one pass, no
 * look-ahead, one configuration for every file — writes NAB results CSVs ({@code timestamp,value,
 * anomaly_score}) under {@code out}, and scores them with {@link NabScorer}.
 */
public final class NabBench {

    public Map<String, Object> run(Path dataRoot, Path out, MetricAnomalyModel.Settings settings, PrintStream log)
            throws IOException {
        NabCorpus corpus = new NabCorpus(dataRoot);
        NabScorer scorer = new NabScorer();
        List<NabCorpus.Series> all = corpus.series();
        long rows = 0;
        for (NabCorpus.Series series : all) {
            double[] scores = scores(series, settings);
            write(out.resolve(series.key()), series, scores);
            if (corpus.labelled(series.key())) {
                scorer.add(series.timestamps(), scores, series.windows());
            }
            rows += scores.length;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Integer> fpRows = new LinkedHashMap<>();
        log.printf("%d files, %,d rows; results in %s%n", all.size(), rows, out);
        log.printf("%-20s %10s %8s %10s %9s %8s%n", "profile", "threshold", "raw", "NAB score", "windows", "FP rows");
        for (NabScorer.Score s : scorer.score(NabScorer.profiles(corpus.profileWeights()))) {
            log.printf(
                    Locale.ROOT,
                    "%-20s %10.6f %8.3f %10.2f %6d/%d %8d%n",
                    s.profile(),
                    s.threshold(),
                    s.raw(),
                    s.normalized(),
                    s.windowsHit(),
                    s.windows(),
                    s.fpRows());
            result.put(s.profile(), Math.round(s.normalized() * 100) / 100.0);
            fpRows.put(s.profile(), s.fpRows());
        }
        log.printf(
                "false-positive rows (above the profile's threshold, outside every window, after probation): %s%n",
                fpRows);
        return result;
    }

    static double[] scores(NabCorpus.Series series, MetricAnomalyModel.Settings settings) {
        MetricAnomalyModel model = new MetricAnomalyModel(settings);
        double[] scores = new double[series.values().length];
        for (int i = 0; i < scores.length; i++) {
            long t = series.timestamps().get(i).toInstant(ZoneOffset.UTC).toEpochMilli();
            scores[i] = model.score(t, series.values()[i]);
        }
        return scores;
    }

    private static void write(Path file, NabCorpus.Series series, double[] scores) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("timestamp,value,anomaly_score\n");
            for (int i = 0; i < scores.length; i++) {
                w.write(series.rawTimestamps().get(i) + "," + series.values()[i] + ","
                        + String.format(Locale.ROOT, "%.9f", scores[i]) + "\n");
            }
        }
    }
}
