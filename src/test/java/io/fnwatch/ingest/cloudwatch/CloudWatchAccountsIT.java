package io.fnwatch.ingest.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.config.FnwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Role assumption per account and inventory seeding, with the real SDK clients against the fake services. */
class CloudWatchAccountsIT extends CloudWatchFixture {

    private static final String OTHER = "210987654321";

    @TempDir
    Path dir;

    @Test
    void shouldAssumeTheAccountsRoleWithItsExternalIdAndGiveItsTenantWhenAnAccountsFileIsSet() throws Exception {
        Path accounts = Files.writeString(
                dir.resolve("accounts.yaml"),
                "accounts:\n  - account: \"" + OTHER + "\"\n"
                        + "    tenant: globex\n    roleArn: arn:aws:iam::" + OTHER + ":role/fnwatch-reader\n"
                        + "    externalId: ext-7f3a\n");
        configure(Map.of(
                "cloudwatch.accounts.file",
                accounts.toString(),
                "cloudwatch.inventory.enabled",
                "false",
                FnwatchConfig.RAW_TENANTS,
                "globex"));
        fake.group("/aws/lambda/checkout", OTHER);
        fake.event("/aws/lambda/checkout", T0, "START RequestId: a Version: 1");

        int written = puller().pollOnce();

        assertThat(written).isEqualTo(1);
        assertThat(fake.seen("AssumeRole"))
                .first()
                .satisfies(s -> assertThat(s.form())
                        .contains("Action=AssumeRole")
                        .contains("ExternalId=ext-7f3a")
                        .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A" + OTHER + "%3Arole%2Ffnwatch-reader"));
        assertThat(fake.seen("FilterLogEvents"))
                .allSatisfy(
                        s -> assertThat(s.authorization()).contains("Credential=" + FakeSts.ASSUMED_ACCESS_KEY + "/"));
        // globex's logs go to globex's raw topic, which is what makes them globex's; none to the default one
        String globexTopic = config.string(FnwatchConfig.TOPIC_RAW) + ".globex";
        ConsumerRecord<String, byte[]> r = read(globexTopic, 1).get(0);
        assertThat(r.key()).isEqualTo("globex/aws/" + OTHER + "/us-east-1/checkout");
        assertThat(raw()).isEmpty();
    }

    @Test
    void shouldSeedTheInventoryWithLastEventAndRuntimeWhenTheServiceDoesNotKnowTheFunction() throws Exception {
        configure(Map.of("cloudwatch.lambda.inventory.enabled", "true"));
        fake.group("/aws/lambda/dormant", ACCOUNT);
        fake.group("/aws/lambda/known", ACCOUNT);
        fake.event("/aws/lambda/dormant", T0 - 5 * MINUTE, "END RequestId: z");
        fake.functions.add(Map.of(
                "FunctionName", "dormant", "Runtime", "python3.8", "LastModified", "2024-01-15T10:00:00.000+0000"));
        String knownKey = "default/aws/" + ACCOUNT + "/us-east-1/known";
        Map<String, Object> producerConfig = new HashMap<>(io.fnwatch.kafka.KafkaClients.producer(config));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerConfig)) {
            p.send(new ProducerRecord<>(
                            config.string(FnwatchConfig.TOPIC_INVENTORY),
                            knownKey,
                            "{\"function\":\"known\"}".getBytes()))
                    .get();
        }

        puller().pollOnce();

        List<ConsumerRecord<String, byte[]>> inventory = read(config.string(FnwatchConfig.TOPIC_INVENTORY), 2);
        assertThat(inventory)
                .extracting(ConsumerRecord::key)
                .containsExactly(knownKey, "default/aws/" + ACCOUNT + "/us-east-1/dormant");
        JsonNode seeded = FakeCloudWatchLogs.JSON.readTree(inventory.get(1).value());
        assertThat(seeded.get("lastInvoked").asText())
                .isEqualTo(java.time.Instant.ofEpochMilli(T0 - 5 * MINUTE).toString());
        assertThat(seeded.get("runtime").asText()).isEqualTo("aws:python3.8");
        assertThat(seeded.get("seededFrom").asText()).isEqualTo("cloudwatch");
        assertThat(fake.seen("ListFunctions")).hasSize(1);
    }
}
