package io.fnwatch.bench;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.DetectorSettings;
import io.fnwatch.detect.Emitter;
import io.fnwatch.detect.FunctionState;
import io.fnwatch.detect.MetricAnomalyDetector;
import io.fnwatch.detect.MinuteSummary;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.Alert;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serialized detector state per function after real logs: every function of the input is run through its
 * detectors in event-time order, and the bytes each detector keeps are reported (mean and max per function).
 */
public final class StateBench {

    public Map<String, Object> run(List<Path> inputs, DetectorConfig detectors, PrintStream out) throws IOException {
        Map<FunctionKey, List<FunctionEvent>> byFunction = new HashMap<>();
        LogParser parser = new LogParser(ParserSettings.DEFAULTS);
        for (Path file : FileReplayer.files(inputs)) {
            try (BufferedReader r = FileReplayer.open(file)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    parser.parse(line.getBytes(StandardCharsets.UTF_8))
                            .events()
                            .forEach(e -> byFunction
                                    .computeIfAbsent(e.key(), k -> new ArrayList<>())
                                    .add(e));
                }
            }
        }
        Map<String, long[]> totals = new LinkedHashMap<>(); // registry order, total last, as sizes() gives them
        List<Alert> ignored = new ArrayList<>();
        long[] metricSeries = new long[2]; // custom metric series followed, and the bytes of their functions' section
        for (Map.Entry<FunctionKey, List<FunctionEvent>> f : byFunction.entrySet()) {
            FunctionState state = new FunctionState();
            f.getValue().sort(Comparator.comparing(FunctionEvent::timestamp));
            Emitter emitter = new Emitter(f.getKey(), ignored);
            f.getValue().forEach(e -> state.apply(e, detectors.forFunction(f.getKey()), emitter));
            withFullestHistoryBlock(state, detectors.forFunction(f.getKey()));
            MetricAnomalyDetector metrics = state.model(MetricAnomalyDetector.SPEC);
            if (metrics != null && metrics.seriesCount() > 0) {
                metricSeries[0] += metrics.seriesCount();
                metricSeries[1] += state.sizes().getOrDefault(MetricAnomalyDetector.SPEC.file(), 0);
            }
            state.sizes().forEach((part, bytes) -> {
                long[] t = totals.computeIfAbsent(part, p -> new long[2]);
                t[0] += bytes;
                t[1] = Math.max(t[1], bytes);
            });
        }
        Map<String, Object> json = new LinkedHashMap<>();
        out.printf(
                "(console-history: the most a state holds, %d closed minutes not yet in the history store)%n",
                MinuteSummary.BLOCK_MINUTES - 1);
        out.printf("%-26s %12s %12s   (%d functions)%n", "state part", "mean bytes", "max bytes", byFunction.size());
        totals.forEach((part, t) -> {
            long mean = Math.round((double) t[0] / Math.max(1, byFunction.size()));
            out.printf("%-26s %12d %12d%n", part, mean, t[1]);
            json.put(part, Map.of("meanBytes", mean, "maxBytes", t[1]));
        });
        json.put("functions", byFunction.size());
        if (metricSeries[0] > 0) {
            long perSeries = Math.round((double) metricSeries[1] / metricSeries[0]);
            out.printf(
                    "custom metrics: %d series, %d bytes per series (not in the per-function figures' budget)%n",
                    metricSeries[0], perSeries);
            json.put("bytesPerMetricSeries", perSeries);
        }
        return json;
    }

    /**
     * Gives the state the console history's unwritten minutes at their most (the minutes of a block but its
     * last, with this function's figures), as the topology's state can hold them between two history writes.
     */
    static void withFullestHistoryBlock(FunctionState state, DetectorSettings settings) {
        byte[] block = null;
        for (int k = 0; k < MinuteSummary.BLOCK_MINUTES - 1; k++) {
            block = MinuteSummary.of(state, settings, k * MinuteSummary.MINUTE_MS)
                    .addToBlock(0, block);
        }
        state.historyBlock(0, block);
    }
}
