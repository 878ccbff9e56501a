package io.fnwatch.cli;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.FileReplayer;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.serde.TenantTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Write provider log files (one record per line or per record of a whole-file JSON document, .gz ok, folders walked) to a tenant's raw topic.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    RegionOption region;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description = "Tenant of the logs: they go to its raw topic <topic.logs.raw>.<tenant>, which the Kafka "
                    + "principal must be allowed to write (default: tenant.default, on topic.logs.raw).")
    String tenant;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files or folders.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        FnwatchConfig c = common.loadClient();
        TenantTopics topics = TenantTopics.from(c);
        String t = CommonOptions.tenant(tenant, c);
        String topic = topics.topicOf(t);
        FileReplayer replayer =
                new FileReplayer(KafkaClients.producer(c), topic, t, c.parserSettings(), region.hints());
        FileReplayer.Result r = replayer.replay(files, n -> System.err.printf("  replayed %,d records%n", n));
        System.err.printf(
                "replayed %,d records (%,d bytes) from %d file(s) to %s (tenant %s) at %s%n",
                r.records(), r.bytes(), r.files().size(), topic, t, c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        return 0;
    }
}
