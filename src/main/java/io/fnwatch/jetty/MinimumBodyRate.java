package io.fnwatch.jetty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Fails a request whose body arrives too slowly, at the moment it becomes too slow. Handlers read bodies
 * blocking on a server thread, and Jetty's own rate check ({@code MinimumDataRateHandler}) only looks when
 * the next bytes arrive, so a client sending a byte every 20 s held a thread for 20 s each time. Here a timer
 * fires when the bytes read so far no longer meet {@code bytesPerSecond} on average since the headers (never
 * before {@code graceMs}); then a blocked read is woken and fails with {@link SlowBody}.
 */
public final class MinimumBodyRate extends Handler.Wrapper {

    private final long bytesPerSecond;
    private final long graceMs;

    public MinimumBodyRate(Handler handler, long bytesPerSecond, long graceMs) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
        this.graceMs = graceMs;
    }

    /** The failure a read returns once the body is too slow; handlers answer 408 to it. */
    public static final class SlowBody extends TimeoutException {
        SlowBody(String message) {
            super(message);
        }
    }

    /** True when {@code e} (or what it wraps) is a read stopped by this handler or by the idle timeout. */
    public static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (bytesPerSecond <= 0 || request.getLength() == 0) {
            return super.handle(request, response, callback);
        }
        Guarded guarded = new Guarded(request);
        guarded.watch();
        return super.handle(guarded, response, Callback.from(callback, guarded::stop));
    }

    private final class Guarded extends Request.Wrapper implements Runnable {
        private final long start = System.nanoTime();
        private final Scheduler scheduler;
        private final AtomicReference<Runnable> pendingDemand = new AtomicReference<>();
        private volatile long read;
        private volatile boolean done;
        private volatile Content.Chunk failure;
        private volatile Scheduler.Task task;

        Guarded(Request request) {
            super(request);
            this.scheduler = request.getComponents().getScheduler();
        }

        /** Schedules the next look for when the bytes read so far stop being enough. */
        void watch() {
            long dueMs = Math.max(graceMs, read * 1000 / bytesPerSecond);
            long inMs = dueMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            task = scheduler.schedule(this, Math.max(1, inMs), TimeUnit.MILLISECONDS);
        }

        void stop() {
            done = true;
            Scheduler.Task t = task;
            if (t != null) {
                t.cancel();
            }
        }

        @Override
        public void run() {
            if (done) {
                return;
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (read * 1000 / bytesPerSecond >= elapsedMs) {
                watch();
                return;
            }
            done = true;
            failure = Content.Chunk.from(
                    new SlowBody("request body arrived at " + read * 1000 / Math.max(1, elapsedMs)
                            + " bytes/s, below the minimum of " + bytesPerSecond),
                    true);
            Runnable blocked = pendingDemand.getAndSet(null);
            if (blocked != null) {
                blocked.run();
            }
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk failed = failure;
            if (failed != null) {
                return failed;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                read += chunk.remaining();
                if (chunk.isLast()) {
                    stop();
                }
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (failure != null) {
                demandCallback.run();
                return;
            }
            // whichever comes first, data or the timer, wakes the reader; the other finds nothing to do
            AtomicBoolean ran = new AtomicBoolean();
            Runnable once = () -> {
                if (ran.compareAndSet(false, true)) {
                    demandCallback.run();
                }
            };
            pendingDemand.set(once);
            super.demand(() -> {
                pendingDemand.compareAndSet(once, null);
                once.run();
            });
            if (failure != null && pendingDemand.compareAndSet(once, null)) {
                once.run();
            }
        }
    }
}
