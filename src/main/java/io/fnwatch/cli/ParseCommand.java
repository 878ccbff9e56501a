package io.fnwatch.cli;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.RecordReader;
import io.fnwatch.parse.Redactor;
import io.fnwatch.parse.SourceHints;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = "Print normalized events as NDJSON on stdout and rejections on stderr ('-' reads stdin). A file"
                + " is read line by line, or as one JSON document when it holds exactly one.")
final class ParseCommand implements Callable<Integer> {

    private static final Redactor REDACTOR = new Redactor();
    private static final int EXCERPT_CHARS = 120;

    @Mixin
    CommonOptions common;

    @Mixin
    RegionOption region;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files or folders; - for stdin.")
    List<String> inputs;

    @Override
    public Integer call() throws IOException {
        FnwatchConfig c = common.load(java.util.Map.of());
        SourceHints hints = region.hints();
        LogParser parser = new LogParser(c.parserSettings());
        RecordReader reader = new RecordReader(c.parserSettings());
        PrintWriter out =
                new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        for (String input : inputs) {
            if ("-".equals(input)) {
                reader.read(System.in, raw -> print(raw, "stdin", parser, hints, out));
                continue;
            }
            for (Path file : FileReplayer.files(List.of(Path.of(input)))) {
                FileReplayer.read(file, reader, raw -> print(raw, file.toString(), parser, hints, out));
            }
        }
        out.flush();
        return 0;
    }

    private static void print(RecordReader.Raw raw, String name, LogParser parser, SourceHints hints, PrintWriter out) {
        ParseResult result = parser.parse(raw.value(), null, hints);
        result.events().forEach(e -> out.println(Json.string(e)));
        if (result.rejections().isEmpty()) {
            return;
        }
        String record = new String(raw.value(), StandardCharsets.UTF_8);
        // the detail was masked by the parser; the excerpt of the record is masked here, in a bounded window
        String excerpt = REDACTOR.maskedRecord(record, EXCERPT_CHARS) + (record.length() > EXCERPT_CHARS ? "…" : "");
        for (var rej : result.rejections()) {
            System.err.printf("%s %s %s: %s%n", raw.where(name), rej.reason(), rej.detail(), excerpt);
        }
    }
}
