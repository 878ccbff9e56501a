package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fnwatch.model.Alert;
import io.fnwatch.model.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against real HTTP receivers on 127.0.0.1, with the clock moved by hand: no test waits for a
 * backoff to pass.
 */
class DeliveryEngineTest {

    private static final Instant START = Instant.parse("2026-03-03T14:00:05Z");
    private static final String SECRET = SinksTest.newSecret(21);

    private final FakeClock clock = new FakeClock(START);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<NotifyDeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<DeliveryEngine> engines = new ArrayList<>();
    private Receiver hooks;
    private Receiver alertmanager;

    @BeforeEach
    void receivers() throws Exception {
        hooks = new Receiver();
        alertmanager = new Receiver();
    }

    @AfterEach
    void close() {
        engines.forEach(DeliveryEngine::close);
        hooks.close();
        alertmanager.close();
    }

    private Routes routes(int rateLimit) {
        Map<String, Sink> sinks = Map.of(
                "hook",
                new WebhookSink("hook", hooks.uri("/hook"), List.of(Secret.of(SECRET, "t"))),
                "am",
                new AlertmanagerSink(
                        "am", URI.create(alertmanager.uri("").toString()), Map.of(), Duration.ofMinutes(1), null));
        return new Routes(
                sinks,
                List.of(new Route(
                        "all",
                        "*",
                        "*",
                        java.util.Set.of(),
                        io.fnwatch.model.Severity.LOW,
                        java.util.Set.of(Notice.Kind.OPEN, Notice.Kind.UPDATE, Notice.Kind.RESOLVED),
                        List.of("hook", "am"),
                        rateLimit)));
    }

