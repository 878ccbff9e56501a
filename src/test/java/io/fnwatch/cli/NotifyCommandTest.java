package io.fnwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyCommandTest {

    @TempDir
    Path dir;

    private static CommandOutcome execute(String... args) {
        return CommandOutcome.execute(args);
    }

    @Test
    void notifyTestSendsThroughTheRouteAndPrintsEachAnswerWithoutTheSecret() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T/B/SLACKSECRET";
            Files.writeString(dir.resolve("slack-url"), url + "\n");
            Path routes = dir.resolve("routes.yaml");
            Files.writeString(routes, """
                    sinks:
                      team: {type: slack, url: {file: %s}}
                    routes:
                      - {name: everything, sinks: team}
                    """.formatted(dir.resolve("slack-url")));

            CommandOutcome o = execute("notify", "test", "--routes", routes.toString(), "everything");

            assertThat(o.status()).isEqualTo(0);
            assertThat(o.out().lines())
                    .containsExactly(
                            "OPEN       team                 slack        accepted, HTTP 200: ok",
                            "RESOLVED   team                 slack        accepted, HTTP 200: ok");
            assertThat(o.out() + o.err()).doesNotContain("SLACKSECRET");
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0)).contains("fnwatch-notify-test", "\"type\":\"header\"");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadRoutesFileOrAnUnknownRouteExitsTwoWithEveryProblem() throws Exception {
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, """
                sinks:
                  team: {type: slack, url: "https://hooks.slack.test/literal", colour: red}
                routes:
                  - {name: everything, sinks: [team, nobody]}
                """);

        CommandOutcome bad = execute("notify", "test", "--routes", routes.toString(), "everything");

        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err())
                .contains("invalid configuration", "unknown key 'colour'", "must be {env: VARIABLE}", "nobody")
                .doesNotContain("hooks.slack.test/literal");

        CommandOutcome none = execute("notify", "test", "everything");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("notify.routes.file: empty");

        Files.writeString(dir.resolve("u"), "https://hooks.slack.test/x");
        Files.writeString(routes, """
                sinks: {team: {type: slack, url: {file: %s}}}
                routes: [{name: everything, sinks: team}]
                """.formatted(dir.resolve("u")));
        CommandOutcome unknown = execute("notify", "test", "--routes", routes.toString(), "nope");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("no route named 'nope' (routes: [everything])");
    }

    @Test
    void runRefusesABadRoutesFileBeforeStartingAnything() {
        CommandOutcome o = execute("run", "--set", "notify.routes.file=" + dir.resolve("missing.yaml"));

        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("missing.yaml: file not found");
    }
}
