package io.fnwatch.config;

import io.fnwatch.model.Tenants;
import io.fnwatch.parse.ParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The service's settings, declared once (Kafka's {@link ConfigDef}: type, default, validator, doc) and read
 * from, in increasing precedence: defaults, a properties file, {@code FNWATCH_*} environment variables and
 * command-line overrides. Every problem is collected; {@link ConfigErrors} lists them all. Keys starting
 * with {@code kafka.} are passed to every Kafka client (security settings, for example).
 */
public final class FnwatchConfig {

    public static final String KAFKA_PREFIX = "kafka.";
    public static final String ENV_PREFIX = "FNWATCH_";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String DEFAULT_TENANT = "tenant.default";
    public static final String EMBEDDED_PORT = "embedded.port";
    public static final String EMBEDDED_DATA_DIR = "embedded.data.dir";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String STANDBY_REPLICAS = "num.standby.replicas";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String PARTITIONS = "topics.partitions";
    public static final String REPLICATION = "topics.replication.factor";
    public static final String TOPIC_RAW = "topic.logs.raw";
    public static final String TOPIC_EVENTS = "topic.events";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_DEAD_LETTERS = "topic.dead.letters";
    public static final String TOPIC_INVENTORY = "topic.inventory";
    public static final String RAW_TENANTS = "topic.logs.raw.tenants";
    public static final String RAW_RETENTION_MS = "topic.logs.raw.retention.ms";
    public static final String RAW_RETENTION_BYTES = "topic.logs.raw.retention.bytes";
    public static final String EVENTS_TAP = "events.tap.enabled";
    public static final String PARSE_AHEAD = "parse.ahead.enabled";
    public static final String DETECTORS_DIR = "detectors.dir";
    public static final String LATE_GRACE_MS = "late.grace.ms";
    public static final String MAX_RECORD_BYTES = "parse.max.record.bytes";
    public static final String MAX_MESSAGE_CHARS = "parse.max.message.chars";
    public static final String MAX_DECOMPRESSED_BYTES = "parse.max.decompressed.bytes";
    public static final String MAX_RECORDS_PER_PAYLOAD = "parse.max.records.per.payload";
    public static final String MAX_EVENTS_PER_RECORD = "parse.max.events.per.record";
    public static final String MAX_NESTED_PAYLOADS = "parse.max.nested.payloads";
    public static final String MAX_INFLATION_RATIO = "parse.max.inflation.ratio";

    /** Tenant names become topic names; see {@link Tenants}. */
    private static final ConfigDef.Validator TENANT_NAMES = ConfigDef.LambdaValidator.with(
            (name, value) -> {
                List<?> names = value instanceof List<?> l ? l : List.of(String.valueOf(value));
                for (Object t : names) {
                    if (!Tenants.isValid(String.valueOf(t))) {
                        throw new ConfigException(name, t, "a tenant is " + Tenants.RULE);
                    }
                }
            },
            () -> "tenant names: " + Tenants.RULE);

