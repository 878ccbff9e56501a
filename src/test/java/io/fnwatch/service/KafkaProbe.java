package io.fnwatch.service;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.KafkaClients;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** What the tests ask Kafka about a run: committed progress, log ends, open transactions, group members. */
final class KafkaProbe implements AutoCloseable {

    private final Admin admin;
    private final FnwatchConfig config;

    KafkaProbe(FnwatchConfig config) {
        this.config = config;
        this.admin = Admin.create(KafkaClients.common(config));
    }

    /** Input records the application has committed as processed (sum over raw partitions). */
    long committedInput() throws Exception {
        String raw = config.string(FnwatchConfig.TOPIC_RAW);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                        config.string(FnwatchConfig.APPLICATION_ID))
                .partitionsToOffsetAndMetadata()
                .get();
        return committed.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(raw) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** Records written to a topic so far, committed or not (aborted ones and markers included). */
    long writtenTo(String topic) throws Exception {
        return ends(topic, IsolationLevel.READ_UNCOMMITTED).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** True when no transaction is open on the topic: its last stable offset has reached its end everywhere. */
    boolean settled(String topic) throws Exception {
        return ends(topic, IsolationLevel.READ_COMMITTED).equals(ends(topic, IsolationLevel.READ_UNCOMMITTED));
    }

    /**
     * The transactions open on the broker, one line each: transactional id, state, age, timeout and the
     * partitions written; empty when none is open. For failure messages: an open transaction holds back what
     * read_committed readers see on those partitions.
     */
    String openTransactions() throws Exception {
        List<String> ids = admin.listTransactions().all().get().stream()
                .filter(t -> t.state() != TransactionState.COMPLETE_COMMIT
                        && t.state() != TransactionState.COMPLETE_ABORT
                        && t.state() != TransactionState.EMPTY)
                .map(TransactionListing::transactionalId)
                .toList();
        if (ids.isEmpty()) {
            return "";
        }
        long now = System.currentTimeMillis();
        return admin.describeTransactions(ids).all().get().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().state() + " for "
                        + (now - e.getValue().transactionStartTimeMs().orElse(now)) + " ms (timeout "
                        + e.getValue().transactionTimeoutMs() + " ms) on "
                        + e.getValue().topicPartitions())
                .collect(Collectors.joining("\n"));
    }

    /** Members of the application's consumer group that hold at least one partition. */
    int membersWithPartitions() throws Exception {
        String group = config.string(FnwatchConfig.APPLICATION_ID);
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
        return (int) d.members().stream()
                .filter(m -> !m.assignment().topicPartitions().isEmpty())
                .count();
    }

    private Map<TopicPartition, Long> ends(String topic, IsolationLevel isolation) throws Exception {
        Collection<TopicPartition> partitions =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        return admin
                .listOffsets(
                        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                        new ListOffsetsOptions(isolation))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        admin.close();
    }
}
