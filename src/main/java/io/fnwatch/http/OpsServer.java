package io.fnwatch.http;

import com.sun.net.httpserver.HttpHandler;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.jetty.Deadlines;
import io.fnwatch.jetty.JettyServers;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own HTTP endpoints: {@code /functions/{key}} on {@code ops.http.host:ops.http.port}, and
 * {@code /metrics}, {@code /healthz}, {@code /readyz} on {@code ops.internal.host:ops.internal.port} (or on the
 * first port when the internal one is -1). Each port is a Jetty server with a thread pool of its own and the
 * same deadlines as ingest, so slow clients or slow {@code /functions} forwards cannot keep an orchestrator's
 * probes from an answer. Sockets are bound before Kafka Streams is built, so that a port of 0 is resolved in
 * time to be advertised as {@code application.server}.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** Ops requests carry a bearer key at most: Jetty's default header room is plenty. */
    private static final int HEADER_BYTES = 8 * 1024;
    /** The ops endpoints take no bodies; the rate only bounds what a client may send anyway. */
    private static final long MIN_BODY_RATE = 1024;

    private final Port api;
    private final Port internal;
    private final OpsLimits limits;

    private OpsServer(Port api, Port internal, OpsLimits limits) {
        this.api = api;
        this.internal = internal;
        this.limits = limits;
    }

    /** One bound port: its server, connector, host, and the handlers it will serve. */
    private record Port(Server server, ServerConnector connector, String host, Map<String, HttpHandler> routes) {
        int port() {
            return connector.getLocalPort();
        }
    }

    /** With the rate limits of {@code c}, their refusals counted nowhere. */
    public static OpsServer bind(FnwatchConfig c) throws IOException {
        return bind(c, OpsLimits.of(c, new CompositeMeterRegistry(), TimeMeter.SYSTEM_NANOTIME));
    }

    /** {@code limits} apply to every request to {@code ops.http.port} (not to a separate internal port). */
    public static OpsServer bind(FnwatchConfig c, OpsLimits limits) throws IOException {
        Deadlines deadlines = new Deadlines(
                c.longValue(OpsSettings.IDLE_TIMEOUT_MS), c.longValue(OpsSettings.HEADER_TIMEOUT_MS), MIN_BODY_RATE);
        Port api = bind(
                "fnwatch-http",
                c.string(OpsSettings.HTTP_HOST),
                c.integer(OpsSettings.HTTP_PORT),
                c.integer(OpsSettings.HTTP_THREADS),
                deadlines,
                limits);
        try {
            Port internal = c.integer(OpsSettings.INTERNAL_PORT) == OpsSettings.OFF
                    ? api
                    : bind(
                            "fnwatch-internal",
                            c.string(OpsSettings.INTERNAL_HOST),
                            c.integer(OpsSettings.INTERNAL_PORT),
                            c.integer(OpsSettings.INTERNAL_THREADS),
                            deadlines,
                            null);
            return new OpsServer(api, internal, limits);
        } catch (IOException | RuntimeException e) {
            stop(api);
            throw e;
        }
    }

    private static Port bind(String name, String host, int port, int threads, Deadlines deadlines, OpsLimits limits)
            throws IOException {
        if (port == OpsSettings.OFF) {
            return null;
        }
        Server server = JettyServers.server(name, threads);
        ServerConnector connector = JettyServers.connector(server, host, port, deadlines, HEADER_BYTES, null);
        // /functions/{key} carries the key's slashes as %2F (and a tenant's % as %25), which Jetty refuses by default
        connector
                .getConnectionFactory(HttpConnectionFactory.class)
                .getHttpConfiguration()
                .setUriCompliance(UriCompliance.DEFAULT.with(
                        "fnwatch-function-keys",
                        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        server.addConnector(connector);
        Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
        Handler routed = new JdkHandlers(routes);
        server.setHandler(JettyServers.guarded(limits == null ? routed : new RequestRate(routed, limits), deadlines));
        connector.open();
        return new Port(server, connector, host, routes);
    }

    /** The per-address limits of {@code ops.http.port}, for the handlers that authenticate keys. */
    public OpsLimits limits() {
        return limits;
    }

    /** host:port other instances forward {@code /functions} requests to; null when that port is off. */
    public String applicationServer(FnwatchConfig c) {
        String configured = c.string(OpsSettings.APPLICATION_SERVER);
        if (!configured.isEmpty() || api == null) {
            return configured.isEmpty() ? null : configured;
        }
        return api.host() + ":" + api.port();
    }

    /** Bound port of /functions, or -1 when off. */
    public int apiPort() {
        return api == null ? OpsSettings.OFF : api.port();
    }

    /** Bound port of /metrics, /healthz and /readyz, or -1 when off. */
    public int internalPort() {
        return internal == null ? OpsSettings.OFF : internal.port();
    }

    /** Registers the handlers and starts serving. */
    public void start(Map<String, HttpHandler> apiRoutes, Map<String, HttpHandler> internalRoutes) {
        if (api != null) {
            api.routes().putAll(apiRoutes);
        }
        if (internal != null) {
            internal.routes().putAll(internalRoutes);
        }
        for (Port p : ports()) {
            if (p == null) {
                continue; // that port is off (-1)
            }
            try {
                p.server().start();
            } catch (Exception e) {
                close();
                throw new IllegalStateException("cannot start the HTTP endpoints on " + where(p) + ": " + e, e);
            }
        }
        LOG.info("HTTP endpoints: functions on {}, metrics and health on {}", where(api), where(internal));
    }

    private Port[] ports() {
        return internal == api ? new Port[] {api} : new Port[] {api, internal};
    }

    private static String where(Port p) {
        return p == null ? "(off)" : "http://" + p.host() + ":" + p.port();
    }

    @Override
    public void close() {
        for (Port p : ports()) {
            stop(p);
        }
    }

    private static void stop(Port p) {
        if (p == null) {
            return;
        }
        try {
            p.server().stop();
        } catch (Exception e) {
            LOG.warn("HTTP endpoint {} did not stop cleanly: {}", where(p), e.toString());
        }
    }
}
