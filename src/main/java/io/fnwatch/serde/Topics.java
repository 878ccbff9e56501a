package io.fnwatch.serde;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Alert;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionEvent;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic fnwatch reads or writes: its configured name with its key and value serdes. */
public record Topics(
        Topic<String, byte[]> raw,
        Topic<String, FunctionEvent> events,
        Topic<String, Alert> alerts,
        Topic<String, DeadLetter> deadLetters,
        Topic<String, Map<String, Object>> inventory) {

    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}

    public static Topics from(FnwatchConfig c) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Serde<Map<String, Object>> mapSerde = (Serde) JsonSerde.of(Map.class);
        return new Topics(
                new Topic<>(c.string(FnwatchConfig.TOPIC_RAW), Serdes.String(), Serdes.ByteArray()),
                new Topic<>(c.string(FnwatchConfig.TOPIC_EVENTS), Serdes.String(), JsonSerde.of(FunctionEvent.class)),
                new Topic<>(c.string(FnwatchConfig.TOPIC_ALERTS), Serdes.String(), JsonSerde.of(Alert.class)),
                new Topic<>(
                        c.string(FnwatchConfig.TOPIC_DEAD_LETTERS), Serdes.String(), JsonSerde.of(DeadLetter.class)),
                new Topic<>(c.string(FnwatchConfig.TOPIC_INVENTORY), Serdes.String(), mapSerde));
    }
}
