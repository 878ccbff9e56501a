package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the input, reading it never throws and loses nothing: one document's records, or every line. */
class RecordReaderProperties {

    private final RecordReader reader = new RecordReader(ParserSettings.DEFAULTS);

    @Property(tries = 3000)
    void shouldGiveEveryNonBlankLineUnlessTheInputIsOneDocument(@ForAll("jsonish") String input) {
        List<RecordReader.Raw> raws = reader.read(input.getBytes(StandardCharsets.UTF_8));

        if (raws.stream().anyMatch(RecordReader.Raw::inDocument)) {
            assertThat(raws).allMatch(RecordReader.Raw::inDocument);
        } else if (raws.size() == 1 && new String(raws.get(0).value(), StandardCharsets.UTF_8).equals(input.strip())) {
            // one document, kept as written
        } else {
            List<String> lines = Arrays.stream(input.split("\n", -1))
                    .map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l)
                    .filter(l -> !l.isBlank())
                    .toList();
            assertThat(raws)
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(lines);
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]\":,\n\r\t 1aRecords\\").ofMaxLength(80);
    }
}
