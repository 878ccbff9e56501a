package io.fnwatch.notify;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one sink's notices in the order they were queued, one at a time: a failing notice is retried
 * (exponential backoff with jitter, or the receiver's {@code Retry-After} on 429 and 503) and holds the ones
 * behind it, so each function's OPEN, UPDATE and RESOLVED arrive in order after an outage. A notice the
 * receiver rejects (a 4xx other than 408, 425 and 429), or that still fails {@code giveUpAfter} after its first
 * attempt, is dead-lettered and its records are done. Each sink has its own worker and thread: a failing or
 * hanging sink delays no other.
 *
 * <p>{@link #runOnce()} is one step with no waiting, driven by an injected clock, so tests are deterministic;
 * {@link #run()} is the thread's loop.
 */
final class SinkWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
    /** Longest sleep of the thread's loop: new notices and close() wake it earlier. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final Sink sink;
    private final HttpTransport transport;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration giveUpAfter;
    private final DeadLetters deadLetters;
    private final NotifyMeters.OfSink meters;
    private final ConcurrentLinkedDeque<Delivery> queue = new ConcurrentLinkedDeque<>();
    private final Object signal = new Object();
    private volatile boolean running = true;

    SinkWorker(
            Sink sink,
            HttpTransport transport,
            Clock clock,
            Backoff backoff,
            Duration giveUpAfter,
            DeadLetters deadLetters,
            NotifyMeters meters) {
        this.sink = sink;
        this.transport = transport;
        this.clock = clock;
        this.backoff = backoff;
        this.giveUpAfter = giveUpAfter;
        this.deadLetters = deadLetters;
        this.meters = meters.of(sink, queue::size);
    }

    Sink sink() {
        return sink;
    }

    void enqueue(Notice notice, List<Ticket> tickets) {
        queue.add(new Delivery(notice, tickets, clock.instant()));
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    int queued() {
        return queue.size();
    }

    /**
     * One step: attempts the first notice if its time has come. Returns null when nothing is queued, zero when
     * another step may follow at once, else how long until the first notice's next attempt.
     */
    Duration runOnce() throws InterruptedException {
        Instant now = clock.instant();
        if (queue.isEmpty()) {
            sink.due(now).forEach(n -> queue.add(new Delivery(n, List.of(), now)));
        }
        Delivery d = queue.peek();
        if (d == null) {
            return null;
        }
        if (d.abandoned()) {
            queue.poll();
            return Duration.ZERO;
        }
        if (d.notBefore != null && now.isBefore(d.notBefore)) {
            return Duration.between(now, d.notBefore);
        }
        if (d.firstAttemptAt == null) {
            d.firstAttemptAt = now;
        }
        d.attempts++;
        HttpTransport.Outcome outcome;
        Duration retryAfter = null;
        try {
            HttpTransport.Response r = transport.send(sink.request(d.notice, now));
            outcome = r.outcome();
            d.lastError = r.describe();
            if (outcome == HttpTransport.Outcome.RETRY && (r.status() == 429 || r.status() == 503)) {
                retryAfter = r.retryAfter(clock.instant()).orElse(null);
            }
        } catch (IOException e) {
            outcome = HttpTransport.Outcome.RETRY;
            d.lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (RuntimeException e) {
            outcome = HttpTransport.Outcome.REJECTED;
            d.lastError = "cannot build the request: " + e;
        }
        Instant after = clock.instant();
        switch (outcome) {
            case DELIVERED -> {
                queue.poll();
                sink.delivered(d.notice, after);
                meters.delivered(Duration.between(d.queuedAt, after));
                d.complete();
                return Duration.ZERO;
            }
            case REJECTED -> {
                return giveUp(d, after);
            }
            default -> {
                if (Duration.between(d.firstAttemptAt, after).compareTo(giveUpAfter) >= 0) {
                    return giveUp(d, after);
                }
                meters.retries.increment();
                Duration wait = retryAfter != null ? min(retryAfter, giveUpAfter) : backoff.next(d.attempts);
                d.notBefore = after.plus(wait);
                LOG.debug(
                        "sink {}: attempt {} of {} failed ({}); next in {}",
                        sink.name(),
                        d.attempts,
                        d.notice.key(),
                        d.lastError,
                        wait);
                return wait;
            }
        }
    }

    private Duration giveUp(Delivery d, Instant now) throws InterruptedException {
        NotifyDeadLetter letter = new NotifyDeadLetter(
                sink.name(),
                sink.type(),
                d.notice.route(),
                d.notice.kind().name(),
                d.notice.key(),
                d.attempts,
                d.firstAttemptAt,
                now,
                d.lastError,
                d.notice.alerts());
        try {
            deadLetters.write(letter);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // the records stay pending (their offsets do not move) until the dead letter is stored
            Duration wait = backoff.next(d.attempts);
            d.notBefore = now.plus(wait);
            LOG.warn(
                    "sink {}: cannot write the dead letter of {} ({}); trying again in {}",
                    sink.name(),
                    d.notice.key(),
                    e.toString(),
                    wait);
            return wait;
        }
        queue.poll();
        meters.giveUps.increment();
        LOG.warn(
                "sink {}: gave up {} {} after {} attempt(s): {}",
                sink.name(),
                d.notice.kind(),
                d.notice.key(),
                d.attempts,
                d.lastError);
        d.complete();
        return Duration.ZERO;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Duration wait = runOnce();
                if (wait == null || !wait.isZero()) {
                    long ms = wait == null ? IDLE.toMillis() : Math.max(1, Math.min(wait.toMillis(), IDLE.toMillis()));
                    synchronized (signal) {
                        if (running && (wait != null || queue.isEmpty())) {
                            signal.wait(ms);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("sink {}: unexpected failure; going on", sink.name(), e);
            }
        }
    }

    void stop() {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
