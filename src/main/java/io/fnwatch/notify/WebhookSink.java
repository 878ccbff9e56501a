package io.fnwatch.notify;

import io.fnwatch.model.Json;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic webhook signed as the Standard Webhooks specification describes. The body is
 * {@code {"type", "timestamp", "data"}}: type {@code fnwatch.alert.opened}, {@code .updated}, {@code .resolved}
 * with the alert JSON as data (the fields of {@code fnwatch-alerts}), or {@code fnwatch.alert.digest} with
 * {@code data.alerts}. {@code webhook-id} is {@link Notice#key()}: the same for every delivery of one state
 * change, so a receiver drops duplicates; {@code webhook-timestamp} is the time of the attempt, so a receiver
 * rejects replays; {@code webhook-signature} carries one signature per secret (two during a rotation).
 */
public final class WebhookSink implements Sink {

    private final String name;
    private final URI url;
    private final List<Secret> secrets;
    private final List<byte[]> keys;

    /** {@code secrets}: one or two {@code whsec_} secrets, checked by {@link StandardWebhooks#key}. */
    public WebhookSink(String name, URI url, List<Secret> secrets) {
        if (secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("a webhook has one or two signing secrets");
        }
        this.name = name;
        this.url = url;
        this.secrets = List.copyOf(secrets);
        this.keys = secrets.stream().map(s -> StandardWebhooks.key(s.value())).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public SinkRequest request(Notice n, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", eventType(n.kind()));
        if (n.kind() == Notice.Kind.DIGEST) {
            body.put(
                    "timestamp",
                    String.valueOf(n.alerts().get(n.alerts().size() - 1).detectedAt()));
            body.put("data", Map.of("route", n.route(), "alerts", n.alerts()));
        } else {
            body.put("timestamp", String.valueOf(n.alert().detectedAt()));
            body.put("data", n.alert());
        }
        byte[] bytes = Json.bytes(body);
        String id = n.key();
        long ts = now.getEpochSecond();
        Map<String, String> headers = Map.of(
                "Content-Type",
                "application/json",
                "webhook-id",
                id,
                "webhook-timestamp",
                String.valueOf(ts),
                "webhook-signature",
                StandardWebhooks.signature(keys, id, ts, bytes));
        return new SinkRequest(url, headers, bytes);
    }

    static String eventType(Notice.Kind kind) {
        return switch (kind) {
            case OPEN -> "fnwatch.alert.opened";
            case UPDATE -> "fnwatch.alert.updated";
            case RESOLVED -> "fnwatch.alert.resolved";
            case DIGEST -> "fnwatch.alert.digest";
        };
    }

    @Override
    public String describe() {
        return name + ": webhook url=" + Texts.safe(url) + " secrets="
                + secrets.stream().map(Secret::describe).toList();
    }

    @Override
    public String toString() {
        return describe();
    }
}
