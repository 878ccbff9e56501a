package io.fnwatch.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the service's own HTTP endpoints, declared apart from {@link FnwatchConfig} so that each class
 * stays readable; they are part of the same {@link FnwatchConfig#DEF}.
 */
public final class OpsSettings {

    public static final String HTTP_HOST = "ops.http.host";
    public static final String HTTP_PORT = "ops.http.port";
    public static final String INTERNAL_PORT = "ops.internal.port";
    public static final String INTERNAL_HOST = "ops.internal.host";
    public static final String HTTP_THREADS = "ops.http.threads";
    public static final String INTERNAL_THREADS = "ops.internal.threads";
    public static final String IDLE_TIMEOUT_MS = "ops.idle.timeout.ms";
    public static final String HEADER_TIMEOUT_MS = "ops.header.timeout.ms";
    public static final String KEYS_FILE = "ops.keys.file";
    public static final String APPLICATION_SERVER = "application.server";
    public static final String HISTORY_RETENTION_MS = "console.history.retention.ms";
    public static final String SESSION_TTL_MS = "console.session.ttl.ms";
    public static final String RATE_PER_SECOND = "ops.http.rate.per.second";
    public static final String RATE_BURST = "ops.http.rate.burst";
    public static final String AUTH_FAILURES_PER_MINUTE = "ops.http.auth.failures.per.minute";
    public static final String AUTH_FAILURES_BURST = "ops.http.auth.failures.burst";
    public static final String CLIENTS_MAX = "ops.http.clients.max";
    public static final String FORWARDED_TRUST = "ops.http.forwarded.trust";

    /** Port value that turns a server off. */
    public static final int OFF = -1;

    private OpsSettings() {}

    static ConfigDef define(ConfigDef def) {
        return def.define(
                        HTTP_HOST,
                        Type.STRING,
                        "127.0.0.1",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Address GET /functions binds to; 0.0.0.0 to serve other hosts (and other instances).")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8080,
                        Range.between(OFF, 65535),
                        Importance.MEDIUM,
                        "Port of GET /functions/{key} (tenant keys required); 0 picks a free port, -1 turns it off.")
                .define(
                        INTERNAL_PORT,
                        Type.INT,
                        8081,
                        Range.between(OFF, 65535),
                        Importance.MEDIUM,
                        "Port of /metrics, /healthz and /readyz (no keys: keep it internal); 0 picks a free port, "
                                + "-1 serves them on ops.http.port instead.")
                .define(
                        INTERNAL_HOST,
                        Type.STRING,
                        "127.0.0.1",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Address /metrics, /healthz and /readyz bind to (they need no key); e.g. the pod IP for "
                                + "an orchestrator's probes and a Prometheus scrape.")
                .define(
                        HTTP_THREADS,
                        Type.INT,
                        16,
                        Range.between(6, 1024),
                        Importance.LOW,
                        "Most threads serving /functions (a forward to another instance waits up to 5 s).")
                .define(
                        INTERNAL_THREADS,
                        Type.INT,
                        8,
                        Range.between(6, 1024),
                        Importance.LOW,
                        "Most threads serving /metrics, /healthz and /readyz: a pool of their own.")
                .define(
                        IDLE_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(100, 3_600_000),
                        Importance.LOW,
                        "An ops connection with no bytes either way for this long is closed.")
                .define(
                        HEADER_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        Range.between(50, 600_000),
                        Importance.LOW,
                        "Request headers must be complete within 1 to 2 times this once they start to arrive, or "
                                + "the connection is closed.")
                .define(
                        KEYS_FILE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "The keys file (YAML or JSON, SHA-256 hashes only; normally ingest.http.keys.file); "
                                + "empty: /functions answers no one.")
                .define(
                        APPLICATION_SERVER,
                        Type.STRING,
                        "",
                        ConfigDef.LambdaValidator.with(OpsSettings::hostPort, () -> "empty or host:port"),
                        Importance.MEDIUM,
                        "host:port other instances use to forward /functions requests to this one; empty: "
                                + "ops.http.host and the bound ops.http.port.")
                .define(
                        HISTORY_RETENTION_MS,
                        Type.LONG,
                        48 * 3_600_000L,
                        Range.between(3_600_000L, 90 * 86_400_000L),
                        Importance.LOW,
                        "How long each function's per-minute history (drawn by the console under /ui/) is kept.")
                .define(
                        SESSION_TTL_MS,
                        Type.LONG,
                        12 * 3_600_000L,
                        Range.between(60_000L, 7 * 86_400_000L),
                        Importance.LOW,
                        "A console sign-in (a session cookie) lasts this long; a revoked key ends it at once.")
                .define(
                        RATE_PER_SECOND,
                        Type.DOUBLE,
                        20.0,
                        Range.between(0, 100_000),
                        Importance.LOW,
                        "Requests per second one client address may make to ops.http.port on average (a token "
                                + "bucket; more are answered 429 with Retry-After); 0 turns the limit off. Instances "
                                + "forwarding /functions requests to each other count as clients too.")
                .define(
                        RATE_BURST,
                        Type.INT,
                        200,
                        Range.between(1, 1_000_000),
                        Importance.LOW,
                        "Requests one client address may make to ops.http.port at once, above its rate.")
                .define(
                        AUTH_FAILURES_PER_MINUTE,
                        Type.DOUBLE,
                        5.0,
                        Range.between(0.01, 10_000),
                        Importance.LOW,
                        "Failed authentications (a wrong or missing key at /ui/login, /functions, the console's "
                                + "internal history) per minute one client address may make on average; beyond "
                                + "them and the burst, its keys are all refused with 429, correct ones too, until "
                                + "the bucket refills.")
                .define(
                        AUTH_FAILURES_BURST,
                        Type.INT,
                        10,
                        Range.between(1, 100_000),
                        Importance.LOW,
                        "Failed authentications one client address may make at once, above their rate.")
                .define(
                        CLIENTS_MAX,
                        Type.INT,
                        10_000,
                        Range.between(100, 10_000_000),
                        Importance.LOW,
                        "Client addresses the ops rate limits keep at most (each limit); the least recently "
                                + "seen are forgotten first, and those whose bucket has refilled as soon as they are.")
                .define(
                        FORWARDED_TRUST,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Take the client address of the ops rate limits from the last X-Forwarded-For entry and "
                                + "the host the console's same-origin check expects from X-Forwarded-Host: only "
                                + "behind a reverse proxy that sets them, on a port only it can reach. Off: the "
                                + "socket's address and the Host header.");
    }

    private static void hostPort(String name, Object value) {
        String s = (String) value;
        int colon = s == null ? -1 : s.lastIndexOf(':');
        if (s != null && !s.isEmpty() && (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}"))) {
            throw new ConfigException(name, value, "must be host:port");
        }
    }
}
