package io.fnwatch.cli;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.model.Json;
import io.fnwatch.parse.LogParser;
import io.fnwatch.parse.ParseResult;
import io.fnwatch.parse.Redactor;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
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
        description = "Print normalized events as NDJSON on stdout and rejections on stderr ('-' reads stdin).")
final class ParseCommand implements Callable<Integer> {

    private static final Redactor REDACTOR = new Redactor();
    private static final int EXCERPT_CHARS = 120;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files or folders; - for stdin.")
    List<String> inputs;

    @Override
    public Integer call() throws IOException {
        FnwatchConfig c = common.load(java.util.Map.of());
        LogParser parser = new LogParser(c.parserSettings());
        PrintWriter out =
                new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        for (String input : inputs) {
            if ("-".equals(input)) {
                parse(
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                        "stdin",
                        parser,
                        out);
                continue;
            }
            for (Path file : FileReplayer.files(List.of(Path.of(input)))) {
                try (BufferedReader r = FileReplayer.open(file)) {
                    parse(r, file.toString(), parser, out);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static void parse(BufferedReader r, String name, LogParser parser, PrintWriter out) throws IOException {
        String line;
        long n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            ParseResult result = parser.parse(line.getBytes(StandardCharsets.UTF_8));
            result.events().forEach(e -> out.println(Json.string(e)));
            for (var rej : result.rejections()) {
                // the detail was masked by the parser; the excerpt of the line is masked here, in a bounded window
                String excerpt =
                        REDACTOR.maskedRecord(line, EXCERPT_CHARS) + (line.length() > EXCERPT_CHARS ? "…" : "");
                System.err.printf("%s:%d %s %s: %s%n", name, n, rej.reason(), rej.detail(), excerpt);
            }
        }
    }
}
