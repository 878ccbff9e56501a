package io.fnwatch.ingest.http;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import io.fnwatch.jetty.Deadlines;
import io.fnwatch.parse.ParserSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The HTTP ingest settings, checked together (every problem reported at once) when the endpoint is on. */
public record HttpIngestSettings(
        String host,
        int port,
        Path keysFile,
        long keysReloadMs,
        int maxBodyBytes,
        int maxDecompressedBytes,
        int maxRecords,
        double ratePerSecond,
        int rateBurst,
        long kafkaTimeoutMs,
        int retryAfterSeconds,
        int dedupeIds,
        long dedupeTtlMs,
        int threads,
        Tls tls,
        String rawTopic,
        ParserSettings parser,
        Deadlines deadlines,
        int maxConcurrentPerKey) {

    /** A PKCS12 key store, or a PEM certificate chain and key; null when TLS is off. */
    public record Tls(Path keyStore, String keyStorePassword, Path certPem, Path keyPem) {}

    public boolean enabled() {
        return port >= 0;
    }

    public static HttpIngestSettings from(FnwatchConfig c) {
        List<String> problems = new ArrayList<>();
        int port = c.integer(HttpIngestConfig.PORT);
        String keys = c.string(HttpIngestConfig.KEYS_FILE);
        if (port >= 0) {
            if (keys.isEmpty()) {
                problems.add(HttpIngestConfig.KEYS_FILE + ": required when the HTTP endpoint is on "
                        + "(create one with `fnwatch keys create`)");
            } else if (!Files.isRegularFile(Path.of(keys))) {
                problems.add(HttpIngestConfig.KEYS_FILE + ": no such file: " + keys);
            }
        }
        Tls tls = port >= 0 ? tls(c, problems) : null;
        if (port >= 0) {
            exposure(c, tls, problems);
            if (c.integer(HttpIngestConfig.MAX_CONCURRENT_PER_KEY) * 2 > c.integer(HttpIngestConfig.THREADS)) {
                problems.add(HttpIngestConfig.MAX_CONCURRENT_PER_KEY + ": at most half of "
                        + HttpIngestConfig.THREADS + " (" + c.integer(HttpIngestConfig.THREADS)
                        + "), so that one key cannot hold every thread");
            }
        }
        ConfigErrors.throwIfAny(problems);
        return new HttpIngestSettings(
                c.string(HttpIngestConfig.HOST),
                port,
                keys.isEmpty() ? null : Path.of(keys),
                c.longValue(HttpIngestConfig.KEYS_RELOAD_MS),
                c.integer(HttpIngestConfig.MAX_BODY_BYTES),
                c.integer(HttpIngestConfig.MAX_DECOMPRESSED_BYTES),
                c.integer(HttpIngestConfig.MAX_RECORDS),
                c.doubleValue(HttpIngestConfig.RATE_PER_SECOND),
                c.integer(HttpIngestConfig.RATE_BURST),
                c.longValue(HttpIngestConfig.KAFKA_TIMEOUT_MS),
                c.integer(HttpIngestConfig.RETRY_AFTER_SECONDS),
                c.integer(HttpIngestConfig.DEDUPE_IDS),
                c.longValue(HttpIngestConfig.DEDUPE_TTL_MS),
                c.integer(HttpIngestConfig.THREADS),
                tls,
                c.string(FnwatchConfig.TOPIC_RAW),
                c.parserSettings(),
                new Deadlines(
                        c.longValue(HttpIngestConfig.IDLE_TIMEOUT_MS),
                        c.longValue(HttpIngestConfig.HEADER_TIMEOUT_MS),
                        c.longValue(HttpIngestConfig.MIN_BODY_RATE)),
                c.integer(HttpIngestConfig.MAX_CONCURRENT_PER_KEY));
    }

    /** Keys travel in request headers: plain HTTP is for this host only, unless the operator says otherwise. */
    private static void exposure(FnwatchConfig c, Tls tls, List<String> problems) {
        String host = c.string(HttpIngestConfig.HOST);
        if (tls != null || c.bool(HttpIngestConfig.INSECURE)) {
            return;
        }
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                problems.add(HttpIngestConfig.HOST + ": " + host + " is reachable from other hosts, and plain HTTP "
                        + "would carry ingest keys in clear; configure TLS (" + HttpIngestConfig.TLS_CERT_PEM + " and "
                        + HttpIngestConfig.TLS_KEY_PEM + ", or " + HttpIngestConfig.TLS_KEYSTORE + "), or set "
                        + HttpIngestConfig.INSECURE + "=true (run --insecure-http) behind a proxy that terminates TLS");
            }
        } catch (UnknownHostException e) {
            problems.add(HttpIngestConfig.HOST + ": cannot resolve " + host);
        }
    }

    /** True when plain HTTP was allowed on an address other hosts reach: worth a warning at start. */
    public boolean plainHttpExposed() {
        try {
            return tls == null && !InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private static Tls tls(FnwatchConfig c, List<String> problems) {
        Path store = file(c, HttpIngestConfig.TLS_KEYSTORE, problems);
        Path cert = file(c, HttpIngestConfig.TLS_CERT_PEM, problems);
        Path key = file(c, HttpIngestConfig.TLS_KEY_PEM, problems);
        String password = c.password(HttpIngestConfig.TLS_KEYSTORE_PASSWORD);
        if (store != null && (cert != null || key != null)) {
            problems.add(HttpIngestConfig.TLS_KEYSTORE + ": give either a PKCS12 key store or PEM files, not both");
        }
        if ((cert == null) != (key == null)) {
            problems.add(HttpIngestConfig.TLS_CERT_PEM + ": the PEM certificate and the PEM key go together");
        }
        if (store != null && password == null) {
            problems.add(HttpIngestConfig.TLS_KEYSTORE_PASSWORD + ": required with a PKCS12 key store");
        }
        return store == null && cert == null && key == null ? null : new Tls(store, password, cert, key);
    }

    private static Path file(FnwatchConfig c, String setting, List<String> problems) {
        String v = c.string(setting);
        if (v.isEmpty()) {
            return null;
        }
        if (!Files.isReadable(Path.of(v))) {
            problems.add(setting + ": cannot read " + v);
        }
        return Path.of(v);
    }
}
