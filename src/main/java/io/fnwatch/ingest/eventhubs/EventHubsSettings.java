package io.fnwatch.ingest.eventhubs;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.PullConfig;
import io.fnwatch.ingest.pull.PullSource;
import io.fnwatch.ingest.pull.SourcesFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Event Hubs puller's settings, checked together when it is enabled, and the Kafka consumer they make: Event
 * Hubs' Kafka endpoint (port 9093) takes SASL/PLAIN over TLS with the user {@code $ConnectionString} and the
 * connection string as password.
 */
public record EventHubsSettings(
        List<PullSource> sources,
        String bootstrapServers,
        String connectionString,
        String securityProtocol,
        String consumerGroup,
        String start,
        int maxPollRecords,
        long kafkaTimeoutMs,
        long backoffBaseMs,
        long backoffMaxMs) {

    public static final String USER = "$ConnectionString";
    private static final Pattern ENDPOINT = Pattern.compile("(?i)(?:^|;)\\s*Endpoint\\s*=\\s*sb://([^/;]+)/?");

    public static EventHubsSettings from(FnwatchConfig c) {
        List<String> problems = new ArrayList<>();
        List<PullSource> sources = SourcesFile.read(
                "eventhubs",
                c.list(PullConfig.EVENTHUBS_HUBS),
                c.string(PullConfig.EVENTHUBS_SOURCES_FILE),
                c.string(FnwatchConfig.DEFAULT_TENANT),
                problems);
        if (sources.isEmpty() && problems.isEmpty()) {
            problems.add(PullConfig.EVENTHUBS_HUBS + ": with no hub and no " + PullConfig.EVENTHUBS_SOURCES_FILE
                    + " there is nothing to pull");
        }
        String connection =
                java.util.Objects.requireNonNullElse(c.password(PullConfig.EVENTHUBS_CONNECTION_STRING), "");
        if (connection.isEmpty()) {
            problems.add(PullConfig.EVENTHUBS_CONNECTION_STRING + ": not set (a listen-only SAS policy's connection "
                    + "string; FNWATCH_EVENTHUBS_CONNECTION_STRING)");
        }
        String bootstrap = c.string(PullConfig.EVENTHUBS_BOOTSTRAP_SERVERS);
        if (bootstrap.isEmpty() && !connection.isEmpty()) {
            Matcher m = ENDPOINT.matcher(connection);
            if (m.find()) {
                bootstrap = m.group(1) + ":9093";
            } else {
                problems.add(PullConfig.EVENTHUBS_CONNECTION_STRING + ": no Endpoint=sb://NAMESPACE.servicebus."
                        + "windows.net/ in it; set " + PullConfig.EVENTHUBS_BOOTSTRAP_SERVERS);
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new EventHubsSettings(
                sources,
                bootstrap,
                connection,
                c.string(PullConfig.EVENTHUBS_SECURITY_PROTOCOL),
                c.string(PullConfig.EVENTHUBS_CONSUMER_GROUP),
                c.string(PullConfig.EVENTHUBS_START),
                c.integer(PullConfig.EVENTHUBS_MAX_POLL_RECORDS),
                c.longValue(PullConfig.KAFKA_TIMEOUT_MS),
                c.longValue(PullConfig.BACKOFF_BASE_MS),
                c.longValue(PullConfig.BACKOFF_MAX_MS));
    }

    public List<String> tenants() {
        return sources.stream().map(PullSource::tenant).distinct().toList();
    }

    /**
     * The consumer of the Event Hubs endpoint: none of fnwatch's own {@code kafka.*} settings (they are for its
     * cluster), manual commits, and the timeouts Microsoft recommends for Event Hubs (idle connections are closed
     * by Azure after 240 s).
     */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                PlainLoginModule.class.getName() + " required username=\"" + USER + "\" password=\""
                        + connectionString.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fnwatch-eventhubs");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 180_000);
        p.put(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, 180_000);
        // a batch's writes and one backoff must fit between two polls
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(120_000, 2 * (kafkaTimeoutMs + backoffMaxMs)));
        return p;
    }
}
