package io.fnwatch.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.Json;
import io.fnwatch.parse.ParserSettings;
import io.fnwatch.parse.RecordReader;
import io.fnwatch.parse.SourceHints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged (streamed) input gives exactly the records, in exactly the order, of the whole in-memory sort. */
class MergedInputTest {

    private static final FnwatchConfig CONFIG = FnwatchConfig.of(Map.of());
    private static final DetectorConfig DETECTORS = DetectorConfig.load(Path.of("detectors"), 300_000);
    private static final Path SAMPLE_LOGS = Path.of("sample-logs");
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path dir;

    private record Run(List<String> alerts, Backtest.Result result, List<String> notes) {}

    private static Run backtest(List<Path> inputs, Instant from, Instant to, int maxOpenFiles) throws IOException {
        List<String> alerts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Backtest.Result result = Backtest.run(
                inputs,
                CONFIG,
                DETECTORS,
                SourceHints.NONE,
                from,
                to,
                a -> alerts.add(Json.string(a)),
                n -> {},
                notes::add,
                maxOpenFiles);
        return new Run(alerts, result, notes);
    }

    /**
     * Checks that the merge, with each limit of open files, gives every record (time, key, bytes) in the order
     * of the in-memory sort, and the same counts; returns the records.
     */
    private static List<String> assertMergeIsTheSort(List<Path> inputs, Instant from, Instant to, int... maxOpen)
            throws IOException {
        List<Path> files = FileReplayer.files(inputs);
        BacktestInput.Loaded loaded = BacktestInput.load(files, ParserSettings.DEFAULTS, SourceHints.NONE, from, to);
        List<String> expected =
                loaded.records().stream().map(MergedInputTest::show).toList();
        for (int limit : maxOpen) {
            List<String> out = new ArrayList<>();
            try (MergedInput m = MergedInput.open(files, ParserSettings.DEFAULTS, SourceHints.NONE, from, to, limit)) {
                for (BacktestInput.Stamped r = m.next(); r != null; r = m.next()) {
                    out.add(show(r));
                }
                assertThat(m.read()).isEqualTo(loaded.read());
                assertThat(m.events()).isEqualTo(loaded.events());
            }
            assertThat(out).as("%s to %s, at most %d open", from, to, limit).isEqualTo(expected);
        }
        return expected;
    }

