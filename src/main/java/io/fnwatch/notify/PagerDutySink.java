package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.fnwatch.model.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty Events API v2 ({@code POST /v2/enqueue}): {@code trigger} on OPEN and UPDATE, {@code resolve} on
 * RESOLVED, {@code dedup_key} the alert id, so every state change of one incident lands on one PagerDuty alert
 * and a redelivery is recognised. Severity maps CRITICAL to critical, HIGH to error, MEDIUM to warning and LOW
 * to info; the figures and the evidence go in {@code custom_details}. The routing key is the secret. PagerDuty
 * answers 202, 400 for an invalid event (not retried), 429 and 5xx (retried).
 */
public final class PagerDutySink implements Sink {

    public static final URI DEFAULT_URL = URI.create("https://events.pagerduty.com/v2/enqueue");
    /** The Events API's limit on {@code payload.summary}. */
    static final int SUMMARY_MAX = 1024;

    private final String name;
    private final URI url;
    private final Secret routingKey;
    private final String consoleUrl;

    public PagerDutySink(String name, URI url, Secret routingKey, String consoleUrl) {
        this.name = name;
        this.url = url == null ? DEFAULT_URL : url;
        this.routingKey = routingKey;
        this.consoleUrl = consoleUrl;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "pagerduty";
    }

    @Override
    public SinkRequest request(Notice n, Instant now) {
        if (n.kind() == Notice.Kind.DIGEST) {
            throw new IllegalArgumentException("PagerDuty takes no digest: its routes have no rate limit");
        }
        Alert a = n.alert();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey.value());
        event.put("dedup_key", a.id());
        if (n.kind() == Notice.Kind.RESOLVED) {
            event.put("event_action", "resolve");
        } else {
            event.put("event_action", "trigger");
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put(
                    "summary",
                    Texts.cut(a.type() + " " + a.severity() + " on " + a.function() + ": " + a.summary(), SUMMARY_MAX));
            payload.put("source", a.key().asString());
            payload.put("severity", severity(a.severity()));
            payload.put("timestamp", String.valueOf(a.detectedAt()));
            payload.put("component", a.function());
            payload.put("group", a.tenant());
            payload.put("class", a.type().name());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", n.kind().name());
            details.put("severity", a.severity().name());
            details.put("score", a.score());
            details.put("observed", a.observed());
            details.put("expected", a.expected());
            details.put("threshold", a.threshold());
            details.put("windowStart", String.valueOf(a.windowStart()));
            details.put("windowEnd", String.valueOf(a.windowEnd()));
            details.put("evidence", a.evidence() == null ? Map.of() : a.evidence());
            payload.put("custom_details", details);
            event.put("payload", payload);
            event.put("client", "fnwatch");
            String link = Texts.consoleUrl(consoleUrl, a);
            if (link != null) {
                event.put("client_url", link);
                event.put("links", List.of(Map.of("href", link, "text", "Function in the console")));
            }
        }
        return new SinkRequest(url, Map.of("Content-Type", "application/json"), Json.bytes(event));
    }

    /** The Events API's four severities. */
    static String severity(Severity s) {
        return switch (s) {
            case CRITICAL -> "critical";
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "info";
        };
    }

    @Override
    public String describe() {
        return name + ": pagerduty url=" + Texts.safe(url) + " routingKey=" + routingKey.describe()
                + (consoleUrl == null ? "" : " consoleUrl=" + consoleUrl);
    }

    @Override
    public String toString() {
        return describe();
    }
}
