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

    private JettyServers() {
    }

    /** A server with a bounded pool of its own, named after what it serves. */
    public static Server server(String name, int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
        pool.setName(name);
        Server server = new Server(pool);
        server.setStopTimeout(10_000);
        return server;
    }

    /** A plain or TLS (when {@code tls} is not null) HTTP/1.1 connector with the deadlines. */
    public static ServerConnector connector(Server server, String host, int port, Deadlines deadlines,
            int maxHeaderBytes, SslContextFactory.Server tls) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(maxHeaderBytes);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector = tls == null ? new ServerConnector(server, 1, 1, h1)
                : new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), h1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(deadlines.idleTimeoutMs());
        connector.addBean(new HeaderDeadline(server.getScheduler(), deadlines.headerTimeoutMs()));
        return connector;
    }

    /** {@code handler} behind the minimum body rate, its requests counted for the header deadline. */
    public static Handler guarded(Handler handler, Deadlines deadlines) {
        return new HeaderDeadline.InHandlers(new MinimumBodyRate(handler, deadlines.minBodyBytesPerSecond(),
                deadlines.headerTimeoutMs()));
    }
}
