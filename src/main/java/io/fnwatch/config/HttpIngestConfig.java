package io.fnwatch.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the HTTP ingest endpoint ({@code run --http-port}); declared into {@link FnwatchConfig#DEF}. */
public final class HttpIngestConfig {

    public static final String PORT = "ingest.http.port";
    public static final String HOST = "ingest.http.host";
    public static final String INSECURE = "ingest.http.insecure";
    public static final String IDLE_TIMEOUT_MS = "ingest.http.idle.timeout.ms";
    public static final String HEADER_TIMEOUT_MS = "ingest.http.header.timeout.ms";
    public static final String MIN_BODY_RATE = "ingest.http.min.body.bytes.per.second";
    public static final String MAX_CONCURRENT_PER_KEY = "ingest.http.max.concurrent.per.key";
    public static final String KEYS_FILE = "ingest.http.keys.file";
    public static final String KEYS_RELOAD_MS = "ingest.http.keys.reload.ms";
    public static final String MAX_BODY_BYTES = "ingest.http.max.body.bytes";
    public static final String MAX_DECOMPRESSED_BYTES = "ingest.http.max.decompressed.bytes";
    public static final String MAX_RECORDS = "ingest.http.max.records";
    public static final String RATE_PER_SECOND = "ingest.http.rate.per.second";
    public static final String RATE_BURST = "ingest.http.rate.burst";
    public static final String KAFKA_TIMEOUT_MS = "ingest.http.kafka.timeout.ms";
    public static final String RETRY_AFTER_SECONDS = "ingest.http.retry.after.seconds";
    public static final String DEDUPE_IDS = "ingest.http.firehose.dedupe.ids";
    public static final String DEDUPE_TTL_MS = "ingest.http.firehose.dedupe.ttl.ms";
    public static final String THREADS = "ingest.http.threads";
    public static final String TLS_KEYSTORE = "ingest.http.tls.keystore";
    public static final String TLS_KEYSTORE_PASSWORD = "ingest.http.tls.keystore.password";
    public static final String TLS_CERT_PEM = "ingest.http.tls.cert.pem";
    public static final String TLS_KEY_PEM = "ingest.http.tls.key.pem";

    private static final int MIB = 1 << 20;

    private HttpIngestConfig() {}

    static ConfigDef define(ConfigDef d) {
        return d.define(
                        PORT,
                        Type.INT,
                        -1,
                        Range.between(-1, 65535),
                        Importance.HIGH,
                        "Port of the HTTP ingest endpoint; -1 disables it, 0 picks a free port.")
                .define(
                        HOST,
                        Type.STRING,
                        "127.0.0.1",
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        "Address the HTTP ingest endpoint binds to; an address other hosts reach needs TLS "
                                + "(ingest.http.tls.*) or ingest.http.insecure=true.")
                .define(
                        INSECURE,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Allow plain HTTP on a non-loopback address (keys then cross the network in clear): only "
                                + "behind a proxy that terminates TLS. Set by `run --insecure-http`.")
                .define(
                        IDLE_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(100, 3_600_000),
                        Importance.LOW,
                        "A connection with no bytes either way for this long is closed; a read waiting this long "
                                + "fails with 408.")
                .define(
                        HEADER_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        Range.between(50, 600_000),
                        Importance.LOW,
                        "Request headers must be complete within 1 to 2 times this once they start to arrive, or "
                                + "the connection is closed; also the grace before the body rate is checked.")
                .define(
                        MIN_BODY_RATE,
                        Type.LONG,
                        1024L,
                        Range.between(0, 1L << 30),
                        Importance.LOW,
                        "After the header timeout, a request body must have arrived at least this many bytes per "
                                + "second on average, or the request is answered 408 and closed (0 turns it off).")
                .define(
                        MAX_CONCURRENT_PER_KEY,
                        Type.INT,
                        4,
                        Range.between(1, 512),
                        Importance.MEDIUM,
                        "Requests one key may have in progress at once; more are answered 429 with Retry-After. "
                                + "At most half of ingest.http.threads, so one key cannot hold every thread.")
                .define(
                        KEYS_FILE,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "JSON or YAML file of ingest keys (SHA-256 hashes only); required when the endpoint is on.")
                .define(
                        KEYS_RELOAD_MS,
                        Type.LONG,
                        5_000L,
                        Range.between(100, 3_600_000),
                        Importance.LOW,
                        "How often every keys file (this one and ops.keys.file) is read; a change is loaded without "
                                + "restart, an invalid one reported, a deleted one revokes every key.")
                .define(
                        MAX_BODY_BYTES,
                        Type.INT,
                        64 * MIB,
                        Range.between(1024, 1 << 30),
                        Importance.MEDIUM,
                        "Largest request body as sent (Firehose sends up to 64 MiB); larger gets 413.")
                .define(
                        MAX_DECOMPRESSED_BYTES,
                        Type.INT,
                        64 * MIB,
                        Range.between(1024, 1 << 30),
                        Importance.MEDIUM,
                        "Largest body after gzip is opened; reading stops at this many bytes with 413.")
                .define(
                        MAX_RECORDS,
                        Type.INT,
                        10_000,
                        Range.between(1, 1_000_000),
                        Importance.MEDIUM,
                        "Most records (Firehose records, NDJSON lines, Azure records) per request; more gets 413.")
                .define(
                        RATE_PER_SECOND,
                        Type.DOUBLE,
                        50.0,
                        Range.between(0.0001, 1_000_000),
                        Importance.MEDIUM,
                        "Requests per second each key may send on average (token bucket refill).")
                .define(
                        RATE_BURST,
                        Type.INT,
                        100,
                        Range.between(1, 1_000_000),
                        Importance.MEDIUM,
                        "Requests a key may send at once before the rate applies (token bucket size).")
                .define(
                        KAFKA_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(1_000, 170_000),
                        Importance.MEDIUM,
                        "How long a request waits for Kafka to acknowledge its records before answering 503 "
                                + "(Firehose gives up after 3 minutes).")
                .define(
                        RETRY_AFTER_SECONDS,
                        Type.INT,
                        5,
                        Range.between(1, 3600),
                        Importance.LOW,
                        "Retry-After sent with 503 when Kafka cannot take records.")
                .define(
                        DEDUPE_IDS,
                        Type.INT,
                        20_000,
                        Range.between(0, 1_000_000),
                        Importance.LOW,
                        "Firehose request ids remembered per tenant to drop retries of delivered requests, oldest "
                                + "forgotten first (0 disables); each costs about 120 bytes whatever its length.")
                .define(
                        DEDUPE_TTL_MS,
                        Type.LONG,
                        7_200_000L,
                        Range.between(1_000, 86_400_000L),
                        Importance.LOW,
                        "How long a delivered Firehose request id is remembered (Firehose retries up to 2 h).")
                .define(
                        THREADS,
                        Type.INT,
                        16,
                        Range.between(4, 1024),
                        Importance.LOW,
                        "Most server threads; with the body limits this bounds memory held by requests.")
                .define(
                        TLS_KEYSTORE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "PKCS12 key store with the server key and certificate chain; enables TLS.")
                .define(
                        TLS_KEYSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password of the PKCS12 key store.")
                .define(
                        TLS_CERT_PEM,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "PEM certificate chain (server first); with the PEM key, enables TLS.")
                .define(
                        TLS_KEY_PEM,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "PEM private key (PKCS#8, 'BEGIN PRIVATE KEY'), RSA or EC.");
    }
}
