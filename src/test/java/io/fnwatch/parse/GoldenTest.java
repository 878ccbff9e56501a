package io.fnwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fnwatch.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden suite: every {@code src/test/resources/golden/<format>/<case>.in} is parsed and compared with
 * {@code <case>.expected.ndjson} — one line per event (its JSON), then one {@code {"rejected":REASON}} line
 * per rejection and one {@code {"skipped":N}} line when control messages were skipped. Inputs named
 * {@code *.gz.in} are gzipped before parsing; {@code *.b64gz.in} are gzipped and then base64-encoded into
 * the {@code {{B64GZ}}} placeholder of the matching {@code *.wrapper} file. Other inputs are read as
 * {@code parse} and {@code replay} read files ({@link RecordReader}): line by line, or as the records of the one
 * JSON document the file holds. A {@code <case>.hints.json} ({@code {"region": "eu-west-2"}}) gives every record
 * of the case the {@link SourceHints} an ingest request or raw-record header would. Run with
 * {@code -Dgolden.bless=true} to (re)write expected files — then read every line before committing them.
 */
class GoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden");
    private static final boolean BLESS = Boolean.getBoolean("golden.bless");

    private final LogParser parser = new LogParser(ParserSettings.DEFAULTS);

    static List<byte[]> inputs(Path in) throws IOException {
        byte[] raw = Files.readAllBytes(in);
        String name = in.getFileName().toString();
        if (name.endsWith(".gz.in")) {
            return List.of(gzip(raw));
        }
        if (name.endsWith(".b64gz.in")) {
            Path wrapper = in.resolveSibling(name.replace(".b64gz.in", ".wrapper"));
            String b64 = Base64.getEncoder().encodeToString(gzip(raw));
            return List.of(Files.readString(wrapper).replace("{{B64GZ}}", b64).getBytes(StandardCharsets.UTF_8));
        }
        return new RecordReader(ParserSettings.DEFAULTS)
                .read(raw).stream().map(RecordReader.Raw::value).toList();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(raw);
        }
        return buf.toByteArray();
    }

    static List<String> render(ParseResult r) {
        List<String> lines = new ArrayList<>();
        r.events().forEach(e -> lines.add(Json.string(e)));
        r.rejections().forEach(x -> {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("rejected", x.reason().name());
            lines.add(n.toString());
        });
        if (r.skipped() > 0) {
            lines.add("{\"skipped\":" + r.skipped() + "}");
        }
        return lines;
    }

    /** The case's hints, read as the ingest reads a header: a value that is not a region is no hint. */
    static SourceHints hints(Path file) throws IOException {
        if (!Files.exists(file)) {
            return SourceHints.NONE;
        }
        return SourceHints.ofRegion(
                Json.MAPPER.readTree(file.toFile()).path("region").asText(null));
    }

    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".in"))
                    .sorted()
                    .toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldParseEveryGoldenInputToItsExpectedEvents() throws IOException {
        return cases().stream()
                .map(in -> DynamicTest.dynamicTest(ROOT.relativize(in).toString(), () -> {
                    String base = in.getFileName().toString().replaceAll("(\\.gz|\\.b64gz)?\\.in$", "");
                    Path expected = in.resolveSibling(base + ".expected.ndjson");
                    SourceHints hints = hints(in.resolveSibling(base + ".hints.json"));
                    List<String> actual = new ArrayList<>();
                    for (byte[] record : inputs(in)) {
                        actual.addAll(render(parser.parse(record, null, hints)));
                    }
                    if (BLESS) {
                        Files.write(expected, actual);
                    }
                    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(expected));
                }));
    }

    @Test
    void shouldHaveAtLeastThreeCasesPerFormat() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(p -> p.toString().endsWith(".in")).count())
                            .as(dir.getFileName().toString())
                            .isGreaterThanOrEqualTo(3);
                }
            }
        }
    }
}
