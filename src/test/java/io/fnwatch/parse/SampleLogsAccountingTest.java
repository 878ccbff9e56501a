package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.DeadLetter.Reason;
import io.fnwatch.model.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every line of sample-logs/ becomes events, dead letters or skipped control messages — nothing vanishes. */
class SampleLogsAccountingTest {

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    private record Tally(long lines, long events, long rejections, long skipped, Map<Reason, Integer> reasons) {}

    /** Reads every file as {@code parse} and {@code replay} do: each raw record (line or document record) once. */
    private Tally tally(Path folder) throws IOException {
        long[] n = new long[4]; // records, events, rejections, skipped
        Map<Reason, Integer> reasons = new TreeMap<>();
        RecordReader reader = new RecordReader(ParserSettings.DEFAULTS);
        for (Path file : FileReplayer.files(List.of(folder))) {
            FileReplayer.read(file, reader, raw -> {
                n[0]++;
                ParseResult p = parser.parse(raw.value());
                n[1] += p.events().size();
                n[2] += p.rejections().size();
                n[3] += p.skipped();
                p.rejections().forEach(x -> reasons.merge(x.reason(), 1, Integer::sum));
                assertThat(Json.string(p.events())).doesNotContain("Pa55w0rd");
            });
        }
        return new Tally(n[0], n[1], n[2], n[3], reasons);
    }

    @Test
    void shouldTurnEveryLambdaLogLineIntoExactlyOneEvent() throws IOException {
        Tally t = tally(Path.of("sample-logs/aws-lambda"));

        assertThat(t.lines()).isGreaterThan(100_000);
        assertThat(t.events()).isEqualTo(t.lines());
        assertThat(t.rejections()).isZero();
    }

    @Test
    void shouldTurnEveryMalformedLineIntoExactlyOneDeadLetterWithItsReason() throws IOException {
        Tally t = tally(Path.of("sample-logs/malformed"));

        assertThat(t.events()).isZero();
        assertThat(t.rejections()).isEqualTo(t.lines());
        assertThat(t.reasons())
                .isEqualTo(Map.of(Reason.BAD_JSON, 1, Reason.MISSING_FIELD, 3, Reason.UNKNOWN_FORMAT, 3));
    }

    /** Log entries a provider line holds: the records of an Azure or CloudTrail document, else one entry. */
    private static int entries(String line) throws IOException {
        var doc = Json.MAPPER.readTree(line);
        var records = doc.has("records") ? doc.get("records") : doc.get("Records");
        return records != null && records.isArray() ? records.size() : 1;
    }

    @Test
    void shouldAccountForEveryProviderLogEntryAsAnEventOrASkippedRecord() throws IOException {
        for (String folder : List.of("sample-logs/gcp", "sample-logs/azure", "sample-logs/cloudtrail")) {
            long entries = 0;
            for (Path file : FileReplayer.files(List.of(Path.of(folder)))) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    entries += line.isBlank() ? 0 : entries(line);
                }
            }
            Tally t = tally(Path.of(folder));

            assertThat(t.events() + t.rejections() + t.skipped()).as(folder).isEqualTo(entries);
            assertThat(t.rejections()).as(folder).isZero();
        }
    }
}
