package io.fnwatch.jetty;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Every fnwatch HTTP server (ingest, {@code /functions}, {@code /metrics /healthz /readyz}) is built here, so
 * that each has a thread pool of its own and the same {@link Deadlines}: idle timeout, header deadline and
 * minimum body rate.
 */
public final class JettyServers {

    private JettyServers() {}

    /** Threads the connector keeps for itself: one acceptor and one selector ({@link #connector}). */
    static final int CONNECTOR_THREADS = 2;

    /**
     * A server with a bounded pool of its own, named after what it serves: {@code requestThreads} for requests,
     * plus the connector's own threads, and none reserved ahead, so that the setting counts what requests can
     * hold (a key's share of it is what {@code ingest.http.max.concurrent.per.key} caps).
     */
    public static Server server(String name, int requestThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(
                requestThreads + CONNECTOR_THREADS, Math.min(4, requestThreads) + CONNECTOR_THREADS);
        pool.setReservedThreads(0);
        pool.setName(name);
        Server server = new Server(pool);
        server.setStopTimeout(10_000);
        return server;
    }

    /** A plain or TLS (when {@code tls} is not null) HTTP/1.1 connector with the deadlines. */
    public static ServerConnector connector(
            Server server,
            String host,
            int port,
            Deadlines deadlines,
            int maxHeaderBytes,
            SslContextFactory.Server tls) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(maxHeaderBytes);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector = tls == null
                ? new ServerConnector(server, 1, 1, h1)
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), h1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(deadlines.idleTimeoutMs());
        connector.addBean(new HeaderDeadline(server.getScheduler(), deadlines.headerTimeoutMs()));
        return connector;
    }

    /** {@code handler} behind the minimum body rate, its requests counted for the header deadline. */
    public static Handler guarded(Handler handler, Deadlines deadlines) {
        return new HeaderDeadline.InHandlers(
                new MinimumBodyRate(handler, deadlines.minBodyBytesPerSecond(), deadlines.headerTimeoutMs()));
    }
}
