package io.fnwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.Json;
import io.fnwatch.parse.Gzip;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.ParserSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Single-thread parse throughput of {@link LogParser} on three input mixes, against plain
 * {@code jackson-databind} tree parsing of the same bytes in the same run (for gzip payloads the baseline
 * also inflates them). Each figure is the median of several timed rounds after warm-up rounds.
 */
public final class ParseBench {

    private record Mix(String name, List<byte[]> records, int eventsPerRecord) {}

    public Map<String, Object> run(int events, int rounds, PrintStream out) {
        Random random = new Random(42);
        List<Mix> mixes = List.of(
                new Mix("report-lines", repeat(events, i -> cloudWatchEvent(i, reportLine(random))), 1),
                new Mix("json-platform-report", repeat(events, i -> cloudWatchEvent(i, platformReport(random))), 1),
                new Mix("gzip-subscription-100", repeat(events / 100, i -> subscription(i, 100, random)), 100));
        LogParser parser = new LogParser(ParserSettings.DEFAULTS);
        Map<String, Object> json = new LinkedHashMap<>();
        out.printf("%-24s %14s %16s %8s%n", "input", "fnwatch ev/s", "jackson-tree ev/s", "ratio");
        for (Mix mix : mixes) {
            long n = (long) mix.records().size() * mix.eventsPerRecord();
            double ours = n / median(rounds, () -> mix.records().forEach(r -> check(parser.parse(r), mix)));
            double tree = n / median(rounds, () -> mix.records().forEach(this::jacksonTree));
            out.printf(Locale.ROOT, "%-24s %,14.0f %,16.0f %7.2fx%n", mix.name(), ours, tree, ours / tree);
            json.put(
                    mix.name(),
                    Map.of(
                            "eventsPerSecond",
                            Math.round(ours),
                            "jacksonTreePerSecond",
                            Math.round(tree),
                            "ratio",
                            Math.round(ours / tree * 100) / 100.0));
        }
        return json;
    }

    private static void check(ParseResult r, Mix mix) {
        if (r.events().size() != mix.eventsPerRecord()) {
            throw new IllegalStateException(mix.name() + ": expected " + mix.eventsPerRecord() + " events, got " + r);
        }
    }

    private void jacksonTree(byte[] record) {
        try {
            byte[] bytes = Gzip.isGzip(record) ? inflate(record) : record;
            JsonNode doc = Json.MAPPER.readTree(bytes);
            if (doc.isMissingNode()) {
                throw new IllegalStateException();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds per round: the median of {@code rounds} timed rounds after two warm-up rounds. */
    private static double median(int rounds, Runnable round) {
        round.run();
        round.run();
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            round.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[rounds / 2];
    }

    private static List<byte[]> repeat(int n, java.util.function.IntFunction<byte[]> make) {
        List<byte[]> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(make.apply(i));
        }
        return list;
    }

    static String reportLine(Random r) {
        double d = 20 + r.nextDouble() * 500;
        return String.format(
                Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                        + "Memory Size: 512 MB\tMax Memory Used: %d MB\t\n",
                new java.util.UUID(r.nextLong(), r.nextLong()),
                d,
                (long) Math.ceil(d),
                60 + r.nextInt(100));
    }

    static String platformReport(Random r) {
        double d = 20 + r.nextDouble() * 500;
        return String.format(
                Locale.ROOT,
                "{\"time\":\"2026-03-02T10:00:00.000Z\",\"type\":\"platform.report\","
                        + "\"record\":{\"requestId\":\"%s\",\"metrics\":{\"durationMs\":%.3f,\"billedDurationMs\":%d,"
                        + "\"memorySizeMB\":512,\"maxMemoryUsedMB\":%d},\"status\":\"success\"}}",
                new java.util.UUID(r.nextLong(), r.nextLong()),
                d,
                (long) Math.ceil(d),
                60 + r.nextInt(100));
    }

    private static byte[] cloudWatchEvent(int i, String message) {
        String fn = "fn-" + (i % 1000);
        return ("{\"logGroup\":\"/aws/lambda/" + fn + "\",\"logStream\":\"2026/03/02/[$LATEST]abcdef0123\","
                        + "\"timestamp\":" + (1772445600000L + i) + ",\"message\":" + quote(message)
                        + ",\"account\":\"123456789012\",\"region\":\"us-east-1\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] subscription(int i, int events, Random r) {
        StringBuilder sb = new StringBuilder("{\"owner\":\"123456789012\",\"logGroup\":\"/aws/lambda/fn-" + (i % 1000)
                + "\",\"logStream\":\"2026/03/02/[$LATEST]abcdef\",\"subscriptionFilters\":[\"f\"],"
                + "\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[");
        for (int e = 0; e < events; e++) {
            sb.append(e == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i * 1000L + e)
                    .append("\",\"timestamp\":")
                    .append(1772445600000L + e)
                    .append(",\"message\":")
                    .append(quote(reportLine(r)))
                    .append('}');
        }
        return gzip(sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        return "\""
                + s.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\t", "\\t")
                        .replace("\n", "\\n") + "\"";
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static byte[] inflate(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
