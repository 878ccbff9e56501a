package io.fnwatch.jetty;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that trickles request headers. Jetty parses headers without holding a thread, but
 * resets its idle timeout on every byte, so a client sending one byte every few seconds keeps a connection
 * (and its header buffer) forever. Every {@code periodMs} each HTTP connection is looked at through its
 * public counters: when bytes arrived during one period while no request was being handled and none began,
 * and still no request has begun (headers complete) by the end of the next, the connection is closed. So
 * headers get between one and two periods once they start to arrive; a client that falls silent half-way is
 * left to the idle timeout.
 */
final class HeaderDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final Scheduler scheduler;
    private final long periodMs;

    HeaderDeadline(Scheduler scheduler, long periodMs) {
        this.scheduler = scheduler;
        this.periodMs = periodMs;
    }

    @Override
    public void onOpened(Connection connection) {
        // TLS opens an encrypted connection and the HTTP one inside it: only the HTTP one parses requests
        if (connection instanceof ConnectionMetaData) {
            new Watch(connection).next();
        }
    }

    /** The counters of one connection at the last look; touched only by the scheduler, one task at a time. */
    private final class Watch implements Runnable {
        private final Connection connection;
        private long begun;
        private long answered;
        private long bytes;
        private boolean headersPending;

        Watch(Connection connection) {
            this.connection = connection;
        }

        private void next() {
            scheduler.schedule(this, periodMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long nowBegun = connection.getMessagesIn();
            long nowAnswered = connection.getMessagesOut();
            long nowBytes = connection.getBytesIn();
            boolean between = nowBegun == nowAnswered;
            boolean noBoundary = nowBegun == begun && nowAnswered == answered;
            if (between && noBoundary && headersPending) {
                LOG.debug("closing {}: request headers incomplete after {} ms", connection, periodMs);
                connection.close();
                return;
            }
            headersPending = between && noBoundary && nowBytes > bytes;
            begun = nowBegun;
            answered = nowAnswered;
            bytes = nowBytes;
            next();
        }
    }
}
