package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordReaderTest {

    private final RecordReader reader = new RecordReader(ParserSettings.DEFAULTS);

    private List<String> records(RecordReader r, String input) {
        return r.read(input.getBytes(StandardCharsets.UTF_8)).stream()
                .map(raw -> new String(raw.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private List<String> records(String input) {
        return records(reader, input);
    }

    @Test
    void shouldReadNdjsonLineByLineKeepingEachLinesBytesAndNumber() {
        List<RecordReader.Raw> raws =
                reader.read("{\"a\":1}\r\n\n  \n{\"b\": 2 }\n{\"c\":3}".getBytes(StandardCharsets.UTF_8));

        assertThat(raws)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("{\"a\":1}", "{\"b\": 2 }", "{\"c\":3}");
        assertThat(raws).extracting(r -> r.where("f")).containsExactly("f:1", "f:4", "f:5");
    }

    @Test
    void shouldSplitAPrettyPrintedCloudTrailLogFileIntoOneRecordPerEventInItsWrapper() {
        String file =
                "{\n    \"Records\": [\n        {\"eventName\": \"A\"},\n        {\"eventName\": \"B\"}\n    ]\n}\n";

        List<RecordReader.Raw> raws = reader.read(file.getBytes(StandardCharsets.UTF_8));

        assertThat(records(file))
                .containsExactly("{\"Records\":[{\"eventName\":\"A\"}]}", "{\"Records\":[{\"eventName\":\"B\"}]}");
        assertThat(raws).extracting(r -> r.where("f")).containsExactly("f#1", "f#2");
    }

    @Test
    void shouldSplitAOneLineWrapperTooSoThatALargeLogFileNeedNotFitOneRecord() {
        assertThat(records("{\"records\":[{\"n\":1},{\"n\":2},{\"n\":3}]}")).hasSize(3);
    }

    @Test
    void shouldGiveEachElementOfATopLevelArrayWhateverTheWhitespace() {
        assertThat(records("\uFEFF[\r\n\t{\"n\": 1},\r\n\t{\"n\": 2}\r\n]\r\n"))
                .containsExactly("{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void shouldKeepAnObjectThatIsNotABatchWholeAsWrittenAndNameItsFirstLine() {
        String payload = "{\n  \"owner\": \"1\",\n  \"logEvents\": [\n    {\"id\": \"1\"}\n  ]\n}";

        assertThat(records("\n\n" + payload + "\n")).containsExactly(payload);
        assertThat(reader.read(("\n\n" + payload).getBytes(StandardCharsets.UTF_8)))
                .extracting(r -> r.where("f"))
                .containsExactly("f:3");
    }

    @Test
    void shouldKeepABatchOfNonObjectsWholeSoThatItGivesOneDeadLetterNotMany() {
        assertThat(records("{\"x\": [1, 2, 3]}")).containsExactly("{\"x\": [1, 2, 3]}");
    }

    @Test
    void shouldFallBackToLinesWhenTheDocumentIsCutShortSoEveryLineStillBecomesADeadLetter() {
        assertThat(records("{\n  \"Records\": [\n    {\"n\": 1},\n"))
                .containsExactly("{", "  \"Records\": [", "    {\"n\": 1},");
    }

    @Test
    void shouldFallBackToLinesWhenTwoDocumentsFollowEachOther() {
        assertThat(records("{\n\"a\": 1\n}\n{\n\"b\": 2\n}\n")).hasSize(6);
    }

    @Test
    void shouldFallBackToLinesWhenTextFollowsTheDocument() {
        assertThat(records("{\"a\": 1}\nSTART RequestId: x\n")).containsExactly("{\"a\": 1}", "START RequestId: x");
    }

    @Test
    void shouldReadPlainTextAndScalarsAsLines() {
        assertThat(records("START RequestId: x\nEND\n")).containsExactly("START RequestId: x", "END");
        assertThat(records("42\n")).containsExactly("42");
    }

    @Test
    void shouldReadADocumentLargerThanTheBoundAsLinesInsteadOfHoldingItInMemory() {
        RecordReader small = new RecordReader(ParserSettings.DEFAULTS, 16);
        String doc = "{\n\"Records\": [\n{\"eventName\": \"A\"}\n]\n}";

        assertThat(records(small, doc)).hasSize(5);
        assertThat(records(reader, doc)).containsExactly("{\"Records\":[{\"eventName\":\"A\"}]}");
    }

    @Test
    void shouldReadADocumentPastJacksonsNestingLimitAsLinesWithoutThrowing() {
        String deep = "[".repeat(LogParser.MAX_JSON_NESTING + 5) + "\n" + "]".repeat(LogParser.MAX_JSON_NESTING + 5);

        assertThat(records(deep)).hasSize(2);
    }

    @Test
    void shouldKeepAnEmptyBatchAsOneRecordSoThatItStillLeavesADeadLetter() {
        assertThat(records("[ ]")).containsExactly("[ ]");
        assertThat(records("{\n\"Records\": []\n}")).containsExactly("{\n\"Records\": []\n}");
    }

    @Test
    void shouldGiveNothingForAnEmptyOrBlankInput() {
        assertThat(records("")).isEmpty();
        assertThat(records(" \n\r\n\t\n")).isEmpty();
    }
}
