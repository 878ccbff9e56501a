package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each alert to its sinks and hands it to one {@link SinkWorker} per sink. It tells UPDATE from OPEN
 * (an OPEN of an incident it has seen open), applies each route's rate limit (at most N alerts a minute
 * individually; the rest of the minute go out as one digest per sink when the minute is over), and ties every
 * delivery to the {@link Ticket} of its record so that the record is done only when all its deliveries are.
 *
 * <p>{@link #submit} and {@link #tick} are called by one thread (the reader of the alerts topic). The workers
 * run on threads of their own after {@link #start()}; tests drive them with {@link #step()} instead.
 */
public final class DeliveryEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** Incident ids remembered to tell an UPDATE from an OPEN (with the partition each came from). */
    static final int OPENED_IDS = 100_000;

    private final Routes routes;
    private final Clock clock;
    private final Map<String, SinkWorker> workers = new LinkedHashMap<>();
    private final Map<String, RateWindow> windows = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LinkedHashMap<String, Integer> opened = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > OPENED_IDS;
        }
    };

    public DeliveryEngine(
            Routes routes,
            HttpTransport transport,
            Clock clock,
            Backoff backoff,
            Duration giveUpAfter,
            DeadLetters deadLetters,
            NotifyMeters meters) {
        this.routes = routes;
        this.clock = clock;
        routes.sinks()
                .forEach((name, sink) -> workers.put(
                        name, new SinkWorker(sink, transport, clock, backoff, giveUpAfter, deadLetters, meters)));
    }

    /** Starts one thread per sink. */
    public synchronized void start() {
        workers.forEach((name, w) -> {
            Thread t = new Thread(w, "fnwatch-notify-" + name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        });
    }

    /**
     * Routes {@code alert}, read at {@code offset} of {@code partition}, to its sinks; returns its ticket
     * (already done when no route matches).
     */
    public Ticket submit(Alert alert, PartitionProgress partition, long offset) {
        boolean update = remember(alert, partition.partition());
        Map<Route, List<Sink>> byRoute = new LinkedHashMap<>();
        List<Routes.Target> targets = routes.targets(alert, update);
        targets.forEach(
                t -> byRoute.computeIfAbsent(t.route(), r -> new ArrayList<>()).add(t.sink()));
        Ticket ticket = partition.read(offset, targets.size());
        Instant now = clock.instant();
        for (var e : byRoute.entrySet()) {
            Route route = e.getKey();
            if (route.rateLimit() > 0 && !window(route).admit(now)) {
                window(route).hold(alert, e.getValue(), ticket);
                continue;
            }
            Notice notice = Notice.of(alert, update, route.name());
            for (Sink s : e.getValue()) {
                workers.get(s.name()).enqueue(notice, List.of(ticket));
            }
        }
        return ticket;
    }

    /** Notes {@code alert}'s incident as open or closed; true when it is an OPEN of an incident already open. */
    private boolean remember(Alert alert, int partition) {
        if (alert.state() == AlertState.RESOLVED) {
            opened.remove(alert.id());
            return false;
        }
        return opened.put(alert.id(), partition) != null;
    }

    /**
     * Takes in an alert of {@code partition} that was delivered before this instance owned the partition (read
     * back up to the committed offset, in order): what it says about its incident is remembered (UPDATE versus
     * OPEN) and each sink it was routed to hears it as delivered (Alertmanager's open incidents). Nothing is sent.
     */
    public void restore(Alert alert, int partition) {
        boolean update = remember(alert, partition);
        Instant now = clock.instant();
        for (Routes.Target t : routes.targets(alert, update)) {
            t.sink().delivered(Notice.of(alert, update, t.route().name()), now);
        }
    }

    /** Forgets the incidents of {@code partitions}, which moved to another instance; returns how many. */
    public int forget(Set<Integer> partitions) {
        Set<String> ids = new HashSet<>();
        opened.entrySet().removeIf(e -> partitions.contains(e.getValue()) && ids.add(e.getKey()));
        if (!ids.isEmpty()) {
            routes.sinks().values().forEach(sink -> sink.forget(ids));
        }
        return ids.size();
    }

    /** Sends the digests of the minutes that are over. Call it often (every poll of the reader). */
    public void tick() {
        Instant now = clock.instant();
        windows.values().forEach(w -> w.flushIfOver(now));
    }

    private RateWindow window(Route r) {
        return windows.computeIfAbsent(r.name(), n -> new RateWindow(r));
    }

    /** Notices queued over all sinks, and alerts held for digests. */
    public int queued() {
        return workers.values().stream().mapToInt(SinkWorker::queued).sum()
                + windows.values().stream().mapToInt(RateWindow::held).sum();
    }

    /**
     * Runs every sink's worker until it has nothing to do now; returns, per sink, null (idle) or how long until
     * its next attempt. For tests, which move the clock instead of waiting.
     */
    Map<String, Duration> step() throws InterruptedException {
        Map<String, Duration> waits = new LinkedHashMap<>();
        for (var e : workers.entrySet()) {
            Duration w;
            do {
                w = e.getValue().runOnce();
            } while (w != null && w.isZero());
            waits.put(e.getKey(), w);
        }
        return waits;
    }

    /**
     * Stops the workers: a request in flight gets 2 s to finish, then its thread is interrupted (its record
     * is not committed, so it is delivered again, with the same idempotency key, after a restart).
     */
    @Override
    public synchronized void close() {
        workers.values().forEach(SinkWorker::stop);
        try {
            for (Thread t : threads) {
                t.join(2_000);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(5_000);
                }
                if (t.isAlive()) {
                    LOG.warn("{} did not stop; leaving it (its records are not committed)", t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One route's rate limit: a window of one wall-clock minute. */
    private final class RateWindow {

        private final Route route;
        private long minute = Long.MIN_VALUE;
        private int admitted;
        private final Map<String, List<Alert>> heldAlerts = new LinkedHashMap<>();
        private final Map<String, List<Ticket>> heldTickets = new HashMap<>();

        RateWindow(Route route) {
            this.route = route;
        }

        boolean admit(Instant now) {
            flushIfOver(now);
            long m = Math.floorDiv(now.getEpochSecond(), 60);
            if (m != minute) {
                minute = m;
                admitted = 0;
            }
            return ++admitted <= route.rateLimit();
        }

        void hold(Alert a, List<Sink> sinks, Ticket t) {
            for (Sink s : sinks) {
                heldAlerts.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(a);
                heldTickets.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(t);
            }
        }

        void flushIfOver(Instant now) {
            if (heldAlerts.isEmpty() || Math.floorDiv(now.getEpochSecond(), 60) == minute) {
                return;
            }
            heldAlerts.forEach((sink, alerts) -> {
                LOG.info(
                        "route {}: {} alert(s) over its limit of {} a minute go to sink {} as one digest",
                        route.name(),
                        alerts.size(),
                        route.rateLimit(),
                        sink);
                workers.get(sink).enqueue(Notice.digest(alerts, route.name()), heldTickets.get(sink));
            });
            heldAlerts.clear();
            heldTickets.clear();
        }

        int held() {
            return heldTickets.values().stream().mapToInt(List::size).sum();
        }
    }
}
