package io.fnwatch.kafka;

import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.serde.TenantTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates fnwatch's topics explicitly with their partitions and configs (brokers should not auto-create).
 * Topics that already exist are left as they are.
 */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    public static List<NewTopic> topics(FnwatchConfig c) {
        return topics(c, List.of());
    }

    /** The topics, with the raw topics of {@code moreTenants} too (the tenants of the keys in force). */
    public static List<NewTopic> topics(FnwatchConfig c, java.util.Collection<String> moreTenants) {
        int partitions = c.integer(FnwatchConfig.PARTITIONS);
        short rf = (short) c.integer(FnwatchConfig.REPLICATION);
        String forever = "-1";
        List<NewTopic> topics = new ArrayList<>();
        TenantTopics tenants = TenantTopics.from(c);
        topics.add(rawTopic(c, tenants.base()));
        java.util.Set<String> listed = new java.util.TreeSet<>(c.list(FnwatchConfig.RAW_TENANTS));
        listed.addAll(moreTenants);
        for (String tenant : listed) {
            String name = tenants.topicOf(tenant);
            if (!name.equals(tenants.base())) {
                topics.add(rawTopic(c, name));
            }
        }
        topics.addAll(List.of(
                new NewTopic(c.string(FnwatchConfig.TOPIC_EVENTS), partitions, rf)
                        .configs(Map.of(
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_MS)),
                                TopicConfig.RETENTION_BYTES_CONFIG,
                                String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_BYTES)))),
                // Alerts are stamped with event time; time-based retention would delete replayed ones at once.
                new NewTopic(c.string(FnwatchConfig.TOPIC_ALERTS), partitions, rf)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, forever)),
                new NewTopic(c.string(FnwatchConfig.TOPIC_DEAD_LETTERS), partitions, rf)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 86_400_000L))),
                new NewTopic(c.string(FnwatchConfig.TOPIC_INVENTORY), partitions, rf)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                // one small record per log group, read whole at start: one partition is plenty
                new NewTopic(c.string(CloudWatchConfig.TOPIC_CHECKPOINTS), 1, rf)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        return topics;
    }

    /**
     * A raw topic: the default tenant's, or one tenant's. Every one has {@code topics.partitions} partitions,
     * the count of the repartition topic: a record keyed by its function is processed in the task of its
     * partition number without a repartition, which finds the function's state only when both counts agree.
     */
    public static NewTopic rawTopic(FnwatchConfig c, String name) {
        return new NewTopic(name, c.integer(FnwatchConfig.PARTITIONS), (short) c.integer(FnwatchConfig.REPLICATION))
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_MS)),
                        TopicConfig.RETENTION_BYTES_CONFIG,
                        String.valueOf(c.longValue(FnwatchConfig.RAW_RETENTION_BYTES)),
                        TopicConfig.COMPRESSION_TYPE_CONFIG,
                        "producer"));
    }

    /** Raw topics an admin created with another partition count work, but cost a repartition of each record. */
    private static void warnOfPartitionCounts(Admin admin, FnwatchConfig c, Set<String> existing)
            throws InterruptedException, ExecutionException {
        TenantTopics tenants = TenantTopics.from(c);
        List<String> raw = existing.stream().filter(tenants::isRaw).toList();
        if (raw.isEmpty()) {
            return;
        }
        int partitions = c.integer(FnwatchConfig.PARTITIONS);
        admin.describeTopics(raw).allTopicNames().get().forEach((name, d) -> {
            if (d.partitions().size() != partitions) {
                LOG.warn(
                        "raw topic {} has {} partitions, not {} ({}): records keyed by function may be processed "
                                + "apart from their function's state; recreate it with {} partitions",
                        name,
                        d.partitions().size(),
                        partitions,
                        FnwatchConfig.PARTITIONS,
                        partitions);
            }
        });
    }

    /** How long {@link #ensure} waits for new topics' partitions to be served (their leaders elected and loaded). */
    static final long SERVED_WITHIN_MS = 60_000;

    /**
     * Returns once every partition of {@code topics} answers a ListOffsets from its leader. A topic's creation
     * returns before its partitions are loaded by their leaders; an idempotent producer writing at once met
     * NOT_LEADER_OR_FOLLOWER and then, retrying, OUT_OF_ORDER_SEQUENCE_NUMBER (the crash tests' replay into a
     * new raw topic, in both runs where the broker-restart test then moved an alert). Every creator of topics
     * calls this after creating them.
     */
    public static void awaitServed(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + SERVED_WITHIN_MS * 1_000_000;
        for (int attempt = 0; ; attempt++) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get()
                        .forEach((name, d) -> d.partitions()
                                .forEach(
                                        p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5))); // new partitions load within a second
            }
        }
    }

    /** Creates the missing topics and waits until their partitions are served; returns the names created. */
    public static List<String> ensure(FnwatchConfig c) throws InterruptedException {
        return ensure(c, List.of());
    }

    /** As above, with the raw topics of {@code moreTenants} too. */
    public static List<String> ensure(FnwatchConfig c, java.util.Collection<String> moreTenants)
            throws InterruptedException {
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(KafkaClients.common(c))) {
            Set<String> existing = admin.listTopics().names().get();
            warnOfPartitionCounts(admin, c, existing);
            List<NewTopic> missing = topics(c, moreTenants).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            if (missing.isEmpty()) {
                return created;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topics: " + e.getCause().getMessage(), e);
                }
            }
            missing.forEach(t -> created.add(t.name()));
            try {
                awaitServed(admin, created);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "topics " + created + " were created but are not served: "
                                + e.getCause().getMessage(),
                        e);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot list topics at " + c.string(FnwatchConfig.BOOTSTRAP_SERVERS) + ": "
                            + e.getCause().getMessage(),
                    e);
        }
        return created;
    }
}
