package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.parse.LogParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The clients and workers of one source (account and region): discovery, inventory seeding and pulling. */
final class SourceClients implements AutoCloseable {

    private final CloudWatchSource source;
    private final CloudWatchSettings settings;
    private final FnwatchConfig config;
    private final CloudWatchLogsClient logs;
    private final LambdaClient lambda;
    private final LogGroups logGroups;
    private final LogGroupPull pull;
    private final InventorySeeder seeder;
    private final PageWriter writer;

    SourceClients(
            CloudWatchSource source,
            AwsClients aws,
            RequestGate gate,
            PageWriter writer,
            CloudWatchSettings settings,
            LogParser parser,
            FnwatchConfig config) {
        this.source = source;
        this.settings = settings;
        this.config = config;
        this.writer = writer;
        this.logs = aws.logs(source);
        this.lambda = settings.lambdaInventory() ? aws.lambda(source) : null;
        this.logGroups = new LogGroups(logs, gate);
        this.pull = new LogGroupPull(logs, gate, writer, settings, parser);
        this.seeder = new InventorySeeder(logs, lambda, gate, settings.inventoryTopic());
    }

    CloudWatchSource source() {
        return source;
    }

    LogGroupPull pull() {
        return pull;
    }

    /** The log groups to pull now; seeds the inventory with the functions it does not know yet. */
    List<LogGroups.Group> discover() throws InterruptedException {
        List<LogGroups.Group> groups = logGroups.discover(source, settings.logGroupPrefix(), settings.logGroups());
        if (settings.inventory() && !groups.isEmpty()) {
            List<ProducerRecord<String, byte[]>> seeds = seeder.seeds(source, groups, inventoryKeys());
            if (!seeds.isEmpty()) {
                writer.commit(seeds);
            }
        }
        return groups;
    }

    private Set<String> inventoryKeys() {
        Set<String> keys = new HashSet<>();
        try (TopicReader r = new TopicReader(config, settings.inventoryTopic())) {
            r.readToEnd(rec -> keys.add(rec.key()));
        }
        return keys;
    }

    @Override
    public void close() {
        logs.close();
        if (lambda != null) {
            lambda.close();
        }
    }
}
