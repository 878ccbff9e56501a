package io.fnwatch.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A printable form of a configuration with every secret replaced by {@link #HIDDEN}. A key is secret when a
 * Kafka client declares it a PASSWORD, or when its name says so (for keys no client declares, such as a
 * config provider's parameters): printing a config must never be the way a password leaks.
 */
final class ConfigDescription {

    static final String HIDDEN = "[hidden]";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|secret|jaas|token|credential|api[._-]?key|private[._-]?key|auth[._-]?info).*");
    private static final Set<String> KAFKA_PASSWORDS = Stream.of(
                    ProducerConfig.configDef(),
                    ConsumerConfig.configDef(),
                    AdminClientConfig.configDef(),
                    StreamsConfig.configDef())
            .flatMap(d -> d.configKeys().values().stream())
            .filter(k -> k.type == ConfigDef.Type.PASSWORD)
            .map(k -> k.name)
            .collect(Collectors.toUnmodifiableSet());

    private ConfigDescription() {}

    static boolean isSecret(String key) {
        String bare =
                key.startsWith(FnwatchConfig.KAFKA_PREFIX) ? key.substring(FnwatchConfig.KAFKA_PREFIX.length()) : key;
        return KAFKA_PASSWORDS.contains(bare) || SECRET_NAME.matcher(bare).matches();
    }

    /** One {@code key=value} line per setting, sorted, secrets hidden. */
    static String describe(Map<String, Object> values, Map<String, Object> kafka) {
        Map<String, Object> all = new TreeMap<>();
        values.forEach((k, v) -> all.put(k, v));
        kafka.forEach((k, v) -> all.put(FnwatchConfig.KAFKA_PREFIX + k, v));
        return all.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? HIDDEN : e.getValue()))
                .collect(Collectors.joining("\n"));
    }
}