    private DeliveryEngine engine(Routes routes, Duration requestTimeout, DeadLetters dl) {
        DeliveryEngine e = new DeliveryEngine(
                routes,
                new HttpTransport(Duration.ofSeconds(2), requestTimeout),
                clock,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new SplittableRandom(7)),
                Duration.ofHours(1),
                dl,
                new NotifyMeters(registry));
        engines.add(e);
        return e;
    }

    private DeliveryEngine engine() {
        return engine(routes(0), Duration.ofSeconds(2), deadLetters::add);
    }

    private static List<Alert> incident(String function) {
        return List.of(Alerts.open(function), Alerts.update(function), Alerts.resolved(function));
    }

    private double count(String meter, String sink) {
        var c = registry.find(meter).tag("sink", sink).counter();
        return c == null ? 0 : c.count();
    }

    private List<String> hookTypesFor(String function) {
        return hooks.requests().stream()
                .map(r -> Json.read(r.body().getBytes(), JsonNode.class))
                .filter(b -> b.get("data").get("function").asText().equals(function))
                .map(b -> b.get("type").asText())
                .toList();
    }

    @Test
    void everyStateChangeReachesEverySinkOnceAndTheRecordIsDoneAfterBoth() throws Exception {
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        List<Ticket> tickets = new ArrayList<>();
        long offset = 0;
        for (Alert a : incident("f")) {
            tickets.add(engine.submit(a, p, offset++));
        }
        assertThat(p.committable()).isZero();

        assertThat(engine.step()).containsEntry("hook", null).containsEntry("am", null);

        assertThat(tickets).allMatch(Ticket::done);
        assertThat(p.committable()).isEqualTo(3);
        assertThat(hookTypesFor("f"))
                .containsExactly("fnwatch.alert.opened", "fnwatch.alert.updated", "fnwatch.alert.resolved");
        assertThat(hooks.requests().stream().map(r -> r.headers().get("webhook-id")))
                .doesNotHaveDuplicates();
        assertThat(hooks.requests())
                .allMatch(r -> WebhookVerifier.verify(SECRET, r.headers(), r.body(), START.getEpochSecond()));
        assertThat(alertmanager.requests()).hasSize(3).allMatch(r -> r.path().equals("/api/v2/alerts"));
        assertThat(count("fnwatch.notify.deliveries", "hook")).isEqualTo(3);
        assertThat(registry.find("fnwatch.notify.latency")
                        .tag("sink", "am")
                        .timer()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aFailingSinkRetriesWithGrowingJitteredBackoffWhileTheOtherDeliversAtOnce() throws Exception {
        hooks.then(Receiver.Answer.status(500), Receiver.Answer.status(502), Receiver.Answer.status(500));
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);

        List<Duration> waits = new ArrayList<>();
        Map<String, Duration> w = engine.step();
        assertThat(w.get("am")).isNull(); // delivered, idle
        assertThat(alertmanager.requests()).hasSize(1);
        while (w.get("hook") != null) {
            waits.add(w.get("hook"));
            clock.advance(w.get("hook"));
            w = engine.step();
        }

        assertThat(waits).hasSize(3);
        // attempt n waits between half and all of 1 s · 2^(n-1)
        for (int i = 0; i < 3; i++) {
            long ceiling = 1000L << i;
            assertThat(waits.get(i).toMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(hooks.requests()).hasSize(4);
        assertThat(hooks.requests().stream()
                        .map(r -> r.headers().get("webhook-id"))
                        .distinct())
                .hasSize(1);
        assertThat(count("fnwatch.notify.retries", "hook")).isEqualTo(3);
        assertThat(p.committable()).isEqualTo(1);
    }

    @Test
    void retryAfterOn429And503IsHonouredExactly() throws Exception {
        hooks.then(Receiver.Answer.retryAfter(429, "30"), Receiver.Answer.retryAfter(503, "120"));
        DeliveryEngine engine = engine();
        engine.submit(Alerts.open("f"), new PartitionProgress(), 0);

        assertThat(engine.step().get("hook")).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(engine.step().get("hook")).isEqualTo(Duration.ofSeconds(1));
        assertThat(hooks.requests()).hasSize(1); // not before the receiver asked
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.step().get("hook")).isEqualTo(Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(120));
        assertThat(engine.step().get("hook")).isNull();
        assertThat(hooks.requests()).hasSize(3);
    }

    @Test
    void aSinkDownForTenMinutesGetsEverythingAfterwardsInOrderPerFunction() throws Exception {
        hooks.always(Receiver.Answer.status(503));
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        List<Alert> f = incident("f");
        List<Alert> g = incident("g");
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            engine.submit(f.get(i), p, offset++);
            engine.submit(g.get(i), p, offset++);
        }
        assertThat(engine.step().get("hook")).isNotNull();
        Instant back = START.plus(Duration.ofMinutes(10));
        while (clock.instant().isBefore(back)) {
            Duration wait = engine.step().get("hook");
            clock.advance(wait);
        }
        assertThat(p.committable()).isZero(); // nothing committed while the webhook is down
        hooks.always(Receiver.Answer.ok());

        Duration wait = engine.step().get("hook");
        clock.advance(wait == null ? Duration.ZERO : wait);
        assertThat(engine.step().get("hook")).isNull();

        assertThat(hookTypesFor("f"))
                .containsSubsequence("fnwatch.alert.opened", "fnwatch.alert.updated", "fnwatch.alert.resolved")
                .endsWith("fnwatch.alert.resolved");
        List<Receiver.Request> accepted = hooks.requests()
                .subList(hooks.requests().size() - 6, hooks.requests().size());
        assertThat(accepted.stream()
                        .map(r -> Json.read(r.body().getBytes(), JsonNode.class)
                                        .get("data")
                                        .get("function")
                                        .asText() + ":"
                                + Json.read(r.body().getBytes(), JsonNode.class)
                                        .get("type")
                                        .asText()))
                .containsExactly(
                        "f:fnwatch.alert.opened",
                        "g:fnwatch.alert.opened",
                        "f:fnwatch.alert.updated",
                        "g:fnwatch.alert.updated",
                        "f:fnwatch.alert.resolved",
                        "g:fnwatch.alert.resolved");
        assertThat(alertmanager.requests()).hasSize(6); // delivered at once, not held by the webhook's outage
        assertThat(p.committable()).isEqualTo(6);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aNoticeStillFailingAfterGiveUpAfterIsDeadLetteredWithTheSinkAndLastError() throws Exception {
        hooks.always(Receiver.Answer.status(500));
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);
        engine.submit(Alerts.open("g"), p, 1);

        Duration wait;
        while ((wait = engine.step().get("hook")) != null) {
            if (deadLetters.isEmpty()) {
                assertThat(p.committable()).isZero();
            }
            clock.advance(wait);
        }

        assertThat(deadLetters).hasSize(2);
        NotifyDeadLetter dl = deadLetters.get(0);
        assertThat(dl.sink()).isEqualTo("hook");
        assertThat(dl.sinkType()).isEqualTo("webhook");
        assertThat(dl.lastError()).isEqualTo("HTTP 500: error 500");
        assertThat(Duration.between(dl.firstAttemptAt(), dl.gaveUpAt())).isGreaterThanOrEqualTo(Duration.ofHours(1));
        assertThat(dl.alerts()).extracting(Alert::function).containsExactly("f");
        assertThat(dl.key()).isEqualTo(Notice.of(Alerts.open("f"), false, "all").key());
        assertThat(count("fnwatch.notify.give.ups", "hook")).isEqualTo(2);
        assertThat(p.committable()).isEqualTo(2);
    }

    @Test
    void aRejectedNoticeIsDeadLetteredAtOnceAndTheNextOneGoesOut() throws Exception {
        hooks.then(Receiver.Answer.status(400));
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);
        engine.submit(Alerts.open("g"), p, 1);

        assertThat(engine.step().get("hook")).isNull();

        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.lastError()).isEqualTo("HTTP 400: error 400");
            assertThat(d.attempts()).isEqualTo(1);
        });
        assertThat(hooks.requests()).hasSize(2);
        assertThat(p.committable()).isEqualTo(2);
    }

    @Test
    void aDeadLetterThatCannotBeWrittenKeepsTheRecordPending() throws Exception {
        hooks.always(Receiver.Answer.status(404));
        List<NotifyDeadLetter> stored = new ArrayList<>();
        boolean[] down = {true};
        DeliveryEngine engine = engine(routes(0), Duration.ofSeconds(2), d -> {
            if (down[0]) {
                throw new IllegalStateException("broker unavailable");
            }
            stored.add(d);
        });
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);

        Duration wait = engine.step().get("hook");
        assertThat(wait).isNotNull();
        assertThat(p.committable()).isZero();
        down[0] = false;
        clock.advance(wait);
        assertThat(engine.step().get("hook")).isNull();

        assertThat(stored).hasSize(1);
        assertThat(p.committable()).isEqualTo(1);
    }

    @Test
    void aRouteOverItsRateLimitSendsTheRestAsOneDigestWhenTheMinuteIsOver() throws Exception {
        DeliveryEngine engine = engine(routes(2), Duration.ofSeconds(2), deadLetters::add);
        PartitionProgress p = new PartitionProgress();
        for (int i = 0; i < 5; i++) {
            engine.submit(Alerts.open("fn-" + i), p, i);
        }
        engine.tick();
        engine.step();
        assertThat(hooks.requests()).hasSize(2);
        assertThat(p.committable()).isEqualTo(2); // the held ones wait for their digest
        assertThat(engine.queued()).isEqualTo(6); // 3 alerts held for each of 2 sinks

        clock.advance(Duration.ofSeconds(55)); // 14:01:00, the next minute
        engine.tick();
        engine.step();

        assertThat(hooks.requests()).hasSize(3);
        JsonNode digest = Json.read(hooks.requests().get(2).body().getBytes(), JsonNode.class);
        assertThat(digest.get("type").asText()).isEqualTo("fnwatch.alert.digest");
        assertThat(digest.get("data").get("alerts")).hasSize(3);
        assertThat(alertmanager.requests()).hasSize(3);
        assertThat(Json.read(alertmanager.requests().get(2).body().getBytes(), JsonNode.class))
                .hasSize(3);
        assertThat(p.committable()).isEqualTo(5);
        assertThat(engine.queued()).isZero();
    }

    @Test
    void alertmanagerIsSentOpenIncidentsAgainEveryMinuteUntilTheyResolve() throws Exception {
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);
        engine.step();
        assertThat(alertmanager.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(60));
        engine.step();
        assertThat(alertmanager.requests()).hasSize(2);
        JsonNode resend = Json.read(alertmanager.requests().get(1).body().getBytes(), JsonNode.class);
        assertThat(resend.get(0).get("labels").get("function").asText()).isEqualTo("f");
        assertThat(resend.get(0).get("endsAt").asText())
                .isEqualTo(clock.instant().plusSeconds(240).toString());

        engine.submit(Alerts.resolved("f"), p, 1);
        engine.step();
        clock.advance(Duration.ofSeconds(120));
        engine.step();
        assertThat(alertmanager.requests()).hasSize(3); // the resolve; nothing open to re-send
    }

    @Test
    void anEngineThatReadsDeliveredAlertsBackReSendsWhatIsOpenAndCallsTheNextChangeAnUpdate() throws Exception {
        DeliveryEngine engine = engine();
        // what a previous instance delivered from partition 2: f still open, g resolved
        engine.restore(Alerts.open("f"), 2);
        engine.restore(Alerts.open("g"), 2);
        engine.restore(Alerts.resolved("g"), 2);
        engine.step();
        assertThat(alertmanager.requests()).isEmpty();
        assertThat(hooks.requests()).isEmpty(); // nothing is sent for what was delivered before

        clock.advance(Duration.ofSeconds(60));
        engine.step();
        assertThat(alertmanager.requests()).hasSize(1);
        JsonNode resend = Json.read(alertmanager.requests().get(0).body().getBytes(), JsonNode.class);
        assertThat(resend).hasSize(1);
        assertThat(resend.get(0).get("labels").get("function").asText()).isEqualTo("f");

        engine.submit(Alerts.update("f"), new PartitionProgress(2), 3);
        engine.step();
        assertThat(hookTypesFor("f")).containsExactly("fnwatch.alert.updated");
    }

    @Test
    void aPartitionThatMovesAwayIsForgottenSoItsIncidentsAreNotReSentHere() throws Exception {
        DeliveryEngine engine = engine();
        engine.submit(Alerts.open("f"), new PartitionProgress(1), 0);
        engine.submit(Alerts.open("g"), new PartitionProgress(2), 0);
        engine.step();
        assertThat(alertmanager.requests()).hasSize(2);

        assertThat(engine.forget(java.util.Set.of(1))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(60));
        engine.step();

        assertThat(alertmanager.requests()).hasSize(3);
        JsonNode resend = Json.read(alertmanager.requests().get(2).body().getBytes(), JsonNode.class);
        assertThat(resend).hasSize(1);
        assertThat(resend.get(0).get("labels").get("function").asText()).isEqualTo("g");
        engine.submit(Alerts.open("f"), new PartitionProgress(1), 1); // back here later: an OPEN again
        engine.step();
        assertThat(hookTypesFor("f")).containsExactly("fnwatch.alert.opened", "fnwatch.alert.opened");
    }

    @Test
    void deliveriesOfARevokedPartitionAreDroppedForItsNewOwner() throws Exception {
        hooks.always(Receiver.Answer.status(500));
        DeliveryEngine engine = engine();
        PartitionProgress p = new PartitionProgress();
        engine.submit(Alerts.open("f"), p, 0);
        engine.step();
        int before = hooks.requests().size();

        p.revoke();
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.step().get("hook")).isNull();

        assertThat(hooks.requests()).hasSize(before);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aHangingSinkDoesNotDelayTheOthers() throws Exception {
        hooks.always(Receiver.Answer.hanging());
        DeliveryEngine engine = engine(routes(0), Duration.ofSeconds(20), deadLetters::add);
        engine.start();
        PartitionProgress p = new PartitionProgress();
        for (int i = 0; i < 20; i++) {
            engine.submit(Alerts.open("fn-" + i), p, i);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alertmanager.requests().size() < 20 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        // all 20 reached Alertmanager while the webhook's first request still hangs (20 s timeout)
        assertThat(alertmanager.requests()).hasSize(20);
        assertThat(hooks.requests()).hasSize(1);
    }
}