    private static String show(BacktestInput.Stamped r) {
        return r.timestamp() + " " + r.key() + " " + new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String line(String function, Instant t, String message) {
        return "{\"logGroup\":\"/aws/lambda/" + function + "\",\"logStream\":\"2026/03/02/[$LATEST]ab\","
                + "\"timestamp\":" + t.toEpochMilli() + ",\"message\":\"" + message + "\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\"}";
    }

    private static String start(String function, Instant t) {
        return line(function, t, "START RequestId: r-" + function + t.toEpochMilli() + " Version: $LATEST");
    }

    private static String denial(String function, Instant t) {
        return line(
                function,
                t,
                "User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: s3:GetObject"
                        + " on resource: arn:aws:s3:::b/k");
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = name.endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /**
     * Files whose lines share times across files (the merge must keep file order for them), unreadable lines at
     * a file's start and between records, blank lines, CRLF, no final line end, gzip, a batch document, one
     * pretty-printed record, and a file out of time order.
     */
    private List<Path> mixedFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("mixed"));
        List<String> a = new ArrayList<>(List.of("garbage at the start of a", ""));
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant t = T0.plusSeconds(10L * (i / 4)); // four lines a time, in both files
            a.add(i % 3 == 0 ? denial("orders-api", t) : start("orders-api", t));
            b.add(start("billing", t));
            if (i == 17) {
                a.add("  \t ");
                b.add("not a log line");
            }
        }
        Files.writeString(folder.resolve("a.jsonl"), String.join("\n", a) + "\n");
        Files.writeString(folder.resolve("b.log"), String.join("\r\n", b)); // no final line end
        write("mixed/c.jsonl.gz", String.join("\n", b.subList(5, 30)) + "\n\n\n");
        Files.writeString(
                folder.resolve("d.json"),
                "[" + start("batch", T0.plusSeconds(20)) + ",\n " + start("batch", T0.plusSeconds(30)) + "]\n");
        Files.writeString(
                folder.resolve("e.json"),
                "\n\n" + start("single", T0.plusSeconds(50)).replace(",", ",\n  "));
        List<String> shuffled = new ArrayList<>(b);
        java.util.Collections.shuffle(shuffled, new Random(7));
        Files.writeString(folder.resolve("f.jsonl"), String.join("\n", shuffled) + "\n");
        Files.writeString(folder.resolve("g.jsonl"), "");
        Files.writeString(folder.resolve("h.jsonl"), "\n \n\t\r\n\n");
        Files.writeString(folder.resolve("i.jsonl"), "no time here\nnor here\n");
        return List.of(folder);
    }

    @Test
    void shouldGiveTheSampleLogsRecordsInTheOrderOfTheInMemorySortWithAndWithoutAWindow() throws IOException {
        Instant from = Instant.parse("2026-03-02T06:00:00Z");
        Instant to = Instant.parse("2026-03-03T13:00:00Z");

        assertThat(assertMergeIsTheSort(List.of(SAMPLE_LOGS), null, null, Backtest.MAX_OPEN_FILES))
                .hasSizeGreaterThan(100_000);
        assertThat(assertMergeIsTheSort(List.of(SAMPLE_LOGS), from, to, 1)).isNotEmpty();
    }

    @Test
    void shouldReportTheSampleLogsAlertsDeadLettersAndCountsOfTheInMemorySortWhenStreamed() throws IOException {
        Run memory = backtest(List.of(SAMPLE_LOGS), null, null, Backtest.ALL_IN_MEMORY);
        Run streamed = backtest(List.of(SAMPLE_LOGS), null, null, Backtest.MAX_OPEN_FILES);

        assertThat(streamed.alerts()).isNotEmpty().isEqualTo(memory.alerts());
        assertThat(streamed.result()).isEqualTo(memory.result());
        assertThat(streamed.result().deadLetters()).isPositive();
        assertThat(streamed.notes()).singleElement().asString().contains("streamed");
    }

    @Test
    void shouldMergeFilesWithEqualTimesInFileOrderAndHoldOnlyDocumentsAndFilesPastTheOpenLimitInMemory()
            throws IOException {
        List<Path> inputs = mixedFolder();
        assertThat(assertMergeIsTheSort(inputs, null, null, Backtest.MAX_OPEN_FILES, 2, 1, 0))
                .hasSizeGreaterThan(100);
        assertThat(assertMergeIsTheSort(inputs, T0.plusSeconds(20), T0.plusSeconds(70), Backtest.MAX_OPEN_FILES))
                .isNotEmpty();

        List<Path> files = FileReplayer.files(inputs);
        try (MergedInput m = MergedInput.open(files, ParserSettings.DEFAULTS, SourceHints.NONE, null, null, 1)) {
            // i, then a (i is over by then); b, c and f overlap a; d is a batch document; e holds one record;
            // g and h hold none
            assertThat(m.plan()).isEqualTo(new MergedInput.Plan(9, 2, 0, 0, 1, 3));
        }
        try (MergedInput m = MergedInput.open(
                files, ParserSettings.DEFAULTS, SourceHints.NONE, null, null, Backtest.MAX_OPEN_FILES)) {
            // f, shuffled, is streamed through a buffer of its records up to its lateness
            assertThat(m.plan())
                    .extracting(MergedInput.Plan::streamed, MergedInput.Plan::notInOrder)
                    .containsExactly(5, 1);
            assertThat(m.plan().maxLateness()).isPositive().isLessThanOrEqualTo(90_000);
        }
    }

    @Test
    void shouldReportWhatTheInMemorySortReportsAndSaySoWhenAFileIsNotInTimeOrder() throws IOException {
        List<Path> inputs = mixedFolder();

        Run memory = backtest(inputs, null, null, Backtest.ALL_IN_MEMORY);
        Run streamed = backtest(inputs, null, null, Backtest.MAX_OPEN_FILES);

        assertThat(streamed.alerts()).isNotEmpty().isEqualTo(memory.alerts());
        assertThat(streamed.result()).isEqualTo(memory.result());
        assertThat(streamed.result().deadLettersByReason()).containsKey("UNKNOWN_FORMAT");
        assertThat(streamed.notes())
                .singleElement()
                .asString()
                .contains(
                        "9 file(s)", "5 streamed", "1 of these not in event-time order, put in order through a buffer")
                .contains("1 whole-file JSON document");
    }

    @Test
    void shouldGiveTheInMemoryOrderForRandomFilesOfEqualAndShuffledTimesWhateverTheOpenFileLimit() throws IOException {
        for (int seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            Path folder = Files.createDirectories(dir.resolve("random-" + seed));
            int files = 1 + random.nextInt(8);
            for (int f = 0; f < files; f++) {
                List<String> lines = new ArrayList<>();
                long t = random.nextInt(5);
                int n = random.nextInt(30);
                for (int i = 0; i < n; i++) {
                    t += random.nextInt(3); // many equal times, within and across files
                    int kind = random.nextInt(10);
                    lines.add(
                            kind == 0
                                    ? "garbage " + i
                                    : kind == 1 ? " " : start("fn" + random.nextInt(3), T0.plusSeconds(t)));
                }
                if (random.nextInt(4) == 0) {
                    java.util.Collections.shuffle(lines, random);
                } else if (random.nextBoolean()) {
                    for (int i = 0; i + 1 < lines.size(); i += 1 + random.nextInt(3)) {
                        java.util.Collections.swap(lines, i, i + 1); // nearly in order, as fleet files are
                    }
                }
                write(
                        "random-" + seed + "/" + f + (random.nextBoolean() ? ".jsonl.gz" : ".jsonl"),
                        String.join(random.nextBoolean() ? "\n" : "\r\n", lines));
            }
            List<Path> inputs = List.of(folder);
            Instant from = T0.plusSeconds(random.nextInt(10));
            Instant to = from.plusSeconds(1 + random.nextInt(40));
            assertMergeIsTheSort(inputs, null, null, Backtest.MAX_OPEN_FILES, 3, 1);
            assertMergeIsTheSort(inputs, from, to, Backtest.MAX_OPEN_FILES, 3, 1);
        }
    }

    @Test
    void shouldReadNothingFromEmptyAndBlankFilesAsTheInMemorySortDoes() throws IOException {
        Path empty = write("empty.jsonl", "");
        Path blank = write("blank.jsonl", "\n\n  \n\t\r\n");
        Path emptyGz = write("empty.jsonl.gz", "");

        Run memory = backtest(List.of(empty, blank, emptyGz), null, null, Backtest.ALL_IN_MEMORY);
        Run streamed = backtest(List.of(empty, blank, emptyGz), null, null, Backtest.MAX_OPEN_FILES);

        assertThat(streamed.result())
                .isEqualTo(memory.result())
                .isEqualTo(new Backtest.Result(3, 0, 0, 0, Map.of(), Map.of()));
        assertThat(streamed.alerts()).isEmpty();
    }

    @Test
    void shouldFailBeforeAnyAlertAsTheInMemorySortDoesWhenAGzipFileIsTruncated() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append(denial("orders-api", T0.plusMillis(10L * i))).append('\n');
        }
        byte[] gz = Files.readAllBytes(write("whole.jsonl.gz", text.toString()));
        Path truncated = dir.resolve("truncated.jsonl.gz");
        Files.write(truncated, Arrays.copyOf(gz, gz.length / 2));
        Path good = write("good.jsonl", text.toString());

        for (int maxOpen : new int[] {Backtest.ALL_IN_MEMORY, Backtest.MAX_OPEN_FILES}) {
            List<String> alerts = new ArrayList<>();
            assertThatThrownBy(() -> Backtest.run(
                            List.of(good, truncated),
                            CONFIG,
                            DETECTORS,
                            SourceHints.NONE,
                            null,
                            null,
                            a -> alerts.add(Json.string(a)),
                            n -> {},
                            note -> {},
                            maxOpen))
                    .hasMessageStartingWith(truncated + ": ")
                    .hasCauseInstanceOf(java.io.EOFException.class);
            assertThat(alerts).isEmpty();
        }
    }

    @Test
    void shouldReadTheLinesRecordReaderReadsWhateverTheLineEndsAndBlanks() throws IOException {
        byte[] alphabet = {'a', 'b', ' ', '\t', '\r', '\n', '\n', '{'};
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(round < 400 ? 40 : 40_000)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (bytes.length > 0) {
                bytes[0] = 'a'; // never one JSON document
            }
            Path file = dir.resolve("lines-" + round + ".txt");
            Files.write(file, bytes);

            List<String> expected = new RecordReader(ParserSettings.DEFAULTS)
                    .read(bytes).stream().map(r -> Arrays.toString(r.value())).toList();
            List<String> actual = new ArrayList<>();
            try (MergedInput.Lines lines = new MergedInput.Lines(file)) {
                for (byte[] l = lines.next(); l != null; l = lines.next()) {
                    actual.add(Arrays.toString(l));
                }
            }
            assertThat(actual).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void shouldReadALineLongerThanManyBuffersAndTheShortOneAfterIt() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write("x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
        text.write("\nshort\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("long.txt");
        Files.write(file, text.toByteArray());

        try (MergedInput.Lines lines = new MergedInput.Lines(file)) {
            assertThat(lines.next()).hasSize(1 << 20);
            assertThat(new String(lines.next(), StandardCharsets.UTF_8)).isEqualTo("short");
            assertThat(lines.next()).isNull();
        }
    }
}
