package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.EmbeddedKafkaExtension;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fnwatch inventory import} writes its seeds to the inventory topic of a real broker, keyed by function. */
class InventoryImportIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void shouldWriteOneSeedPerFunctionToTheInventoryTopic(@TempDir Path dir) throws Exception {
        FnwatchConfig c = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers()));
        TopicAdmin.ensure(c);
        Path file = Files.writeString(
                dir.resolve("inventory.csv"),
                "account,region,function,lastInvoked,runtime\n"
                        + "123456789012,eu-west-2,nightly-report,2025-06-01T00:00:00Z,python3.8\n"
                        + "123456789012,eu-west-2,month-end,2025-09-30,nodejs16.x\n");

        int status = Main.execute(
                "inventory",
                "import",
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--tenant",
                "acme",
                file.toString());

        assertThat(status).isZero();
        Map<String, Map<String, Object>> seeds = new LinkedHashMap<>();
        try (TopicReader r = new TopicReader(c, c.string(FnwatchConfig.TOPIC_INVENTORY))) {
            r.readToEnd(rec -> seeds.put(rec.key(), Json.read(rec.value(), Map.class)));
        }
        assertThat(seeds)
                .containsOnlyKeys(
                        "acme/aws/123456789012/eu-west-2/nightly-report", "acme/aws/123456789012/eu-west-2/month-end");
        assertThat(seeds.get("acme/aws/123456789012/eu-west-2/month-end"))
                .containsEntry("lastInvoked", "2025-09-30T00:00:00Z")
                .containsEntry("runtime", "aws:nodejs16.x")
                .containsEntry("seededFrom", "import");
    }
}
