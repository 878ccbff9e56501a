package io.fnwatch.cli;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.ingest.InventoryImport;
import io.fnwatch.kafka.KafkaClients;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "inventory",
        mixinStandardHelpOptions = true,
        description = "Manage the function inventory.",
        subcommands = {InventoryCommand.Import.class})
final class InventoryCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("usage: fnwatch inventory import FILE [--tenant T]");
        return 2;
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = "Seed the inventory with functions and the time each last ran (CSV with a header row, or "
                    + "JSON): a function dormant before fnwatch started then alerts on its first invocation.")
    static final class Import implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                description = "Tenant of the functions (default: tenant.default).")
        String tenant;

        @Parameters(arity = "1", paramLabel = "FILE", description = "The export: .csv, or JSON (array or lines).")
        Path file;

        @Override
        public Integer call() throws Exception {
            FnwatchConfig c = common.loadClient();
            String t = CommonOptions.tenant(tenant, c);
            InventoryImport.Result r = InventoryImport.read(file, t, c.string(FnwatchConfig.TOPIC_INVENTORY));
            if (!r.problems().isEmpty()) {
                throw new ConfigErrors(r.problems());
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(c))) {
                Future<?> last = null;
                for (ProducerRecord<String, byte[]> seed : r.seeds()) {
                    last = producer.send(seed);
                }
                producer.flush();
                if (last != null) {
                    last.get();
                }
            }
            System.err.printf(
                    "seeded %,d function(s) of tenant %s into %s%n",
                    r.seeds().size(), t, c.string(FnwatchConfig.TOPIC_INVENTORY));
            return 0;
        }
    }
}