    public static final ConfigDef DEF = OpsSettings.define(
            CloudWatchConfig.define(
                    HttpIngestConfig.define(
                            new ConfigDef()
                                    .define(
                                            BOOTSTRAP_SERVERS,
                                            Type.STRING,
                                            "",
                                            Importance.HIGH,
                                            "Kafka bootstrap servers; empty starts the embedded single-node broker.")
                                    .define(
                                            APPLICATION_ID,
                                            Type.STRING,
                                            "fnwatch",
                                            new ConfigDef.NonEmptyString(),
                                            Importance.HIGH,
                                            "Kafka Streams application id; instances with the same id share the work. It is also the prefix of "
                                                    + "the internal topics.")
                                    .define(
                                            DEFAULT_TENANT,
                                            Type.STRING,
                                            "default",
                                            TENANT_NAMES,
                                            Importance.MEDIUM,
                                            "Tenant of the logs on topic.logs.raw itself (1-64 of A-Z a-z 0-9 _ -).")
                                    .define(
                                            EMBEDDED_PORT,
                                            Type.INT,
                                            9092,
                                            Range.between(0, 65535),
                                            Importance.MEDIUM,
                                            "Port of the embedded broker on 127.0.0.1; 0 picks a free one.")
                                    .define(
                                            EMBEDDED_DATA_DIR,
                                            Type.STRING,
                                            "./data/kafka",
                                            Importance.MEDIUM,
                                            "Data directory of the embedded broker; formatted on first use and reused after that.")
                                    .define(
                                            STATE_DIR,
                                            Type.STRING,
                                            "./data/state",
                                            Importance.MEDIUM,
                                            "Kafka Streams state directory.")
                                    .define(
                                            PROCESSING_GUARANTEE,
                                            Type.STRING,
                                            "exactly_once_v2",
                                            ValidString.in("exactly_once_v2", "at_least_once"),
                                            Importance.MEDIUM,
                                            "Kafka Streams processing guarantee.")
                                    .define(
                                            STREAM_THREADS,
                                            Type.INT,
                                            1,
                                            Range.between(1, 64),
                                            Importance.MEDIUM,
                                            "Stream threads.")
                                    .define(
                                            STANDBY_REPLICAS,
                                            Type.INT,
                                            0,
                                            Range.between(0, 10),
                                            Importance.MEDIUM,
                                            "Warm copies of each state store kept on other instances, for a fast take-over.")
                                    .define(
                                            COMMIT_INTERVAL_MS,
                                            Type.LONG,
                                            100L,
                                            Range.between(1, 600_000),
                                            Importance.LOW,
                                            "How often Streams commits. With exactly-once, this is also when results become visible to "
                                                    + "read_committed readers.")
                                    .define(
                                            PARTITIONS,
                                            Type.INT,
                                            3,
                                            Range.between(1, 10_000),
                                            Importance.MEDIUM,
                                            "Partitions of the topics fnwatch creates, including the repartition topic.")
                                    .define(
                                            REPLICATION,
                                            Type.SHORT,
                                            (short) 1,
                                            Range.between(1, 32),
                                            Importance.MEDIUM,
                                            "Replication factor of the topics fnwatch creates and of Kafka Streams' internal topics.")
                                    .define(
                                            TOPIC_RAW,
                                            Type.STRING,
                                            "fnwatch-logs-raw",
                                            Importance.LOW,
                                            "Raw provider logs of the default tenant; tenant T's are on <topic.logs.raw>.T.")
                                    .define(
                                            RAW_TENANTS,
                                            Type.LIST,
                                            "",
                                            TENANT_NAMES,
                                            Importance.MEDIUM,
                                            "Tenants whose raw topics <topic.logs.raw>.<tenant> are created at start (others: by an admin). "
                                                    + "A producer may write only the topics its Kafka principal is granted.")
                                    .define(
                                            TOPIC_EVENTS,
                                            Type.STRING,
                                            "fnwatch-events",
                                            Importance.LOW,
                                            "Optional normalized events tap.")
                                    .define(TOPIC_ALERTS, Type.STRING, "fnwatch-alerts", Importance.LOW, "Alerts.")
                                    .define(
                                            TOPIC_DEAD_LETTERS,
                                            Type.STRING,
                                            "fnwatch-dead-letters",
                                            Importance.LOW,
                                            "Dead letters.")
                                    .define(
                                            TOPIC_INVENTORY,
                                            Type.STRING,
                                            "fnwatch-inventory",
                                            Importance.LOW,
                                            "Compacted inventory: last seen and runtime per function.")
                                    .define(
                                            RAW_RETENTION_MS,
                                            Type.LONG,
                                            -1L,
                                            Range.atLeast(-1),
                                            Importance.LOW,
                                            "Retention by time of the raw topics and of the events topic; -1 keeps old event-time records "
                                                    + "(replays).")
                                    .define(
                                            RAW_RETENTION_BYTES,
                                            Type.LONG,
                                            1L << 30,
                                            Range.atLeast(-1),
                                            Importance.LOW,
                                            "Retention by size per partition of the raw topics and of the events topic.")
                                    .define(
                                            EVENTS_TAP,
                                            Type.BOOLEAN,
                                            false,
                                            Importance.LOW,
                                            "Also publish normalized events (costs one write per event).")
                                    .define(
                                            PARSE_AHEAD,
                                            Type.BOOLEAN,
                                            true,
                                            Importance.LOW,
                                            "Parse each poll's raw records on one more thread per stream thread while the stream thread "
                                                    + "works on earlier ones (same results; off: parse on the stream thread).")
                                    .define(
                                            DETECTORS_DIR,
                                            Type.STRING,
                                            "detectors",
                                            Importance.MEDIUM,
                                            "Folder of detector YAML files. When the default folder is absent the built-in defaults are used; "
                                                    + "a folder named explicitly must exist.")
                                    .define(
                                            LATE_GRACE_MS,
                                            Type.LONG,
                                            300_000L,
                                            Range.between(0, 86_400_000L),
                                            Importance.MEDIUM,
                                            "Events older than a function's newest event minus this are dead-lettered as LATE.")
                                    .define(
                                            MAX_RECORD_BYTES,
                                            Type.INT,
                                            1 << 20,
                                            Range.between(1024, 64 << 20),
                                            Importance.LOW,
                                            "Larger raw records are dead-lettered as TOO_LARGE before any parsing.")
                                    .define(
                                            MAX_MESSAGE_CHARS,
                                            Type.INT,
                                            1024,
                                            Range.between(64, 1 << 20),
                                            Importance.LOW,
                                            "Log messages kept on events are cut to this length (after secrets are masked).")
                                    .define(
                                            MAX_DECOMPRESSED_BYTES,
                                            Type.INT,
                                            16 << 20,
                                            Range.between(1024, 1 << 30),
                                            Importance.LOW,
                                            "All the gzip layers of one raw record together inflate to at most this many bytes; past it the "
                                                    + "whole record is dead-lettered as TOO_LARGE.")
                                    .define(
                                            MAX_RECORDS_PER_PAYLOAD,
                                            Type.INT,
                                            10_000,
                                            Range.between(1, 1_000_000),
                                            Importance.LOW,
                                            "Payloads with more log events or records than this are dead-lettered as TOO_LARGE.")
                                    .define(
                                            MAX_EVENTS_PER_RECORD,
                                            Type.INT,
                                            ParserSettings.DEFAULT_MAX_EVENTS_PER_RECORD,
                                            Range.between(1, 10_000_000),
                                            Importance.LOW,
                                            "Events, rejections and skips one raw record may yield across all its envelopes; past it the "
                                                    + "whole record is dead-lettered once as TOO_LARGE.")
                                    .define(
                                            MAX_NESTED_PAYLOADS,
                                            Type.INT,
                                            ParserSettings.DEFAULT_MAX_NESTED_PAYLOADS,
                                            Range.between(1, 10_000_000),
                                            Importance.LOW,
                                            "Nested payloads (gzip layers, base64 data, CloudTrail messages) one raw record may open; past "
                                                    + "it the whole record is dead-lettered once as TOO_LARGE.")
                                    .define(
                                            MAX_INFLATION_RATIO,
                                            Type.INT,
                                            ParserSettings.DEFAULT_MAX_INFLATION_RATIO,
                                            Range.between(1, 1_000_000),
                                            Importance.LOW,
                                            "The gzip layers of one raw record inflate to at most this many times its size (at least 256 KiB, "
                                                    + "at most parse.max.decompressed.bytes); past it the record is dead-lettered as TOO_LARGE."))));

