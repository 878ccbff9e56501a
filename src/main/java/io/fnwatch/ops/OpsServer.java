package io.fnwatch.ops;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own HTTP endpoints on the JDK's built-in server: {@code /functions/{key}} on
 * {@code ops.http.port}, and {@code /metrics}, {@code /healthz}, {@code /readyz} on {@code ops.internal.port}
 * (or on the first port when the internal one is -1). Sockets are bound before Kafka Streams is built, so
 * that a port of 0 is resolved in time to be advertised as {@code application.server}.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer api;
    private final HttpServer internal;
    private final String host;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "fnwatch-http");
        t.setDaemon(true);
        return t;
    });

    private OpsServer(HttpServer api, HttpServer internal, String host) {
        this.api = api;
        this.internal = internal;
        this.host = host;
    }

    public static OpsServer bind(FnwatchConfig c) throws IOException {
        String host = c.string(OpsSettings.HTTP_HOST);
        HttpServer api = bind(host, c.integer(OpsSettings.HTTP_PORT));
        HttpServer internal = c.integer(OpsSettings.INTERNAL_PORT) == OpsSettings.OFF ? api
                : bind(host, c.integer(OpsSettings.INTERNAL_PORT));
        return new OpsServer(api, internal, host);
    }

    private static HttpServer bind(String host, int port) throws IOException {
        return port == OpsSettings.OFF ? null : HttpServer.create(new InetSocketAddress(host, port), 16);
    }

    /** host:port other instances forward {@code /functions} requests to; null when that port is off. */
    public String applicationServer(FnwatchConfig c) {
        String configured = c.string(OpsSettings.APPLICATION_SERVER);
        if (!configured.isEmpty() || api == null) {
            return configured.isEmpty() ? null : configured;
        }
        return host + ":" + api.getAddress().getPort();
    }

    /** Bound port of /functions, or -1 when off. */
    public int apiPort() {
        return api == null ? OpsSettings.OFF : api.getAddress().getPort();
    }

    /** Bound port of /metrics, /healthz and /readyz, or -1 when off. */
    public int internalPort() {
        return internal == null ? OpsSettings.OFF : internal.getAddress().getPort();
    }

    /** Registers the handlers and starts serving. */
    public void start(Map<String, HttpHandler> apiRoutes, Map<String, HttpHandler> internalRoutes) {
        if (api != null) {
            apiRoutes.forEach(api::createContext);
        }
        if (internal != null) {
            internalRoutes.forEach(internal::createContext);
        }
        for (HttpServer s : new HttpServer[] {api, internal == api ? null : internal}) {
            if (s != null) {
                s.setExecutor(pool);
                s.start();
            }
        }
        LOG.info("HTTP endpoints: functions on {}, metrics and health on {}", where(api), where(internal));
    }

    private String where(HttpServer s) {
        return s == null ? "(off)" : "http://" + host + ":" + s.getAddress().getPort();
    }

    @Override
    public void close() {
        for (HttpServer s : new HttpServer[] {api, internal == api ? null : internal}) {
            if (s != null) {
                s.stop(0);
            }
        }
        pool.shutdownNow();
    }
}
