package io.fnwatch.bench.masking;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.Redactor;
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
 * made of it; a line is a false positive when masking changes it: the parser reports a secret kind for an
 * event made of it, or masking the line as a dead letter keeps it changes it (sample-logs' own planted
 * secret, payments-worker's {@code postgres://payments:...} line, is known and not counted).
 */
public final class MaskingBench {

    /** The one line of sample-logs that holds a secret on purpose (see sample-logs/README.md, incident 6). */
    static final String SAMPLE_LOGS_PLANTED = "postgres://payments:";

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);
    private final LogShapes shapes = new LogShapes();
    private final Redactor redactor = new Redactor();

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
        FalsePositives fp = new FalsePositives();
        long events = 0;
        long known = 0;
        for (Path file : FileReplayer.files(List.of(folder))) {
            try (BufferedReader reader = FileReplayer.open(file)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8));
                    events += r.events().size();
                    if (line.contains(SAMPLE_LOGS_PLANTED)) {
                        known++; // the planted secret: masking it is right, not counted either way
                        continue;
                    }
                    fp.count(file.getParent().getFileName().toString(), line, r);
                }
            }
        }
        out.printf(
                "sample-logs: %d lines, %d events, %d known planted secret(s) masked, %d false-positive lines"
                        + " (rate %.6f)%n",
                fp.lines + known, events, known, fp.masked, ratio(fp.masked, fp.lines + known));
        fp.print(out);
        Map<String, Object> json = fp.json();
        json.put("lines", fp.lines + known);
        json.put("events", events);
        json.put("knownPlantedMasked", known);
        json.put("falsePositiveLines", fp.masked);
        json.put("falsePositiveRate", ratio(fp.masked, fp.lines + known));
        return json;
    }

    private Map<String, Object> benign(long seed, int n, PrintStream out) {
        List<BenignLines.Line> lines = new BenignLines(seed).generate(n);
        FalsePositives fp = new FalsePositives();
        for (int i = 0; i < lines.size(); i++) {
            String shape = LogShapes.NAMES.get(i % LogShapes.NAMES.size());
            BenignLines.Line line = lines.get(i);
            ParseResult r = parser.parse(shapes.record(shape, List.of(line.text()), 1_772_445_600_000L + i));
            fp.count(line.category(), line.text(), r);
        }
        out.printf("benign lines: %d, %d false positives (rate %.6f)%n", n, fp.masked, ratio(fp.masked, n));
        fp.print(out);
        Map<String, Object> json = fp.json();
        json.put("lines", n);
        json.put("falsePositives", fp.masked);
        json.put("falsePositiveRate", ratio(fp.masked, n));
        return json;
    }

    /**
     * Lines changed by masking: a line counts when an event the parser made of it reports a secret, or when
     * masking the line's own text (as a dead letter or a {@code parse} excerpt keeps it) changes it. Counted
     * per kind, with one masked example each, and per class of line.
     */
    private final class FalsePositives {
        long lines;
        long masked;
        final Map<String, long[]> byKind = new TreeMap<>();
        final Map<String, String> exampleByKind = new TreeMap<>();
        final Map<String, long[]> byClass = new TreeMap<>(); // class -> {lines, masked}

        void count(String lineClass, String line, ParseResult r) {
            lines++;
            long[] c = byClass.computeIfAbsent(lineClass, k -> new long[2]);
            c[0]++;
            java.util.Set<String> kinds = new java.util.TreeSet<>();
            String example = null;
            for (FunctionEvent e : r.events()) {
                if (e.secrets() != null && !e.secrets().isEmpty()) {
                    kinds.addAll(e.secrets());
                    if (example == null) {
                        example = e.message();
                    }
                }
            }
            Redactor.Result raw = redactor.redact(line);
            if (!raw.kinds().isEmpty()) {
                kinds.addAll(raw.kinds());
                if (example == null) {
                    example = raw.text();
                }
            }
            if (kinds.isEmpty()) {
                return;
            }
            masked++;
            c[1]++;
            for (String k : kinds) {
                byKind.computeIfAbsent(k, x -> new long[1])[0]++;
                exampleByKind.putIfAbsent(k, lineClass + ": " + around(example, "[REDACTED:" + k));
            }
        }

        void print(PrintStream out) {
            byClass.forEach((k, v) -> {
                if (v[1] > 0) {
                    out.printf("  class %-24s %6d of %6d lines masked (rate %.6f)%n", k, v[1], v[0], ratio(v[1], v[0]));
                }
            });
            byKind.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .forEach(e -> out.printf(
                            "  kind %-22s %6d lines, e.g. %s%n",
                            e.getKey(), e.getValue()[0], exampleByKind.get(e.getKey())));
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            Map<String, Object> kinds = new LinkedHashMap<>();
            byKind.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                    .forEach(e -> kinds.put(
                            e.getKey(), Map.of("lines", e.getValue()[0], "example", exampleByKind.get(e.getKey()))));
            Map<String, Object> classes = new LinkedHashMap<>();
            byClass.forEach((k, v) -> classes.put(k, Map.of("lines", v[0], "masked", v[1], "rate", ratio(v[1], v[0]))));
            json.put("maskedKinds", kinds);
            json.put("byClass", classes);
            json.put("examples", new ArrayList<>(exampleByKind.values()));
            return json;
        }
    }

    /** Up to 80 characters either side of the first {@code mark} (the mask), so a long record stays readable. */
    static String around(String text, String mark) {
        if (text == null) {
            return "";
        }
        int at = text.indexOf(mark);
        if (at < 0) {
            at = Math.max(0, text.indexOf("[REDACTED"));
        }
        int from = Math.max(0, at - 80);
        int to = Math.min(text.length(), at + mark.length() + 80);
        return (from > 0 ? "…" : "")
                + text.substring(from, to).replace('\n', ' ').replace('\t', ' ')
                + (to < text.length() ? "…" : "");
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : Math.round(1_000_000.0 * a / b) / 1_000_000.0;
    }
}
