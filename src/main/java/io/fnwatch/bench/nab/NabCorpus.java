package io.fnwatch.bench.nab;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fnwatch.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder in NAB's layout: {@code data/<category>/<file>.csv} ({@code timestamp,value}),
 * {@code labels/combined_windows.json} and {@code config/profiles.json}.
 */
public final class NabCorpus {

    private static final DateTimeFormatter TS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    /** One data file: its key ({@code category/file.csv}), rows, and label windows. */
    public record Series(
            String key,
            List<String> rawTimestamps,
            List<LocalDateTime> timestamps,
            double[] values,
            List<LocalDateTime[]> windows) {}

    private final Path root;
    private final Map<String, List<List<String>>> windows;

    public NabCorpus(Path root) throws IOException {
        this.root = root;
        this.windows = Json.MAPPER.readValue(
                root.resolve("labels/combined_windows.json").toFile(),
                new TypeReference<Map<String, List<List<String>>>>() {});
    }

    public static LocalDateTime parseTimestamp(String text) {
        String s = text.trim().replace('T', ' ');
        return LocalDateTime.parse(s.endsWith("Z") ? s.substring(0, s.length() - 1) : s, TS);
    }

    public Map<String, Map<String, Double>> profileWeights() throws IOException {
        Map<String, Map<String, Map<String, Double>>> raw = Json.MAPPER.readValue(
                root.resolve("config/profiles.json").toFile(),
                new TypeReference<Map<String, Map<String, Map<String, Double>>>>() {});
        Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
        raw.forEach((name, p) -> out.put(name, p.get("CostMatrix")));
        return out;
    }

    /** Every data file under {@code data/}, sorted by key. */
    public List<Series> series() throws IOException {
        Path data = root.resolve("data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        List<Series> out = new ArrayList<>();
        for (Path f : files) {
            String key = data.relativize(f).toString().replace('\\', '/');
            out.add(read(key, f));
        }
        return out;
    }

    private Series read(String key, Path file) throws IOException {
        List<String> raw = new ArrayList<>();
        List<LocalDateTime> ts = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                raw.add(line.substring(0, comma));
                ts.add(parseTimestamp(line.substring(0, comma)));
                values.add(Double.parseDouble(line.substring(comma + 1).trim()));
            }
        }
        List<LocalDateTime[]> wins = new ArrayList<>();
        for (List<String> w : windows.getOrDefault(key, List.of())) {
            wins.add(new LocalDateTime[] {parseTimestamp(w.get(0)), parseTimestamp(w.get(1))});
        }
        return new Series(
                key, raw, ts, values.stream().mapToDouble(Double::doubleValue).toArray(), wins);
    }

    public boolean labelled(String key) {
        return windows.containsKey(key);
    }
}
