package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook: one Block Kit message per OPEN, UPDATE and RESOLVED (a header, the function,
 * severity, observed against expected, the summary, the alert id, and a button to the function's console page
 * when a console URL is set), with a plain {@code text} fallback for notifications. The webhook URL is the
 * secret. Slack answers 200 {@code ok}, 4xx with an error word (never retried but 429) and 429 with
 * {@code Retry-After}. Slack has no idempotency key: a redelivery after a crash may post a message twice.
 */
public final class SlackSink implements Sink {

    /** Slack's limits: header text 150 characters, section text 3,000, a field 2,000. */
    static final int HEADER_MAX = 150;

    static final int SECTION_MAX = 3000;
    static final int FIELD_MAX = 2000;
    /** Alerts listed one per line in a digest message; the rest are counted. */
    static final int DIGEST_LINES = 20;

    private final String name;
    private final Secret url;
    private final String consoleUrl;

    public SlackSink(String name, Secret url, String consoleUrl) {
        this.name = name;
        this.url = url;
        this.consoleUrl = consoleUrl;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public SinkRequest request(Notice n, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (n.kind() == Notice.Kind.DIGEST) {
            body.put("text", digestTitle(n));
            body.put("blocks", digestBlocks(n));
        } else {
            Alert a = n.alert();
            body.put(
                    "text",
                    cut(
                            verb(n.kind()) + " " + a.type() + " " + a.severity() + " " + a.function() + ": "
                                    + a.summary(),
                            SECTION_MAX));
            body.put("blocks", alertBlocks(n.kind(), a));
        }
        return new SinkRequest(URI.create(url.value()), Map.of("Content-Type", "application/json"), Json.bytes(body));
    }

    private List<Object> alertBlocks(Notice.Kind kind, Alert a) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of(
                "type",
                "header",
                "text",
                plain(cut(icon(kind) + " " + verb(kind) + " · " + a.type() + " · " + a.function(), HEADER_MAX))));
        List<Object> fields = new ArrayList<>();
        fields.add(md("*Function*\n" + escape(Texts.where(a))));
        fields.add(md("*Severity*\n" + a.severity() + " (score " + Texts.num(a.score()) + ")"));
        fields.add(md("*Observed*\n" + Texts.num(a.observed()) + " vs expected " + Texts.num(a.expected())
                + " (threshold " + Texts.num(a.threshold()) + ")"));
        fields.add(md("*Window*\n" + a.windowStart() + " – " + a.windowEnd()));
        blocks.add(Map.of("type", "section", "fields", fields));
        blocks.add(Map.of("type", "section", "text", md(escape(cut(a.summary(), SECTION_MAX - 10)))));
        blocks.add(Map.of(
                "type",
                "context",
                "elements",
                List.of(md("alert `" + a.id() + "` · detected " + a.detectedAt() + " · fnwatch"))));
        String link = Texts.consoleUrl(consoleUrl, a);
        if (link != null) {
            blocks.add(Map.of(
                    "type",
                    "actions",
                    "elements",
                    List.of(Map.of("type", "button", "text", plain("Open function"), "url", link))));
        }
        return blocks;
    }

    private static String digestTitle(Notice n) {
        return "fnwatch: " + n.alerts().size() + " more alert(s) on route " + n.route()
                + " (held back by its rate limit)";
    }

    private static List<Object> digestBlocks(Notice n) {
        StringBuilder lines = new StringBuilder();
        List<Alert> alerts = n.alerts();
        for (int i = 0; i < Math.min(alerts.size(), DIGEST_LINES); i++) {
            Alert a = alerts.get(i);
            lines.append("• ")
                    .append(a.state())
                    .append(' ')
                    .append(a.type())
                    .append(' ')
                    .append(a.severity())
                    .append(" *")
                    .append(escape(cut(a.function(), 100)))
                    .append("* (")
                    .append(escape(a.tenant()))
                    .append(")\n");
        }
        if (alerts.size() > DIGEST_LINES) {
            lines.append("…and ").append(alerts.size() - DIGEST_LINES).append(" more");
        }
        return List.of(
                Map.of("type", "header", "text", plain(cut(digestTitle(n), HEADER_MAX))),
                Map.of("type", "section", "text", md(cut(lines.toString(), SECTION_MAX))));
    }

    private static String verb(Notice.Kind kind) {
        return switch (kind) {
            case OPEN -> "OPEN";
            case UPDATE -> "UPDATE";
            case RESOLVED -> "RESOLVED";
            case DIGEST -> "DIGEST";
        };
    }

    private static String icon(Notice.Kind kind) {
        return switch (kind) {
            case OPEN -> "🔴";
            case UPDATE -> "🟠";
            case RESOLVED -> "✅";
            case DIGEST -> "📋";
        };
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text, "emoji", true);
    }

    private static Map<String, Object> md(String text) {
        return Map.of("type", "mrkdwn", "text", cut(text, FIELD_MAX));
    }

    private static String cut(String s, int max) {
        return Texts.cut(s, max);
    }

    /** Slack's mrkdwn control characters, as its documentation asks: &, < and > escaped. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String describe() {
        return name + ": slack url=" + url.describe() + (consoleUrl == null ? "" : " consoleUrl=" + consoleUrl);
    }

    @Override
    public String toString() {
        return describe();
    }
}
