package io.fnwatch.kafka;

import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.FnwatchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates fnwatch's topics explicitly with their partitions and configs (brokers should not auto-create).
 * Topics that already exist are left as they are.
 */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    public static List<NewTopic> topics(FnwatchConfig c) {
        int partitions = c.integer(FnwatchConfig.PARTITIONS);
        short rf = (short) c.integer(FnwatchConfig.REPLICATION);
        String forever = "-1";
        return List.of(
                new NewTopic(c.string(FnwatchConfig.TOPIC_RAW), partitions, rf).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_MS)),
                        TopicConfig.RETENTION_BYTES_CONFIG,
                        String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_BYTES)),
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")),
                new NewTopic(c.string(FnwatchConfig.TOPIC_EVENTS), partitions, rf).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_MS)),
                        TopicConfig.RETENTION_BYTES_CONFIG,
                        String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_BYTES)))),
                // Alerts are stamped with event time; time-based retention would delete replayed ones at once.
                new NewTopic(c.string(FnwatchConfig.TOPIC_ALERTS), partitions, rf).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, forever)),
                new NewTopic(c.string(FnwatchConfig.TOPIC_DEAD_LETTERS), partitions, rf).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 86_400_000L))),
                new NewTopic(c.string(FnwatchConfig.TOPIC_INVENTORY), partitions, rf).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                // one small record per log group, read whole at start: one partition is plenty
                new NewTopic(c.string(CloudWatchConfig.TOPIC_CHECKPOINTS), 1, rf).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** Creates the missing topics; returns the names created. */
    public static List<String> ensure(FnwatchConfig c) throws InterruptedException {
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics(c).stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return created;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
                }
            }
            missing.forEach(t -> created.add(t.name()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics at "
                    + c.string(FnwatchConfig.BOOTSTRAP_SERVERS) + ": " + e.getCause().getMessage(), e);
        }
        return created;
    }
}
