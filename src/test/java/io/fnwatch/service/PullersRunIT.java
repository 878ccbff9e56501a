package io.fnwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.config.PullConfig;
import io.fnwatch.ingest.eventhubs.EventHubsSettings;
import io.fnwatch.ingest.pubsub.LocalPubSub;
import io.fnwatch.ingest.pull.PulledLogs;
import io.fnwatch.ingest.pull.TopicRecords;
import io.fnwatch.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fnwatch run} with both pullers in a child JVM: a local Pub/Sub server (one subscription that exists, one
 * that does not) and the broker's SASL/PLAIN listener standing in for Event Hubs. The logs of both reach the raw
 * topic keyed by function, the meters are on {@code /metrics}, and {@code /readyz} names the missing subscription
 * as failing (503) while the other sources run.
 */
class PullersRunIT {

    private static final Duration START = Duration.ofMinutes(2);
    private static final String CONNECTION = "Endpoint=sb://fnwatch-run.servicebus.windows.net/;"
            + "SharedAccessKeyName=fnwatch-listen;SharedAccessKey=cnVuLWl0LWtleQ==";
    private static final String SUBSCRIPTION = "projects/acme-prod/subscriptions/fnwatch";
    private static final String MISSING = "projects/acme-prod/subscriptions/missing";
    private static final String HUB = "function-app-logs";
    private static final String AZURE_SUB = "12cabcb4-86e8-404f-a3d2-1dc9982f45ca";

    @TempDir
    Path dir;

    @Test
    void shouldPullBothSourcesIntoTheRawTopicAndReportAFailingOneOnReadyz() throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.startTemporary(
                        new EmbeddedKafka.PlainListener(EventHubsSettings.USER, CONNECTION));
                LocalPubSub pubsub = LocalPubSub.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(HUB, 2, (short) 1)))
                        .all()
                        .get();
            }
            pubsub.publish(SUBSCRIPTION, PulledLogs.gcp("acme-prod", "checkout", "run-1", 1));
            try (KafkaProducer<byte[], byte[]> azure = new KafkaProducer<>(Map.of(
                    "bootstrap.servers",
                    broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class))) {
                azure.send(new ProducerRecord<>(HUB, PulledLogs.azureOf(AZURE_SUB, "shop", "Checkout", 2, 3)))
                        .get(30, TimeUnit.SECONDS);
            }
            int internal = CrashHarness.freePort();
            Map<String, String> s = new HashMap<>();
            s.put(FnwatchConfig.APPLICATION_ID, "fnwatch-pullers-it");
            s.put(FnwatchConfig.STATE_DIR, dir.resolve("state").toString());
            s.put(OpsSettings.HTTP_PORT, "-1");
            s.put(OpsSettings.INTERNAL_PORT, String.valueOf(internal));
            s.put(PullConfig.PUBSUB_ENABLED, "true");
            s.put(PullConfig.PUBSUB_SUBSCRIPTIONS, SUBSCRIPTION + "," + MISSING);
            s.put(PullConfig.PUBSUB_ENDPOINT, pubsub.endpoint());
            s.put(PullConfig.EVENTHUBS_ENABLED, "true");
            s.put(PullConfig.EVENTHUBS_HUBS, HUB);
            s.put(PullConfig.EVENTHUBS_BOOTSTRAP_SERVERS, broker.plainBootstrapServers());
            s.put(PullConfig.EVENTHUBS_SECURITY_PROTOCOL, "SASL_PLAINTEXT");
            s.put(PullConfig.EVENTHUBS_CONNECTION_STRING, CONNECTION);
            s.put(PullConfig.EVENTHUBS_START, "earliest");
            try (ServiceProcess run = ServiceProcess.start(broker.bootstrapServers(), s, dir.resolve("run.log"))) {
                Await.until("the Pub/Sub message acknowledged", START, () -> pubsub.acks() == 1, run::tail);
                Await.until(
                        "/readyz naming the missing subscription",
                        START,
                        () -> HttpProbe.get(internal, "/readyz").body().contains("NOT_FOUND"),
                        run::tail);
                HttpProbe.Response ready = HttpProbe.get(internal, "/readyz");
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body())
                        .contains("\"source\":\"pubsub:" + MISSING + "\",\"state\":\"failing\"")
                        .contains("\"source\":\"pubsub:" + SUBSCRIPTION + "\",\"state\":\"running\"");

                List<ConsumerRecord<String, byte[]>> raw = TopicRecords.readUntil(
                        broker.bootstrapServers(), "fnwatch-logs-raw", START, r -> r.size() >= 2);
                assertThat(raw)
                        .extracting(ConsumerRecord::key)
                        .containsExactlyInAnyOrder(
                                "default/gcp/acme-prod/us-central1/checkout",
                                "default/azure/" + AZURE_SUB + "/-/shop/Checkout");
                Await.until(
                        "the Event Hubs source running",
                        START,
                        () -> HttpProbe.get(internal, "/readyz")
                                .body()
                                .contains("\"source\":\"eventhubs:" + HUB + "\",\"state\":\"running\""),
                        run::tail);
                assertThat(HttpProbe.get(internal, "/metrics").body())
                        .containsPattern("fnwatch_pull_messages_total\\{[^}]*source=\"pubsub\"[^}]*} 1\\.0")
                        .containsPattern("fnwatch_pull_log_entries_total\\{[^}]*outcome=\"event\"[^}]*source="
                                + "\"eventhubs\"[^}]*} 3\\.0");
            }
        }
    }
}
