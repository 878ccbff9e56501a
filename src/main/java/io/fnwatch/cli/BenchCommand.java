package io.fnwatch.cli;

import io.fnwatch.bench.ParseBench;
import io.fnwatch.serde.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see bench/README.md).",
        subcommands = {BenchCommand.Parse.class})
final class BenchCommand {

    @Command(name = "parse", mixinStandardHelpOptions = true,
            description = "Single-thread parse throughput against plain jackson-databind tree parsing.")
    static final class Parse implements Callable<Integer> {

        @Option(names = "--events", defaultValue = "200000", description = "Events per input mix.")
        int events;

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds (median reported).")
        int rounds;

        @Override
        public Integer call() {
            Map<String, Object> result = new ParseBench().run(events, rounds, System.out);
            System.out.println(Json.string(Map.of("bench", "parse", "results", result)));
            return 0;
        }
    }
}
