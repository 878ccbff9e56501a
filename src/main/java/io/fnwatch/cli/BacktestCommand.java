package io.fnwatch.cli;

import io.fnwatch.backtest.Backtest;
import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Run the service's topology offline (no broker) over log files in event-time order.",
            "Alerts go to stdout as JSON lines, exactly as on the alerts topic; progress and a summary to stderr.",
            "The whole input is held in memory to be sorted."
        })
final class BacktestCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    RegionOption region;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files or folders (.gz ok, folders walked).")
    List<Path> inputs;

    @Option(names = "--detectors", paramLabel = "DIR", description = "Detector YAML folder (sets detectors.dir).")
    Path detectorsDir;

    @Option(
            names = "--from",
            paramLabel = "ISO-INSTANT",
            converter = InstantConverter.class,
            description = "Only records whose event time is at or after this (ISO-8601, e.g. 2026-03-03T14:00:00Z;"
                    + " a date alone means its start, UTC).")
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "ISO-INSTANT",
            converter = InstantConverter.class,
            description = "Only records whose event time is before this.")
    Instant to;

    @Override
    public Integer call() throws IOException {
        if (detectorsDir != null) {
            common.settings.put(FnwatchConfig.DETECTORS_DIR, detectorsDir.toString());
        }
        FnwatchConfig config = common.load(Map.of());
        DetectorConfig detectors = CommonOptions.detectors(config);
        if (common.bootstrapServers != null) {
            throw new ConfigErrors(List.of("--bootstrap-servers: backtest runs without Kafka; leave it out"));
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ConfigErrors(List.of("--from " + from + " must be before --to " + to));
        }
        PrintStream err = System.err;
        // UTF-8 and \n whatever the platform, so that the same input gives the same bytes
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        Backtest.Result r = Backtest.run(
                inputs,
                config,
                detectors,
                region.hints(),
                from,
                to,
                a -> write(out, Json.string(a)),
                n -> err.printf("  backtested %,d records%n", n),
                err::println);
        out.flush();
        summary(r, err);
        return 0;
    }

    private static void write(Writer out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void summary(Backtest.Result r, PrintStream err) {
        err.println("Summary");
        err.printf(
                "  records read:   %,d from %d file(s), %,d in the time window%n",
                r.recordsRead(), r.files(), r.recordsInWindow());
        err.printf("  events:         %,d%n", r.events());
        err.printf(
                "  dead letters:   %,d%s%n",
                r.deadLetters(), r.deadLettersByReason().isEmpty() ? "" : " " + r.deadLettersByReason());
        err.printf("  alerts:         %,d%n", r.alerts());
        r.alertsByType().forEach((type, n) -> err.printf("    %-32s %d%n", type, n));
    }

    /** ISO-8601 instants; an offset other than Z, and minutes without seconds, are accepted too. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException ignored) {
                    throw new IllegalArgumentException("not an ISO-8601 instant (like 2026-03-03T14:00:00Z): " + value);
                }
            }
        }
    }
}
