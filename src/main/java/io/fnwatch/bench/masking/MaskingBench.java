package io.fnwatch.bench.masking;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Masking quality through the real parser ({@link LogParser}, as {@code run} uses it): recall on planted
 * secrets of every kind in every provider's record shape, and false positives on the sample logs and on
 * generated benign lines. A plant is caught when none of its secret strings is left in the events the parser
 * made of it; a line is a false positive when the parser reports a secret kind for it (sample-logs' own
 * planted secret, payments-worker's {@code postgres://payments:...} line, is known and not counted).
 */
public final class MaskingBench {

    /** The one line of sample-logs that holds a secret on purpose (see sample-logs/README.md, incident 6). */
    static final String SAMPLE_LOGS_PLANTED = "postgres://payments:";

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);
    private final LogShapes shapes = new LogShapes();

    public Map<String, Object> run(long seed, int perKind, Path sampleLogs, int benign, PrintStream out)
            throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("planted", planted(seed, perKind, out));
        if (sampleLogs != null && Files.exists(sampleLogs)) {
            results.put("sampleLogs", sampleLogs(sampleLogs, out));
        }
        results.put("benign", benign(seed, benign, out));
        return results;
    }

    private Map<String, Object> planted(long seed, int perKind, PrintStream out) {
        PlantedSecrets generator = new PlantedSecrets(seed);
        List<Plant> plants = generator.generate(perKind);
        Map<String, int[]> byKind = new TreeMap<>(); // kind -> {planted, caught}
        Map<String, int[]> byShape = new TreeMap<>();
        List<String> missed = new ArrayList<>();
        int caught = 0;
        for (int i = 0; i < plants.size(); i++) {
            Plant p = plants.get(i);
            String shape =
                    p.messages().size() > 1 ? "aws-subscription" : LogShapes.NAMES.get(i % LogShapes.NAMES.size());
            ParseResult r = parser.parse(shapes.record(shape, p.messages(), 1_772_445_600_000L + i));
            // the JSON a consumer reads, and the raw strings (so that no JSON escaping hides a survivor)
            StringBuilder text = new StringBuilder(Json.string(r.events())).append(Json.string(r.rejections()));
            r.events()
                    .forEach(e ->
                            text.append('\n').append(e.message()).append('\n').append(e.resource()));
            boolean ok = !r.events().isEmpty()
                    && r.rejections().isEmpty()
                    && p.secrets().stream().noneMatch(sec -> text.indexOf(sec) >= 0);
            byKind.computeIfAbsent(p.kind(), k -> new int[2])[0]++;
            byShape.computeIfAbsent(shape, k -> new int[2])[0]++;
            if (ok) {
                caught++;
                byKind.get(p.kind())[1]++;
                byShape.get(shape)[1]++;
            } else if (missed.size() < 10) {
                missed.add(p.kind() + " in " + shape + ": "
                        + r.events().stream().map(FunctionEvent::message).toList());
            }
        }
        out.printf(
                "planted secrets: %d of %d kinds, %d caught (recall %.4f)%n",
                plants.size(), byKind.size(), caught, ratio(caught, plants.size()));
        out.printf("%-34s %8s %8s %8s%n", "kind", "planted", "caught", "recall");
        Map<String, Object> perKindJson = new LinkedHashMap<>();
        byKind.forEach((k, v) -> {
            out.printf("%-34s %8d %8d %8.4f%n", k, v[0], v[1], ratio(v[1], v[0]));
            perKindJson.put(k, Map.of("planted", v[0], "caught", v[1], "recall", ratio(v[1], v[0])));
        });
        Map<String, Object> perShapeJson = new LinkedHashMap<>();
        byShape.forEach((k, v) ->
                perShapeJson.put(k, Map.of("planted", v[0], "caught", v[1], "recall", ratio(v[1], v[0]))));
        missed.forEach(m -> out.println("missed: " + m));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", seed);
        json.put("plants", plants.size());
        json.put("kinds", byKind.size());
        json.put("caught", caught);
        json.put("recall", ratio(caught, plants.size()));
        json.put("byKind", perKindJson);
        json.put("byShape", perShapeJson);
        json.put("missedExamples", missed);
        return json;
    }

    private Map<String, Object> sampleLogs(Path folder, PrintStream out) throws IOException {
        long lines = 0;
        long events = 0;
        long flagged = 0;
        long known = 0;
        List<String> examples = new ArrayList<>();
        for (Path file : FileReplayer.files(List.of(folder))) {
            try (BufferedReader reader = FileReplayer.open(file)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    lines++;
                    ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8));
                    events += r.events().size();
                    boolean masked = r.events().stream()
                            .anyMatch(e -> e.secrets() != null && !e.secrets().isEmpty());
                    if (!masked) {
                        continue;
                    }
                    if (line.contains(SAMPLE_LOGS_PLANTED)) {
                        known++;
                    } else {
                        flagged++;
                        if (examples.size() < 5) {
                            examples.add(file.getFileName() + ": "
                                    + r.events().stream()
                                            .map(FunctionEvent::message)
                                            .filter(m -> m != null && m.contains("[REDACTED"))
                                            .findFirst()
                                            .orElse(""));
                        }
                    }
                }
            }
        }
        out.printf(
                "sample-logs: %d lines, %d events, %d known planted secret(s) masked, %d false-positive lines"
                        + " (rate %.6f)%n",
                lines, events, known, flagged, ratio(flagged, lines));
        examples.forEach(e -> out.println("false positive: " + e));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lines", lines);
        json.put("events", events);
        json.put("knownPlantedMasked", known);
        json.put("falsePositiveLines", flagged);
        json.put("falsePositiveRate", ratio(flagged, lines));
        json.put("examples", examples);
        return json;
    }

    private Map<String, Object> benign(long seed, int n, PrintStream out) {
        List<String> lines = new BenignLines(seed).generate(n);
        int flagged = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String shape = LogShapes.NAMES.get(i % LogShapes.NAMES.size());
            ParseResult r = parser.parse(shapes.record(shape, List.of(lines.get(i)), 1_772_445_600_000L + i));
            boolean masked = r.events().stream()
                    .anyMatch(e -> e.secrets() != null && !e.secrets().isEmpty());
            if (masked) {
                flagged++;
                if (examples.size() < 10) {
                    examples.add(r.events().get(0).message());
                }
            }
        }
        out.printf("benign lines: %d, %d false positives (rate %.6f)%n", n, flagged, ratio(flagged, n));
        examples.forEach(e -> out.println("false positive: " + e));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lines", n);
        json.put("falsePositives", flagged);
        json.put("falsePositiveRate", ratio(flagged, n));
        json.put("examples", examples);
        return json;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : Math.round(1_000_000.0 * a / b) / 1_000_000.0;
    }
}
