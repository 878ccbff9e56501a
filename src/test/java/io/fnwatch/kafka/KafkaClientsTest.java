package io.fnwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadCommittedAndProduceIdempotentlyWithAcksAll() {
        FnwatchConfig c = FnwatchConfig.of(Map.of(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1"));

        ConsumerConfig consumer = new ConsumerConfig(KafkaClients.consumer(c, "g"));
        ProducerConfig producer = new ProducerConfig(KafkaClients.producer(c));

        assertThat(consumer.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))
                .isTrue();
    }

    @Test
    void shouldResolveSecretsThroughKafkaConfigProvidersInEveryClient() throws Exception {
        Path secrets = dir.resolve("kafka-secrets.properties");
        Files.writeString(secrets, "truststore.password=from-a-file\n");
        Map<String, String> settings = new HashMap<>();
        settings.put(FnwatchConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        settings.put("kafka.config.providers", "file,env");
        settings.put("kafka.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        settings.put(
                "kafka.config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        settings.put("kafka.ssl.truststore.password", "${file:" + secrets + ":truststore.password}");
        // PATH stands in for a password variable: it is set wherever the tests run
        settings.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"fnwatch\" password=\"${env:PATH}\";");
        FnwatchConfig c = FnwatchConfig.of(settings);

        ProducerConfig producer = new ProducerConfig(KafkaClients.producer(c));
        ConsumerConfig consumer = new ConsumerConfig(KafkaClients.consumer(c, null));
        AdminClientConfig admin = new AdminClientConfig(KafkaClients.common(c));

        for (var client : java.util.List.of(producer, consumer, admin)) {
            assertThat(client.getPassword(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG)
                            .value())
                    .isEqualTo("from-a-file");
            assertThat(client.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value())
                    .contains("password=\"" + System.getenv("PATH") + "\"");
        }
    }
}