    static {
        // alert delivery's settings, declared apart like the others and added after them
        NotifySettings.define(DEF);
        PullConfig.define(DEF);
    }

    private final Map<String, Object> values;
    private final Map<String, Object> kafka;

    private FnwatchConfig(Map<String, Object> values, Map<String, Object> kafka) {
        this.values = values;
        this.kafka = kafka;
    }

    /** Environment variable name of a setting: {@code bootstrap.servers} ⇒ {@code FNWATCH_BOOTSTRAP_SERVERS}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** True when {@code env} is a variable this configuration reads. */
    public static boolean acceptsEnv(String env) {
        return env.startsWith(envName(KAFKA_PREFIX))
                        && env.length() > envName(KAFKA_PREFIX).length()
                || DEF.names().stream().anyMatch(k -> envName(k).equals(env));
    }

    public static FnwatchConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        List<String> problems = new ArrayList<>();
        Map<String, String> raw = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
                p.stringPropertyNames().forEach(k -> raw.put(k, p.getProperty(k).trim()));
            } catch (IOException e) {
                problems.add("config file " + file + ": cannot read: " + e.getMessage());
            }
        }
        env.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            if (!acceptsEnv(name)) {
                problems.add("environment " + name + ": unknown setting");
            } else {
                raw.put(keyOfEnv(name), value);
            }
        });
        raw.putAll(overrides);
        return validate(raw, problems);
    }

    public static FnwatchConfig of(Map<String, String> settings) {
        return validate(new TreeMap<>(settings), new ArrayList<>());
    }

    private static String keyOfEnv(String env) {
        String kafkaEnv = envName(KAFKA_PREFIX);
        if (env.startsWith(kafkaEnv)) {
            return KAFKA_PREFIX
                    + env.substring(kafkaEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        }
        return DEF.names().stream()
                .filter(k -> envName(k).equals(env))
                .findFirst()
                .orElseThrow();
    }

    private static FnwatchConfig validate(Map<String, String> raw, List<String> problems) {
        Map<String, Object> values = new HashMap<>();
        Map<String, Object> kafka = new HashMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
            } else if (!DEF.names().contains(k)) {
                problems.add(k + ": unknown setting");
            }
        });
        for (ConfigDef.ConfigKey key : DEF.configKeys().values()) {
            try {
                Object value = raw.containsKey(key.name)
                        ? ConfigDef.parseType(key.name, raw.get(key.name), key.type)
                        : key.defaultValue;
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, value);
                }
                values.put(key.name, value);
            } catch (ConfigException e) {
                problems.add(key.name + ": " + e.getMessage());
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new FnwatchConfig(values, kafka);
    }

    public String string(String key) {
        return (String) values.get(key);
    }

    public int integer(String key) {
        return ((Number) values.get(key)).intValue();
    }

    public long longValue(String key) {
        return ((Number) values.get(key)).longValue();
    }

    public boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    public double doubleValue(String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        return (List<String>) values.get(key);
    }

    /** A password setting's value, or null when unset; never printed by {@code toString}. */
    public String password(String key) {
        Object v = values.get(key);
        return v == null ? null : ((org.apache.kafka.common.config.types.Password) v).value();
    }

    public ParserSettings parserSettings() {
        return new ParserSettings(
                string(DEFAULT_TENANT),
                integer(MAX_RECORD_BYTES),
                integer(MAX_MESSAGE_CHARS),
                integer(MAX_DECOMPRESSED_BYTES),
                integer(MAX_RECORDS_PER_PAYLOAD),
                integer(MAX_EVENTS_PER_RECORD),
                integer(MAX_NESTED_PAYLOADS),
                integer(MAX_INFLATION_RATIO));
    }

    /** Settings passed through to every Kafka client (the {@code kafka.} prefix removed). */
    public Map<String, Object> kafkaClientOverrides() {
        return Map.copyOf(kafka);
    }

    /** Every setting as {@code key=value} lines, with passwords and other secrets hidden: safe to log. */
    public String describe() {
        return ConfigDescription.describe(values, kafka);
    }

    /**
     * A copy with some settings replaced (e.g. the embedded broker's address); a {@code kafka.} key replaces
     * that setting of every Kafka client, as in a configuration file.
     */
    public FnwatchConfig with(String key, Object value) {
        if (key.startsWith(KAFKA_PREFIX)) {
            Map<String, Object> clients = new HashMap<>(kafka);
            clients.put(key.substring(KAFKA_PREFIX.length()), value);
            return new FnwatchConfig(values, clients);
        }
        Map<String, Object> copy = new HashMap<>(values);
        copy.put(key, value);
        return new FnwatchConfig(copy, kafka);
    }
}
