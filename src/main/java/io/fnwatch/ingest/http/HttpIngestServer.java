package io.fnwatch.ingest.http;

import io.fnwatch.auth.KeysStore;
import io.fnwatch.auth.KeysWatcher;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.jetty.JettyServers;
import io.fnwatch.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest endpoint on Jetty 12: a bounded thread pool (which, with the body limits, bounds the memory
 * requests can hold) that no client can hold for long ({@link io.fnwatch.jetty.Deadlines}, a cap on each
 * key's requests in progress), optional TLS, the keys of a {@link KeysStore}, and one shared Kafka producer.
 */
public final class HttpIngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIngestServer.class);
    /** Firehose access keys may be 4 KiB and its common-attributes header more: room for both. */
    private static final int HEADER_BYTES = 32 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final RawTopicWriter writer;
    private final KeysWatcher ownedKeys;

    private HttpIngestServer(Server server, ServerConnector connector, RawTopicWriter writer, KeysWatcher ownedKeys) {
        this.server = server;
        this.connector = connector;
        this.writer = writer;
        this.ownedKeys = ownedKeys;
    }

    /** Standalone: watches the configured keys file itself and stops watching when closed. */
    public static HttpIngestServer start(FnwatchConfig c, MeterRegistry meters) throws Exception {
        HttpIngestSettings.from(c);
        KeysWatcher keys = KeysWatcher.open(c);
        keys.bindTo(meters);
        try {
            return start(c, meters, keys.ingest(), keys);
        } catch (Exception e) {
            keys.close();
            throw e;
        }
    }

    /** With the service's keys store, which its owner reloads and closes. */
    public static HttpIngestServer start(FnwatchConfig c, MeterRegistry meters, KeysStore keys) throws Exception {
        return start(c, meters, keys, null);
    }

    private static HttpIngestServer start(FnwatchConfig c, MeterRegistry meters, KeysStore keys, KeysWatcher ownedKeys)
            throws Exception {
        HttpIngestSettings s = HttpIngestSettings.from(c);
        RawTopicWriter writer = new RawTopicWriter(KafkaClients.producer(c), s.kafkaTimeoutMs(), s.retryAfterSeconds());
        try {
            Server server = JettyServers.server("fnwatch-ingest", s.threads());
            ServerConnector connector = JettyServers.connector(
                    server, s.host(), s.port(), s.deadlines(), HEADER_BYTES, s.tls() == null ? null : tls(s.tls()));
            server.addConnector(connector);
            server.setHandler(JettyServers.guarded(
                    new IngestHandler(new IngestService(s, keys, writer, meters), meters), s.deadlines()));
            server.start();
            if (s.plainHttpExposed()) {
                LOG.warn(
                        "HTTP ingest serves plain HTTP on {}, which other hosts reach ({}=true): ingest keys cross "
                                + "the network in clear unless a proxy in front terminates TLS",
                        s.host(),
                        io.fnwatch.config.HttpIngestConfig.INSECURE);
            }
            LOG.info(
                    "HTTP ingest listening on {}://{}:{} with {} keys",
                    s.tls() == null ? "http" : "https",
                    s.host(),
                    connector.getLocalPort(),
                    keys.size());
            return new HttpIngestServer(server, connector, writer, ownedKeys);
        } catch (Exception e) {
            writer.close();
            throw e;
        }
    }

    private static SslContextFactory.Server tls(HttpIngestSettings.Tls tls)
            throws IOException, GeneralSecurityException {
        SslContextFactory.Server f = new SslContextFactory.Server();
        if (tls.keyStore() != null) {
            f.setKeyStorePath(tls.keyStore().toString());
            f.setKeyStoreType("PKCS12");
            f.setKeyStorePassword(tls.keyStorePassword());
        } else {
            f.setKeyStore(PemKeyStore.load(tls.certPem(), tls.keyPem()));
            f.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        }
        return f;
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP ingest did not stop cleanly: {}", e.toString());
        }
        writer.close();
        if (ownedKeys != null) {
            ownedKeys.close();
        }
    }
}
