package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.kafka.TopicReader;
import io.fnwatch.model.Json;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The checkpoints topic: one record per log group (key {@code account/region/logGroup}), compacted. Read to its
 * end with read_committed at start, after the transactional producer fenced any older puller, so that what is
 * read is exactly what was committed together with records.
 */
final class CloudWatchCheckpoints {

    private CloudWatchCheckpoints() {}

    static String key(String account, String region, String logGroup) {
        return (account == null ? "-" : account) + "/" + region + "/" + logGroup;
    }

    static Map<String, Checkpoint> load(FnwatchConfig c, String topic) {
        Map<String, Checkpoint> out = new HashMap<>();
        try (TopicReader r = new TopicReader(c, topic)) {
            r.readToEnd(rec -> {
                if (rec.value() == null) {
                    out.remove(rec.key());
                } else {
                    out.put(rec.key(), Json.read(rec.value(), Checkpoint.class));
                }
            });
        }
        return out;
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, Checkpoint checkpoint) {
        return new ProducerRecord<>(topic, key, Json.bytes(checkpoint));
    }
}
