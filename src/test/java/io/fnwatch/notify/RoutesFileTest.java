package io.fnwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesFileTest {

    @TempDir
    Path dir;

    private static final String SLACK_URL = "https://hooks.slack.test/services/T0/B0/SLACKSECRET";
    private static final String WHSEC = SinksTest.newSecret(11);
    private static final String WHSEC_OLD = SinksTest.newSecret(12);

    private Map<String, String> env() {
        return Map.of("SLACK_URL", SLACK_URL, "HOOK_SECRET", WHSEC, "HOOK_SECRET_OLD", WHSEC_OLD);
    }

    private Routes load(String yaml) throws Exception {
        Path f = dir.resolve("routes.yaml");
        Files.writeString(f, yaml);
        return RoutesFile.load(f, env());
    }

    private List<String> problems(String yaml) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(ConfigErrors.class, () -> load(yaml))
                .problems();
    }

    private String full() throws Exception {
        Path pdKey = dir.resolve("pd-key");
        Files.writeString(pdKey, "PDROUTINGSECRET\n");
        return """
                consoleUrl: https://console.test/functions/{key}
                sinks:
                  team-slack:
                    type: slack
                    url: {env: SLACK_URL}
                  oncall:
                    type: pagerduty
                    routingKey: {file: %s}
                  am:
                    type: alertmanager
                    url: http://127.0.0.1:9093
                    labels: {team: payments}
                    resendEvery: 2m
                  audit:
                    type: webhook
                    url: https://hooks.test/fnwatch
                    secrets: [{env: HOOK_SECRET}, {env: HOOK_SECRET_OLD}]
                routes:
                  - name: payments-pager
                    match: {tenant: acme, function: "payments-*", type: [ERROR_BURST, TRAFFIC_SPIKE], minSeverity: HIGH}
                    sinks: [oncall, team-slack]
                  - name: everything
                    sinks: [team-slack, am, audit]
                    rateLimit: 10
                  - name: resolves-only
                    match: {state: RESOLVED}
                    sinks: audit
                """.formatted(pdKey);
    }

    @Test
    void loadsEverySinkTypeWithSecretsFromTheEnvironmentAndFiles() throws Exception {
        Routes routes = load(full());

        assertThat(routes.sinks().keySet()).containsExactlyInAnyOrder("team-slack", "oncall", "am", "audit");
        assertThat(routes.sinks().get("oncall")).isInstanceOf(PagerDutySink.class);
        assertThat(routes.route("everything").rateLimit()).isEqualTo(10);
        assertThat(routes.route("resolves-only").states()).containsExactly(Notice.Kind.RESOLVED);
        String described = routes.describe();
        assertThat(described)
                .contains("env SLACK_URL", "file " + dir.resolve("pd-key"), "rateLimit=10/min")
                .doesNotContain("SLACKSECRET", "PDROUTINGSECRET", WHSEC, WHSEC_OLD);
        // the routing key read from the file, trailing newline removed
        String body = routes.sinks()
                .get("oncall")
                .request(Notice.of(Alerts.open("f"), false, "r"), Alerts.T0)
                .bodyText();
        assertThat(body).contains("\"routing_key\":\"PDROUTINGSECRET\"");
    }

    @Test
    void anAlertGoesToEachSinkOfEachMatchingRouteOnceInRouteOrder() throws Exception {
        Routes routes = load(full());
        var paging =
                Alerts.alert("acme", "payments-api", AlertType.ERROR_BURST, AlertState.OPEN, Severity.HIGH, Alerts.T0);
        var low = Alerts.alert(
                "acme", "payments-api", AlertType.ERROR_BURST, AlertState.OPEN, Severity.MEDIUM, Alerts.T0);
        var resolved = Alerts.alert(
                "acme", "payments-api", AlertType.ERROR_BURST, AlertState.RESOLVED, Severity.HIGH, Alerts.T0);

        assertThat(routes.targets(paging, false))
                .extracting(t -> t.route().name() + ">" + t.sink().name())
                .containsExactly(
                        "payments-pager>oncall", "payments-pager>team-slack", "everything>am", "everything>audit");
        assertThat(routes.targets(low, false))
                .extracting(t -> t.route().name() + ">" + t.sink().name())
                .containsExactly("everything>team-slack", "everything>am", "everything>audit");
        assertThat(routes.targets(resolved, false)).hasSize(4);
        var other = Alerts.alert(
                "other", "payments-api", AlertType.ERROR_BURST, AlertState.OPEN, Severity.CRITICAL, Alerts.T0);
        assertThat(routes.targets(other, false))
                .extracting(t -> t.route().name())
                .containsOnly("everything");
    }

    @Test
    void matchesStatesTypesSeverityAndGlobs() {
        Route r = new Route(
                "r",
                "a?me",
                "pay*",
                java.util.Set.of(AlertType.TRAFFIC_SPIKE),
                Severity.MEDIUM,
                java.util.Set.of(Notice.Kind.UPDATE),
                List.of("s"),
                0);
        var spike =
                Alerts.alert("acme", "payments", AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.MEDIUM, Alerts.T0);

        assertThat(r.matches(spike, true)).isTrue();
        assertThat(r.matches(spike, false)).isFalse(); // an OPEN, not an UPDATE
        assertThat(r.matches(
                        Alerts.alert(
                                "acme", "orders", AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.HIGH, Alerts.T0),
                        true))
                .isFalse();
        assertThat(r.matches(
                        Alerts.alert(
                                "acme", "payments", AlertType.ERROR_BURST, AlertState.OPEN, Severity.HIGH, Alerts.T0),
                        true))
                .isFalse();
        assertThat(r.matches(
                        Alerts.alert(
                                "acme", "payments", AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.LOW, Alerts.T0),
                        true))
                .isFalse();
        assertThat(r.matches(
                        Alerts.alert(
                                "a.me", "payments", AlertType.TRAFFIC_SPIKE, AlertState.OPEN, Severity.HIGH, Alerts.T0),
                        true))
                .isTrue(); // ? is any one character
        assertThat(r.matches(
                        Alerts.alert(
                                "acmme",
                                "payments",
                                AlertType.TRAFFIC_SPIKE,
                                AlertState.OPEN,
                                Severity.HIGH,
                                Alerts.T0),
                        true))
                .isFalse();
    }

    @Test
    void listsEveryProblemAtOnceWithoutEchoingASecret() {
        List<String> problems = problems("""
                colour: blue
                consoleUrl: ftp://x
                sinks:
                  s:
                    type: slack
                    url: {env: MISSING_VAR}
                    channel: "#x"
                  s2:
                    type: slack
                    url: "https://hooks.slack.test/literal"
                  s3:
                    type: slack
                    url: {env: HOOK_SECRET}
                  pd:
                    type: pagerduty
                    routingKey: {file: /nonexistent/pd}
                  am:
                    type: alertmanager
                    labels: {team: a, alertname: x, "bad-label": y}
                    resendEvery: 2s
                  hook:
                    type: webhook
                    url: https://h.test/x
                    secrets: [{env: SLACK_URL}, {env: HOOK_SECRET}, {env: HOOK_SECRET_OLD}]
                  hook2:
                    type: webhook
                    url: https://h.test/x
                    secrets: [{env: SLACK_URL}]
                  q:
                    type: teams
                routes:
                  - name: a
                    match: {type: TRAFFIC_SPIKES, minSeverity: URGENT, state: [OPEN, CLOSED], team: x}
                    sinks: [s, nosuch]
                    rateLimit: 0
                    extra: 1
                  - name: a
                    sinks: [pd]
                    rateLimit: 5
                  - sinks: []
                """);

        assertThat(String.join("\n", problems))
                .contains(
                        "unknown key 'colour'",
                        "consoleUrl: must be an absolute http or https URL",
                        "sinks.s: unknown key 'channel'",
                        "environment variable MISSING_VAR is not set",
                        "sinks.s2 url: must be {env: VARIABLE} or {file: PATH}",
                        "sinks.s3 url (from [hidden] (env HOOK_SECRET)): must be an absolute http or https URL",
                        "sinks.pd routingKey: cannot read file /nonexistent/pd",
                        "sinks.am: missing 'url'",
                        "'alertname' is set by fnwatch",
                        "'bad-label' is not a Prometheus label name",
                        "sinks.am resendEvery: must be from PT10S to PT1H",
                        "sinks.hook secrets: must list one or two",
                        "sinks.hook2 secrets[0] ([hidden] (env SLACK_URL)): a signing secret is whsec_",
                        "sinks.q: type must be one of [alertmanager, pagerduty, slack, webhook], not 'teams'",
                        "match: unknown key 'team'",
                        "unknown alert type 'TRAFFIC_SPIKES'",
                        "match.minSeverity: must be one of [LOW, MEDIUM, HIGH, CRITICAL], not 'URGENT'",
                        "match.state: must be OPEN, UPDATE or RESOLVED, not 'CLOSED'",
                        "no sink named 'nosuch'",
                        "rateLimit: messages a minute, a whole number from 1 to 10000, not '0'",
                        "routes[0]: unknown key 'extra'",
                        "rateLimit: not for a route to PagerDuty sink 'pd'",
                        "routes[2] name: required");
        assertThat(String.join("\n", problems)).doesNotContain("SLACKSECRET", WHSEC, "hooks.slack.test/services");
    }

    @Test
    void aDuplicateRouteNameIsAProblem() {
        assertThat(problems("""
                        sinks: {s: {type: slack, url: {env: SLACK_URL}}}
                        routes:
                          - {name: a, sinks: s}
                          - {name: a, sinks: s}
                        """)).containsExactly(dir.resolve("routes.yaml") + " routes: route name 'a' is used twice");
    }

    @Test
    void aMissingOrBrokenFileIsNamed() throws Exception {
        assertThatThrownBy(() -> RoutesFile.load(dir.resolve("nope.yaml"), Map.of()))
                .isInstanceOf(ConfigErrors.class)
                .hasMessageContaining("nope.yaml: file not found");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "sinks: [unclosed");
        assertThatThrownBy(() -> RoutesFile.load(bad, Map.of())).hasMessageContaining("bad.yaml: not valid YAML");
        assertThat(problems("- just\n- a list\n")).singleElement().asString().contains("must be a mapping");
    }
}
