package io.fnwatch.notify;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code fnwatch notify test ROUTE}: sends a synthetic incident through one route, an OPEN and then its
 * RESOLVED (so that nothing stays open in PagerDuty or Alertmanager), once to each of its sinks, no retry,
 * and prints each receiver's answer. Every sink's request is its real one: a wrong URL, key or secret shows.
 */
public final class RouteCheck {

    public static final String TEST_FUNCTION = "fnwatch-notify-test";

    private RouteCheck() {}

    /** The synthetic alert: a TRAFFIC_SPIKE of function {@value #TEST_FUNCTION}, MEDIUM, at {@code now}. */
    public static Alert alert(String tenant, AlertState state, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        FunctionKey key = new FunctionKey(tenant, "test", null, null, TEST_FUNCTION);
        return new Alert(
                Alert.incidentId(AlertType.TRAFFIC_SPIKE, key, at.toEpochMilli()),
                AlertType.TRAFFIC_SPIKE,
                state,
                tenant,
                "test",
                null,
                null,
                TEST_FUNCTION,
                at,
                at.plusSeconds(60),
                at,
                Severity.MEDIUM,
                65,
                35,
                3.6,
                20,
                state == AlertState.OPEN
                        ? "Test alert from `fnwatch notify test`: nothing is wrong."
                        : "Test alert from `fnwatch notify test` resolved.",
                Map.of("test", true));
    }

    /** Sends the test incident through {@code route}; true when every sink accepted both messages. */
    public static boolean run(
            Routes routes, String route, String tenant, HttpTransport transport, Clock clock, PrintStream out)
            throws InterruptedException {
        Route r = routes.route(route);
        if (r == null) {
            throw new IllegalArgumentException("no route named '" + route + "' (routes: "
                    + routes.routes().stream().map(Route::name).toList() + ")");
        }
        Instant now = clock.instant();
        List<Alert> incident = List.of(alert(tenant, AlertState.OPEN, now), alert(tenant, AlertState.RESOLVED, now));
        boolean ok = true;
        for (String name : r.sinks()) {
            Sink sink = routes.sinks().get(name);
            for (Alert a : incident) {
                Notice n = Notice.of(a, false, route);
                String answer;
                try {
                    HttpTransport.Response resp = transport.send(sink.request(n, clock.instant()));
                    boolean accepted = resp.outcome() == HttpTransport.Outcome.DELIVERED;
                    ok &= accepted;
                    if (accepted) {
                        sink.delivered(n, clock.instant());
                    }
                    answer = (accepted ? "accepted, " : "NOT accepted, ") + resp.describe();
                } catch (IOException e) {
                    ok = false;
                    answer = "NOT accepted, no answer: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage());
                }
                out.printf("%-10s %-20s %-12s %s%n", n.kind(), sink.name(), sink.type(), answer.replace('\n', ' '));
            }
        }
        return ok;
    }
}
