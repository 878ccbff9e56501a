package io.fnwatch.kafka;

import io.fnwatch.config.FnwatchConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client settings shared by every producer, consumer and admin fnwatch creates. */
public final class KafkaClients {

    private KafkaClients() {}

    public static Map<String, Object> common(FnwatchConfig c) {
        Map<String, Object> p = new HashMap<>(c.kafkaClientOverrides());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        return p;
    }

    /** Idempotent, acks=all, lz4: a record acknowledged is a record kept. */
    public static Map<String, Object> producer(FnwatchConfig c) {
        Map<String, Object> p = common(c);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Reads only committed records: alerts written under exactly-once are never seen twice. */
    public static Map<String, Object> consumer(FnwatchConfig c, String groupId) {
        Map<String, Object> p = common(c);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }
}
