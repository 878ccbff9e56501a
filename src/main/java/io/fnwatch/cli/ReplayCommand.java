package io.fnwatch.cli;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.KafkaClients;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Write provider log files (one record per line, .gz ok, folders walked) to the raw topic.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files or folders.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        FnwatchConfig c = common.loadClient();
        FileReplayer replayer = new FileReplayer(KafkaClients.producer(c), c.string(FnwatchConfig.TOPIC_RAW),
                c.parserSettings());
        FileReplayer.Result r = replayer.replay(files, n -> System.err.printf("  replayed %,d records%n", n));
        System.err.printf("replayed %,d records (%,d bytes) from %d file(s) to %s at %s%n", r.records(), r.bytes(),
                r.files().size(), c.string(FnwatchConfig.TOPIC_RAW), c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        return 0;
    }
}
