package io.fnwatch.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Settings of the Google Cloud Pub/Sub puller ({@code run --pubsub}) and the Azure Event Hubs puller
 * ({@code run --eventhubs}), and what they share; declared into {@link FnwatchConfig#DEF}.
 */
public final class PullConfig {

    public static final String KAFKA_TIMEOUT_MS = "pull.kafka.timeout.ms";
    public static final String BACKOFF_BASE_MS = "pull.backoff.base.ms";
    public static final String BACKOFF_MAX_MS = "pull.backoff.max.ms";

    public static final String PUBSUB_ENABLED = "pubsub.enabled";
    public static final String PUBSUB_SUBSCRIPTIONS = "pubsub.subscriptions";
    public static final String PUBSUB_SOURCES_FILE = "pubsub.sources.file";
    public static final String PUBSUB_ENDPOINT = "pubsub.emulator.endpoint";
    public static final String PUBSUB_CREDENTIALS_FILE = "pubsub.credentials.file";
    public static final String PUBSUB_MAX_OUTSTANDING_MESSAGES = "pubsub.max.outstanding.messages";
    public static final String PUBSUB_MAX_OUTSTANDING_BYTES = "pubsub.max.outstanding.bytes";
    public static final String PUBSUB_PARALLEL_PULLS = "pubsub.parallel.pull.count";
    public static final String PUBSUB_DEDUPE_MAX_IDS = "pubsub.dedupe.max.ids";
    public static final String PUBSUB_DEDUPE_WINDOW_MS = "pubsub.dedupe.window.ms";

    public static final String EVENTHUBS_ENABLED = "eventhubs.enabled";
    public static final String EVENTHUBS_CONNECTION_STRING = "eventhubs.connection.string";
    public static final String EVENTHUBS_BOOTSTRAP_SERVERS = "eventhubs.bootstrap.servers";
    public static final String EVENTHUBS_SECURITY_PROTOCOL = "eventhubs.security.protocol";
    public static final String EVENTHUBS_HUBS = "eventhubs.hubs";
    public static final String EVENTHUBS_SOURCES_FILE = "eventhubs.sources.file";
    public static final String EVENTHUBS_CONSUMER_GROUP = "eventhubs.consumer.group";
    public static final String EVENTHUBS_START = "eventhubs.start";
    public static final String EVENTHUBS_MAX_POLL_RECORDS = "eventhubs.max.poll.records";

    private PullConfig() {}

    static ConfigDef define(ConfigDef d) {
        return d.define(
                        KAFKA_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(1_000, 120_000),
                        Importance.LOW,
                        "How long a pulled message's raw writes may wait for Kafka's acknowledgement; past it the "
                                + "Pub/Sub message is nacked, the Event Hubs batch read again.")
                .define(
                        BACKOFF_BASE_MS,
                        Type.LONG,
                        200L,
                        Range.between(0, 60_000),
                        Importance.LOW,
                        "First pause of the pullers after a failed raw write or a failed source; doubles per "
                                + "failure in a row, with jitter.")
                .define(
                        BACKOFF_MAX_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(0, 120_000),
                        Importance.LOW,
                        "Longest pause of the pullers after failures.")
                .define(
                        PUBSUB_ENABLED,
                        Type.BOOLEAN,
                        false,
                        Importance.HIGH,
                        "Pull Google Cloud LogEntries from Pub/Sub subscriptions (a Cloud Logging sink's topic).")
                .define(
                        PUBSUB_SUBSCRIPTIONS,
                        Type.LIST,
                        "",
                        Importance.HIGH,
                        "Subscriptions pulled for the default tenant, as projects/PROJECT/subscriptions/NAME.")
                .define(
                        PUBSUB_SOURCES_FILE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "YAML/JSON list of subscriptions with their tenant and the projects allowed on them: "
                                + "subscriptions: [{subscription, tenant, projects: [...]}].")
                .define(
                        PUBSUB_ENDPOINT,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "host:port of the Pub/Sub emulator (plaintext, no credentials); empty: Google's endpoint.")
                .define(
                        PUBSUB_CREDENTIALS_FILE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Service account key file (JSON); empty: application default credentials "
                                + "(GOOGLE_APPLICATION_CREDENTIALS, workload identity, the metadata server).")
                .define(
                        PUBSUB_MAX_OUTSTANDING_MESSAGES,
                        Type.LONG,
                        1_000L,
                        Range.between(1, 1_000_000),
                        Importance.MEDIUM,
                        "Flow control: messages received and not yet acknowledged, per subscription; pulling "
                                + "pauses at this many (a message is acknowledged once Kafka has its records).")
                .define(
                        PUBSUB_MAX_OUTSTANDING_BYTES,
                        Type.LONG,
                        64L << 20,
                        Range.between(1 << 20, 4L << 30),
                        Importance.MEDIUM,
                        "Flow control: bytes of messages received and not yet acknowledged, per subscription.")
                .define(
                        PUBSUB_PARALLEL_PULLS,
                        Type.INT,
                        1,
                        Range.between(1, 64),
                        Importance.LOW,
                        "Streaming pulls per subscription (one carries about 10 MB/s).")
                .define(
                        PUBSUB_DEDUPE_MAX_IDS,
                        Type.INT,
                        100_000,
                        Range.between(0, 10_000_000),
                        Importance.LOW,
                        "LogEntries remembered after delivery to drop redelivered copies (by logName, timestamp "
                                + "and insertId; about 100 bytes each); 0 turns duplicate suppression off.")
                .define(
                        PUBSUB_DEDUPE_WINDOW_MS,
                        Type.LONG,
                        600_000L,
                        Range.between(0, 86_400_000L),
                        Importance.LOW,
                        "How long a delivered LogEntry is remembered (at most pubsub.dedupe.max.ids of them).")
                .define(
                        EVENTHUBS_ENABLED,
                        Type.BOOLEAN,
                        false,
                        Importance.HIGH,
                        "Pull Azure diagnostic logs from Event Hubs through its Kafka endpoint.")
                .define(
                        EVENTHUBS_CONNECTION_STRING,
                        Type.PASSWORD,
                        "",
                        Importance.HIGH,
                        "Connection string of the namespace or hub (a listen-only SAS policy), sent as the "
                                + "SASL/PLAIN password with user $ConnectionString. Set it in the environment "
                                + "(FNWATCH_EVENTHUBS_CONNECTION_STRING) rather than in a file.")
                .define(
                        EVENTHUBS_BOOTSTRAP_SERVERS,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Kafka endpoint of the namespace; empty: NAMESPACE.servicebus.windows.net:9093 from the "
                                + "connection string's Endpoint.")
                .define(
                        EVENTHUBS_SECURITY_PROTOCOL,
                        Type.STRING,
                        "SASL_SSL",
                        ValidString.in("SASL_SSL", "SASL_PLAINTEXT"),
                        Importance.LOW,
                        "SASL_SSL for Event Hubs; SASL_PLAINTEXT only for a local stand-in broker.")
                .define(
                        EVENTHUBS_HUBS,
                        Type.LIST,
                        "",
                        Importance.HIGH,
                        "Event hubs (Kafka topics) pulled for the default tenant.")
                .define(
                        EVENTHUBS_SOURCES_FILE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "YAML/JSON list of hubs with their tenant and the Azure subscriptions allowed on them: "
                                + "hubs: [{hub, tenant, subscriptions: [...]}].")
                .define(
                        EVENTHUBS_CONSUMER_GROUP,
                        Type.STRING,
                        "fnwatch",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Kafka consumer group on the Event Hubs endpoint: one per fnwatch deployment (its "
                                + "instances share the partitions); a second deployment needs its own.")
                .define(
                        EVENTHUBS_START,
                        Type.STRING,
                        "latest",
                        ValidString.in("earliest", "latest"),
                        Importance.LOW,
                        "Where a consumer group without committed offsets starts: latest, or earliest (the "
                                + "hub's whole retention).")
                .define(
                        EVENTHUBS_MAX_POLL_RECORDS,
                        Type.INT,
                        200,
                        Range.between(1, 10_000),
                        Importance.LOW,
                        "Events per batch; a batch's offsets are committed once all its raw writes are "
                                + "acknowledged.");
    }
}
