package io.fnwatch.serde;

import io.fnwatch.model.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde for the model records. */
public final class JsonSerde {

    private JsonSerde() {}

    public static <T> Serde<T> of(Class<T> type) {
        Serializer<T> ser = (topic, value) -> value == null ? null : Json.bytes(value);
        Deserializer<T> de = (topic, bytes) -> bytes == null ? null : Json.read(bytes, type);
        return Serdes.serdeFrom(ser, de);
    }
}
