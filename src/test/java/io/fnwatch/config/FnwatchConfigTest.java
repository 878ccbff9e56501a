package io.fnwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FnwatchConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeFileThenEnvironmentThenOverridesInThatOrder() throws IOException {
        Path file = dir.resolve("fnwatch.properties");
        Files.writeString(file, "application.id=from-file\ntopics.partitions=6\nnum.stream.threads=2\n");

        FnwatchConfig c = FnwatchConfig.load(
                file,
                Map.of("FNWATCH_TOPICS_PARTITIONS", "12", "FNWATCH_NUM_STREAM_THREADS", "3", "PATH", "/bin"),
                Map.of("num.stream.threads", "4"));

        assertThat(c.string(FnwatchConfig.APPLICATION_ID)).isEqualTo("from-file");
        assertThat(c.integer(FnwatchConfig.PARTITIONS)).isEqualTo(12);
        assertThat(c.integer(FnwatchConfig.STREAM_THREADS)).isEqualTo(4);
        assertThat(c.string(FnwatchConfig.TOPIC_ALERTS)).isEqualTo("fnwatch-alerts");
    }

    @Test
    void shouldPassKafkaPrefixedSettingsToClients() {
        FnwatchConfig c = FnwatchConfig.load(
                null,
                Map.of("FNWATCH_KAFKA_SECURITY_PROTOCOL", "SSL"),
                Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(c.kafkaClientOverrides())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        FnwatchConfig replaced = c.with("kafka.sasl.mechanism", "PLAIN");
        assertThat(replaced.kafkaClientOverrides())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.kafkaClientOverrides()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldListEveryProblemAtOnceWhenSettingsAreBad() {
        assertThatThrownBy(() -> FnwatchConfig.load(
                        null,
                        Map.of("FNWATCH_NUM_STREM_THREADS", "2"),
                        Map.of(
                                "topics.partitions",
                                "zero",
                                "processing.guarantee",
                                "maybe",
                                "embedded.port",
                                "70000",
                                "colour",
                                "red")))
                .isInstanceOfSatisfying(
                        ConfigErrors.class,
                        e -> assertThat(e.problems())
                                .anyMatch(p -> p.startsWith("environment FNWATCH_NUM_STREM_THREADS: unknown setting"))
                                .anyMatch(p -> p.startsWith("topics.partitions:"))
                                .anyMatch(p -> p.startsWith("processing.guarantee:"))
                                .anyMatch(p -> p.startsWith("embedded.port:"))
                                .anyMatch(p -> p.startsWith("colour: unknown setting"))
                                .hasSize(5));
    }

    @Test
    void shouldAcceptEveryEnvironmentKeyThatDockerComposeSetsForTheService() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("docker-compose.yml").toFile());
        JsonNode env = compose.path("services").path("fnwatch").path("environment");
        List<String> keys = new ArrayList<>();
        env.fieldNames().forEachRemaining(keys::add);
        Map<String, String> values = new java.util.HashMap<>();
        env.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));

        assertThat(keys).isNotEmpty().contains("FNWATCH_BOOTSTRAP_SERVERS");
        assertThat(keys).allMatch(FnwatchConfig::acceptsEnv);
        FnwatchConfig c = FnwatchConfig.load(null, values, Map.of());
        assertThat(c.string(FnwatchConfig.BOOTSTRAP_SERVERS)).isEqualTo(values.get("FNWATCH_BOOTSTRAP_SERVERS"));
    }

    @Test
    void shouldHideEverySecretWhenTheConfigIsDescribed() {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("kafka.security.protocol", "SASL_SSL");
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        settings.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"fnwatch\" password=\"hunter2-jaas\";");
        settings.put("kafka.ssl.keystore.password", "hunter2-keystore");
        settings.put("kafka.ssl.key.password", "hunter2-key");
        settings.put("kafka.config.providers.vault.param.token", "hunter2-token");
        settings.put("kafka.ssl.keystore.location", "/etc/fnwatch/keystore.p12");

        String described = FnwatchConfig.of(settings).describe();

        assertThat(described)
                .doesNotContain("hunter2")
                .contains(
                        "kafka.ssl.key.password=[hidden]",
                        "kafka.sasl.jaas.config=[hidden]",
                        "kafka.config.providers.vault.param.token=[hidden]")
                .contains(
                        "kafka.security.protocol=SASL_SSL",
                        "kafka.ssl.keystore.location=/etc/fnwatch/keystore.p12",
                        "num.standby.replicas=0",
                        "state.dir=./data/state",
                        "ops.keys.file=");
    }

    @Test
    void shouldRejectAnApplicationServerThatIsNotHostAndPort() {
        assertThatThrownBy(() -> FnwatchConfig.of(Map.of("application.server", "fnwatch-1")))
                .isInstanceOf(ConfigErrors.class)
                .hasMessageContaining("application.server");
        assertThat(FnwatchConfig.of(Map.of("application.server", "fnwatch-1.internal:8080"))
                        .string("application.server"))
                .isEqualTo("fnwatch-1.internal:8080");
    }
}
