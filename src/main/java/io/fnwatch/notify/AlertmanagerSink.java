package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus Alertmanager API v2 ({@code POST <url>/api/v2/alerts}, a JSON array of alerts). The label set
 * identifies the incident and never changes while it lasts: {@code alertname} (the alert type),
 * {@code fnwatch_id} (the incident id), {@code tenant}, {@code provider}, {@code account}, {@code region},
 * {@code function} (unknown parts left out), plus the sink's own {@code labels}. Severity can rise during an
 * incident, so it is an annotation, with the summary and the figures. {@code startsAt} is the window start;
 * an open alert's {@code endsAt} is four re-send periods ahead and Alertmanager is sent it again every
 * {@code resendEvery} while it is open, as Alertmanager expects of its clients; RESOLVED sets {@code endsAt}
 * to the time it resolved. A digest is simply all its alerts in one request.
 *
 * <p>The open alerts to re-send are kept in memory (at most {@link #MAX_OPEN}). An instance that starts, or
 * takes a partition over, learns the incidents still open from the partition's alerts delivered before (see
 * {@link Notifier}), so Alertmanager never times out an open incident because delivery restarted; a partition
 * that moves away is forgotten, so its incidents are re-sent by their new owner only, never revived here after
 * it resolved them.
 */
public final class AlertmanagerSink implements Sink {

    static final int MAX_OPEN = 10_000;
    static final String RESEND_ROUTE = "(alertmanager re-send)";

    private final String name;
    private final URI url;
    private final Map<String, String> labels;
    private final Duration resendEvery;
    private final String consoleUrl;
    private final LinkedHashMap<String, Alert> open = new LinkedHashMap<>();
    private Instant nextResend;

    public AlertmanagerSink(String name, URI url, Map<String, String> labels, Duration resendEvery, String consoleUrl) {
        this.name = name;
        this.url = url;
        this.labels = Map.copyOf(labels);
        this.resendEvery = resendEvery;
        this.consoleUrl = consoleUrl;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "alertmanager";
    }

    /** {@code <url>/api/v2/alerts}, with or without a trailing slash on {@code url}. */
    URI endpoint() {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/alerts");
    }

    @Override
    public synchronized SinkRequest request(Notice n, Instant now) {
        // a re-send carries what is open at the time of the attempt, never an alert resolved meanwhile
        List<Alert> alerts = RESEND_ROUTE.equals(n.route()) ? List.copyOf(open.values()) : n.alerts();
        List<Object> body = new ArrayList<>();
        for (Alert a : alerts) {
            body.add(alert(a, now));
        }
        return new SinkRequest(endpoint(), Map.of("Content-Type", "application/json"), Json.bytes(body));
    }

    private Map<String, Object> alert(Alert a, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", labels(a));
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("summary", a.summary() == null ? "" : a.summary());
        ann.put("severity", a.severity().name());
        ann.put("score", Texts.num(a.score()));
        ann.put("observed", Texts.num(a.observed()));
        ann.put("expected", Texts.num(a.expected()));
        ann.put("threshold", Texts.num(a.threshold()));
        ann.put("state", a.state().name());
        ann.put("detectedAt", String.valueOf(a.detectedAt()));
        out.put("annotations", ann);
        Instant start = earliest(a.windowStart() == null ? a.detectedAt() : a.windowStart(), now);
        out.put("startsAt", String.valueOf(start));
        Instant end = a.state() == AlertState.RESOLVED
                ? earliest(a.detectedAt(), now)
                : now.plus(resendEvery.multipliedBy(4));
        out.put("endsAt", String.valueOf(end.isBefore(start) ? start : end));
        String link = Texts.consoleUrl(consoleUrl, a);
        if (link != null) {
            out.put("generatorURL", link);
        }
        return out;
    }

    /** The labels that identify {@code a}'s incident in Alertmanager. */
    Map<String, String> labels(Alert a) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("alertname", a.type().name());
        l.put("fnwatch_id", a.id());
        FunctionKey k = a.key();
        l.put("tenant", k.tenant());
        l.put("provider", k.provider());
        putKnown(l, "account", a.account());
        putKnown(l, "region", a.region());
        l.put("function", a.function());
        return l;
    }

    private static void putKnown(Map<String, String> l, String name, String value) {
        if (value != null && !FunctionKey.UNKNOWN.equals(value)) {
            l.put(name, value);
        }
    }

    private static Instant earliest(Instant t, Instant now) {
        return t == null || t.isAfter(now) ? now : t;
    }

    @Override
    public synchronized void delivered(Notice n, Instant now) {
        if (RESEND_ROUTE.equals(n.route())) {
            return;
        }
        for (Alert a : n.alerts()) {
            if (a.state() == AlertState.RESOLVED) {
                open.remove(a.id());
            } else {
                open.remove(a.id());
                open.put(a.id(), a);
                if (open.size() > MAX_OPEN) {
                    open.remove(open.keySet().iterator().next());
                }
            }
        }
        if (nextResend == null) {
            nextResend = now.plus(resendEvery);
        }
    }

    @Override
    public synchronized void forget(Set<String> ids) {
        open.keySet().removeAll(ids);
    }

    @Override
    public synchronized List<Notice> due(Instant now) {
        if (open.isEmpty() || (nextResend != null && now.isBefore(nextResend))) {
            return List.of();
        }
        nextResend = now.plus(resendEvery);
        return List.of(Notice.digest(List.copyOf(open.values()), RESEND_ROUTE));
    }

    /** Incidents open in Alertmanager as far as this instance knows. */
    synchronized int openCount() {
        return open.size();
    }

    @Override
    public String describe() {
        return name + ": alertmanager url=" + Texts.safe(url) + " resendEvery=" + resendEvery + " labels=" + labels
                + (consoleUrl == null ? "" : " consoleUrl=" + consoleUrl);
    }

    @Override
    public String toString() {
        return describe();
    }
}
