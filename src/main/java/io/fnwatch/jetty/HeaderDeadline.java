package io.fnwatch.jetty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that trickles request headers. Jetty parses headers without holding a thread, but
 * resets its idle timeout on every byte, so a client sending one byte every few seconds keeps a connection
 * (and its header buffer) forever. Every {@code periodMs} each HTTP connection is looked at: when bytes
 * arrived during one period while no request was in the handlers and none began or ended, and still none
 * has begun (headers complete) or ended by the end of the next period, the connection is closed. So headers
 * get between one and two periods once they start to arrive; a client that falls silent half-way through
 * them, right after a response, is left to the idle timeout. Requests in the handlers are counted by
 * {@link InHandlers}: Jetty's own response counter also counts {@code 100 Continue}, which would make a long
 * upload look like headers that never end.
 */
final class HeaderDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);
    private static final String ATTRIBUTE = HeaderDeadline.class.getName();

    private final Scheduler scheduler;
    private final long periodMs;

    HeaderDeadline(Scheduler scheduler, long periodMs) {
        this.scheduler = scheduler;
        this.periodMs = periodMs;
    }

    @Override
    public void onOpened(Connection connection) {
        // TLS opens an encrypted connection and the HTTP one inside it: only the HTTP one parses requests
        if (connection instanceof ConnectionMetaData http) {
            Watch watch = new Watch(connection);
            http.setAttribute(ATTRIBUTE, watch);
            watch.next();
        }
    }

    /** Counts the requests of each connection that are in the handlers; outermost handler of every server. */
    static final class InHandlers extends Handler.Wrapper {
        InHandlers(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!(request.getConnectionMetaData().getAttribute(ATTRIBUTE) instanceof Watch watch)) {
                return super.handle(request, response, callback);
            }
            watch.inHandlers.incrementAndGet();
            boolean handled = false;
            try {
                handled = super.handle(request, response, Callback.from(callback, watch::ended));
                return handled;
            } finally {
                if (!handled) {
                    watch.ended();
                }
            }
        }
    }

    /** One connection as seen at the last look; {@link #run} runs on the scheduler, one look at a time. */
    private final class Watch implements Runnable {
        private final Connection connection;
        private final AtomicInteger inHandlers = new AtomicInteger();
        private final AtomicLong ended = new AtomicLong();
        private long begun;
        private long endedSeen;
        private long bytes;
        private boolean headersPending;

        Watch(Connection connection) {
            this.connection = connection;
        }

        void ended() {
            inHandlers.decrementAndGet();
            ended.incrementAndGet();
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
            long nowEnded = ended.get();
            long nowBytes = connection.getBytesIn();
            boolean quiet = inHandlers.get() == 0 && nowBegun == begun && nowEnded == endedSeen;
            if (quiet && headersPending) {
                LOG.debug("closing {}: request headers incomplete after {} ms", connection, periodMs);
                connection.close();
                return;
            }
            headersPending = quiet && nowBytes > bytes;
            begun = nowBegun;
            endedSeen = nowEnded;
            bytes = nowBytes;
            next();
        }
    }
}
