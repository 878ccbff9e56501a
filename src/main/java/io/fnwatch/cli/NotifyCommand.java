package io.fnwatch.cli;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.NotifySettings;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.http.HealthEndpoints;
import io.fnwatch.http.OpsServer;
import io.fnwatch.notify.HttpTransport;
import io.fnwatch.notify.Notifier;
import io.fnwatch.notify.RouteCheck;
import io.fnwatch.notify.Routes;
import io.fnwatch.notify.RoutesFile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "notify",
        mixinStandardHelpOptions = true,
        description = "Deliver the alerts topic to Slack, PagerDuty, Alertmanager and webhooks, apart from `run`: "
                + "consumer group notify.group.id, read_committed; instances share the partitions.",
        subcommands = NotifyCommand.TestRoute.class)
final class NotifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--routes", paramLabel = "FILE", description = "The routes file (sets notify.routes.file).")
    Path routesFile;

    @Override
    public Integer call() throws Exception {
        FnwatchConfig c = common.loadClient();
        Routes routes = routes(c, routesFile);
        // no /functions here: only /metrics, on ops.internal.host:ops.internal.port
        c = c.with(OpsSettings.HTTP_PORT, OpsSettings.OFF);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OpsServer ops = OpsServer.bind(c);
        ops.start(Map.of(), Map.of("/metrics", HealthEndpoints.metrics(registry)));
        Notifier notifier;
        try {
            notifier = Notifier.start(c, routes, registry);
        } catch (RuntimeException e) {
            ops.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println("fnwatch notify: stopping...");
                            notifier.close();
                            ops.close();
                            stopped.countDown();
                        },
                        "fnwatch-notify-shutdown"));
        System.err.println("fnwatch notify: delivering " + c.string(FnwatchConfig.TOPIC_ALERTS) + " (group "
                + c.string(NotifySettings.GROUP_ID) + ") to " + routes.sinks().size() + " sink(s) over "
                + routes.routes().size() + " route(s); /metrics on " + c.string(OpsSettings.INTERNAL_HOST) + ":"
                + ops.internalPort() + "; Ctrl-C to stop.");
        while (!stopped.await(0, TimeUnit.SECONDS)) {
            if (notifier.awaitFailure(Duration.ofSeconds(1))) {
                System.err.println("fnwatch notify: delivery failed; exiting (status 1) to be restarted");
                notifier.close();
                ops.close();
                return 1;
            }
        }
        return 0;
    }

    /** The routes of {@code --routes} or notify.routes.file; a config error (exit 2) when neither is set. */
    static Routes routes(FnwatchConfig c, Path routesFile) {
        FnwatchConfig withFile = routesFile == null ? c : c.with(NotifySettings.ROUTES_FILE, routesFile.toString());
        Routes routes = RoutesFile.of(withFile);
        if (routes == null) {
            throw new ConfigErrors(
                    List.of(NotifySettings.ROUTES_FILE + ": empty; delivery needs a routes file " + "(--routes FILE)"));
        }
        return routes;
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Send a test incident (OPEN, then RESOLVED) through ROUTE once to each of its sinks and "
                    + "print each receiver's answer; exit 1 unless all accepted. Needs no Kafka.")
    static final class TestRoute implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--routes", paramLabel = "FILE", description = "The routes file (sets notify.routes.file).")
        Path routesFile;

        @Option(
                names = "--tenant",
                paramLabel = "TENANT",
                description = "Tenant of the test alert (default " + "tenant.default).")
        String tenant;

        @Parameters(paramLabel = "ROUTE", description = "Name of the route in the routes file.")
        String route;

        @Override
        public Integer call() throws Exception {
            FnwatchConfig c = common.load(Map.of());
            Routes routes = routes(c, routesFile);
            if (routes.route(route) == null) {
                throw new ConfigErrors(List.of("no route named '" + route + "' (routes: "
                        + routes.routes().stream().map(r -> r.name()).toList() + ")"));
            }
            HttpTransport http = new HttpTransport(
                    Duration.ofMillis(c.longValue(NotifySettings.CONNECT_TIMEOUT_MS)),
                    Duration.ofMillis(c.longValue(NotifySettings.REQUEST_TIMEOUT_MS)));
            boolean ok =
                    RouteCheck.run(routes, route, CommonOptions.tenant(tenant, c), http, Clock.systemUTC(), System.out);
            return ok ? 0 : 1;
        }
    }
}
