package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:30:00Z");

    @Test
    void sendsAnOpenAndItsResolveToEachSinkOfTheRouteAndPrintsEachAnswer() throws Exception {
        try (Receiver ok = new Receiver();
                Receiver failing = new Receiver()) {
            failing.always(Receiver.Answer.status(403));
            Routes routes = new Routes(
                    Map.of(
                            "pd", new PagerDutySink("pd", ok.uri("/v2/enqueue"), Secret.of("KEY", "t"), null),
                            "slack",
                                    new SlackSink(
                                            "slack",
                                            Secret.of(failing.uri("/services/x").toString(), "t"),
                                            null),
                            "other",
                                    new SlackSink(
                                            "other", Secret.of(ok.uri("/other").toString(), "t"), null)),
                    List.of(new Route(
                            "r",
                            "*",
                            "*",
                            Set.of(),
                            io.fnwatch.model.Severity.LOW,
                            Set.of(Notice.Kind.OPEN),
                            List.of("pd", "slack"),
                            0)));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            boolean accepted = RouteCheck.run(
                    routes,
                    "r",
                    "default",
                    new HttpTransport(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                    new FakeClock(NOW),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));

            assertThat(accepted).isFalse();
            assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                    .containsExactly(
                            "OPEN       pd                   pagerduty    accepted, HTTP 200: ok",
                            "RESOLVED   pd                   pagerduty    accepted, HTTP 200: ok",
                            "OPEN       slack                slack        NOT accepted, HTTP 403: error 403",
                            "RESOLVED   slack                slack        NOT accepted, HTTP 403: error 403");
            assertThat(ok.requests()).extracting(Receiver.Request::path).containsOnly("/v2/enqueue");
            assertThat(ok.requests().get(0).body()).contains("\"event_action\":\"trigger\"", RouteCheck.TEST_FUNCTION);
            assertThat(ok.requests().get(1).body()).contains("\"event_action\":\"resolve\"");
            assertThatThrownBy(() -> RouteCheck.run(
                            routes,
                            "nope",
                            "default",
                            new HttpTransport(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                            new FakeClock(NOW),
                            new PrintStream(new ByteArrayOutputStream())))
                    .hasMessageContaining("no route named 'nope' (routes: [r])");
        }
    }

    @Test
    void aReceiverThatCannotBeReachedIsReported() throws Exception {
        Routes routes = new Routes(
                Map.of(
                        "am",
                        new AlertmanagerSink(
                                "am", URI.create("http://127.0.0.1:1"), Map.of(), Duration.ofMinutes(1), null)),
                List.of(new Route(
                        "r",
                        "*",
                        "*",
                        Set.of(),
                        io.fnwatch.model.Severity.LOW,
                        Set.of(Notice.Kind.OPEN),
                        List.of("am"),
                        0)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        assertThat(RouteCheck.run(
                        routes,
                        "r",
                        "default",
                        new HttpTransport(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                        new FakeClock(NOW),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("NOT accepted, no answer: ConnectException");
    }
}
