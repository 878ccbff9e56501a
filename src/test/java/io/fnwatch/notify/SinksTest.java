package io.fnwatch.notify;

import static io.fnwatch.notify.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SinksTest {

    private static final Instant NOW = Instant.parse("2026-03-03T14:05:00Z");

    static String newSecret(long seed) {
        byte[] key = new byte[32];
        new SplittableRandom(seed).nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static JsonNode json(SinkRequest r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void slackMessageIsBlockKitWithTheFiguresTheSummaryEscapedAndAConsoleButton() throws Exception {
        SlackSink slack = new SlackSink(
                "s", Secret.of("https://hooks.slack.test/services/T/B/XYZ", "test"), "https://console.test/fn/{key}");

        SinkRequest r = slack.request(Notice.of(Alerts.update("orders api"), true, "r"), NOW);
        JsonNode body = json(r);

        assertThat(r.uri()).isEqualTo(URI.create("https://hooks.slack.test/services/T/B/XYZ"));
        assertThat(body.get("text").asText()).startsWith("UPDATE TRAFFIC_SPIKE HIGH orders api: ");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).get("text").get("text").asText()).contains("UPDATE · TRAFFIC_SPIKE · orders api");
        String fields = blocks.get(1).get("fields").toString();
        assertThat(fields).contains("HIGH (score 80)", "80 vs expected 4.11 (threshold 20)", "tenant default");
        assertThat(blocks.get(2).get("text").get("text").asText())
                .endsWith("against 4.1 expected &lt;b&gt;&amp;&lt;/b&gt;");
        assertThat(blocks.get(3).toString())
                .contains(Alerts.update("orders api").id());
        assertThat(blocks.get(4).get("elements").get(0).get("url").asText())
                .isEqualTo("https://console.test/fn/default%2Faws%2F123456789012%2Fus-east-1%2Forders%20api");
    }

    @Test
    void slackCutsTextsToBlockKitLimits() throws Exception {
        String longName = "f".repeat(400);
        SlackSink slack = new SlackSink("s", Secret.of("https://hooks.slack.test/x", "test"), null);

        JsonNode blocks = json(slack.request(Notice.of(Alerts.open(longName), false, "r"), NOW))
                .get("blocks");

        assertThat(blocks.get(0).get("text").get("text").asText()).hasSizeLessThanOrEqualTo(SlackSink.HEADER_MAX);
        assertThat(blocks.size()).isEqualTo(4); // no console URL, no button
    }

    @Test
    void slackDigestListsAtMostTwentyAlertsAndCountsTheRest() throws Exception {
        SlackSink slack = new SlackSink("s", Secret.of("https://hooks.slack.test/x", "test"), null);
        List<Alert> held = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> Alerts.open("fn-" + i))
                .toList();

        JsonNode body = json(slack.request(Notice.digest(held, "storm"), NOW));

        assertThat(body.get("text").asText()).contains("25 more alert(s) on route storm");
        String list = body.get("blocks").get(1).get("text").get("text").asText();
        assertThat(list.lines().filter(l -> l.startsWith("• "))).hasSize(20);
        assertThat(list).endsWith("…and 5 more");
    }

    @Test
    void pagerDutyTriggersOnOpenAndUpdateAndResolvesWithTheAlertIdAsDedupKey() throws Exception {
        PagerDutySink pd = new PagerDutySink(
                "p", URI.create("http://127.0.0.1:1/v2/enqueue"), Secret.of("R0UTINGKEY", "test"), null);

        JsonNode open = json(pd.request(Notice.of(Alerts.open("f"), false, "r"), NOW));
        JsonNode update = json(pd.request(Notice.of(Alerts.update("f"), true, "r"), NOW));
        JsonNode resolve = json(pd.request(Notice.of(Alerts.resolved("f"), false, "r"), NOW));

        assertThat(open.get("event_action").asText()).isEqualTo("trigger");
        assertThat(update.get("event_action").asText()).isEqualTo("trigger");
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(List.of(open, update, resolve)).allSatisfy(e -> {
            assertThat(e.get("dedup_key").asText()).isEqualTo(Alerts.open("f").id());
            assertThat(e.get("routing_key").asText()).isEqualTo("R0UTINGKEY");
        });
        assertThat(open.get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(update.get("payload").get("severity").asText()).isEqualTo("error");
        assertThat(open.get("payload").get("source").asText()).isEqualTo("default/aws/123456789012/us-east-1/f");
        assertThat(open.get("payload").get("timestamp").asText())
                .isEqualTo(T0.plusSeconds(29).toString());
        assertThat(open.get("payload")
                        .get("custom_details")
                        .get("evidence")
                        .get("bucketCount")
                        .asInt())
                .isEqualTo(80);
        assertThat(resolve.has("payload")).isFalse();
        assertThatThrownBy(() -> pd.request(Notice.digest(List.of(Alerts.open("f")), "r"), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagerDutySummaryIsCutAtTheApiLimit() throws Exception {
        PagerDutySink pd = new PagerDutySink("p", null, Secret.of("k", "test"), null);
        SinkRequest r = pd.request(Notice.of(Alerts.open("x".repeat(3000)), false, "r"), NOW);

        assertThat(r.uri()).isEqualTo(PagerDutySink.DEFAULT_URL);
        assertThat(json(r).get("payload").get("summary").asText()).hasSize(PagerDutySink.SUMMARY_MAX);
    }

    @Test
    void alertmanagerKeepsOneLabelSetPerIncidentAndEndsItOnResolve() throws Exception {
        AlertmanagerSink am = new AlertmanagerSink(
                "a", URI.create("http://127.0.0.1:9093/"), Map.of("team", "payments"), Duration.ofMinutes(1), null);

        JsonNode open =
                json(am.request(Notice.of(Alerts.open("f"), false, "r"), NOW)).get(0);
        JsonNode update =
                json(am.request(Notice.of(Alerts.update("f"), true, "r"), NOW)).get(0);
        JsonNode resolved = json(am.request(Notice.of(Alerts.resolved("f"), false, "r"), NOW))
                .get(0);

        assertThat(am.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9093/api/v2/alerts"));
        assertThat(open.get("labels")).isEqualTo(update.get("labels")).isEqualTo(resolved.get("labels"));
        assertThat(open.get("labels").get("alertname").asText()).isEqualTo("TRAFFIC_SPIKE");
        assertThat(open.get("labels").get("team").asText()).isEqualTo("payments");
        assertThat(open.get("labels").get("fnwatch_id").asText())
                .isEqualTo(Alerts.open("f").id());
        assertThat(update.get("annotations").get("severity").asText()).isEqualTo("HIGH");
        assertThat(open.get("startsAt").asText()).isEqualTo(T0.toString());
        assertThat(open.get("endsAt").asText()).isEqualTo(NOW.plusSeconds(240).toString());
        // resolved in the past (event time) ends then; never after the attempt's own time
        assertThat(resolved.get("endsAt").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void alertmanagerResendsWhatIsOpenEveryPeriodAndNeverAResolvedIncident() throws Exception {
        AlertmanagerSink am =
                new AlertmanagerSink("a", URI.create("http://127.0.0.1:9093"), Map.of(), Duration.ofMinutes(1), null);
        am.delivered(Notice.of(Alerts.open("f"), false, "r"), NOW);
        am.delivered(Notice.of(Alerts.open("g"), false, "r"), NOW);

        assertThat(am.due(NOW.plusSeconds(59))).isEmpty();
        List<Notice> due = am.due(NOW.plusSeconds(60));
        assertThat(due).hasSize(1);
        assertThat(am.due(NOW.plusSeconds(61))).isEmpty();

        // g resolves before the queued re-send goes out: the re-send carries f only
        am.delivered(Notice.of(Alerts.resolved("g"), false, "r"), NOW.plusSeconds(62));
        JsonNode resend = json(am.request(due.get(0), NOW.plusSeconds(63)));
        assertThat(resend).hasSize(1);
        assertThat(resend.get(0).get("labels").get("function").asText()).isEqualTo("f");
        assertThat(am.openCount()).isEqualTo(1);
    }

    @Test
    void webhookSignaturesVerifyIndependentlyUnderEitherSecretOfARotation() throws Exception {
        String current = newSecret(1);
        String previous = newSecret(2);
        try (Receiver receiver = new Receiver()) {
            WebhookSink hook = new WebhookSink(
                    "w", receiver.uri("/hook"), List.of(Secret.of(current, "t"), Secret.of(previous, "t")));
            HttpTransport http = new HttpTransport(Duration.ofSeconds(2), Duration.ofSeconds(2));
            Notice n = Notice.of(Alerts.open("f"), false, "r");

            assertThat(http.send(hook.request(n, NOW)).outcome()).isEqualTo(HttpTransport.Outcome.DELIVERED);
            Receiver.Request got = receiver.requests().get(0);

            long now = NOW.getEpochSecond();
            assertThat(WebhookVerifier.verify(current, got.headers(), got.body(), now))
                    .isTrue();
            assertThat(WebhookVerifier.verify(previous, got.headers(), got.body(), now))
                    .isTrue();
            assertThat(WebhookVerifier.verify(newSecret(3), got.headers(), got.body(), now))
                    .isFalse();
            assertThat(WebhookVerifier.verify(current, got.headers(), got.body().replace("80", "81"), now))
                    .isFalse();
            // a replay ten minutes later is refused on its timestamp
            assertThat(WebhookVerifier.verify(current, got.headers(), got.body(), now + 600))
                    .isFalse();
            JsonNode body = Json.MAPPER.readTree(got.body());
            assertThat(body.get("type").asText()).isEqualTo("fnwatch.alert.opened");
            assertThat(body.get("data").get("id").asText())
                    .isEqualTo(Alerts.open("f").id());
            assertThat(got.headers().get("webhook-id")).isEqualTo(n.key()).startsWith("msg_");
        }
    }

    @Test
    void webhookIdIsStableAcrossAttemptsAndDiffersPerStateChange() {
        WebhookSink hook =
                new WebhookSink("w", URI.create("http://127.0.0.1:1/h"), List.of(Secret.of(newSecret(1), "t")));
        Notice open = Notice.of(Alerts.open("f"), false, "r");

        SinkRequest first = hook.request(open, NOW);
        SinkRequest retry = hook.request(Notice.of(Alerts.open("f"), true, "other"), NOW.plusSeconds(90));

        assertThat(retry.headers().get("webhook-id")).isEqualTo(first.headers().get("webhook-id"));
        assertThat(retry.headers().get("webhook-timestamp"))
                .isNotEqualTo(first.headers().get("webhook-timestamp"));
        assertThat(List.of(
                        open.key(),
                        Notice.of(Alerts.update("f"), true, "r").key(),
                        Notice.of(Alerts.resolved("f"), false, "r").key(),
                        Notice.of(Alerts.open("g"), false, "r").key()))
                .doesNotHaveDuplicates();
    }

    @Test
    void signingSecretsMustBeWhsecBase64OfTwentyFourToSixtyFourBytes() {
        assertThatThrownBy(() -> StandardWebhooks.key("abc")).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_!!!")).hasMessageContaining("base64");
        assertThatThrownBy(() ->
                        StandardWebhooks.key("whsec_" + Base64.getEncoder().encodeToString(new byte[8])))
                .hasMessageContaining("not 8");
        assertThat(StandardWebhooks.key(newSecret(1))).hasSize(32);
    }

    @Test
    void noSinkDescriptionOrRequestPrintsASecret() {
        String url = "https://hooks.slack.test/services/T/B/SECRETPART";
        String key = "ROUTINGSECRET";
        String whsec = newSecret(7);
        List<Sink> sinks = List.of(
                new SlackSink("s", Secret.of(url, "env SLACK_URL"), null),
                new PagerDutySink("p", null, Secret.of(key, "file /run/pd"), null),
                new WebhookSink("w", URI.create("https://h.test/x"), List.of(Secret.of(whsec, "env W"))));

        for (Sink s : sinks) {
            assertThat(s.describe()).contains(Secret.HIDDEN).doesNotContain("SECRETPART", key, whsec);
            assertThat(s.toString()).doesNotContain("SECRETPART", key, whsec);
            assertThat(s.request(Notice.of(Alerts.open("f"), false, "r"), NOW).toString())
                    .doesNotContain("SECRETPART", key, whsec);
        }
        assertThat(sinks.get(0).describe()).contains("env SLACK_URL");
        assertThat(new WebhookSink(
                                "w",
                                URI.create("https://user:pw@h.test/x?token=T0KEN"),
                                List.of(Secret.of(whsec, "env W")))
                        .describe())
                .contains("https://h.test/x (user info and query hidden)")
                .doesNotContain("T0KEN", "pw");
    }
}
