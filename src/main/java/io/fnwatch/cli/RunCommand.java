package io.fnwatch.cli;

import io.fnwatch.auth.KeysWatcher;
import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.ingest.http.HttpIngestSettings;
import io.fnwatch.service.FnwatchService;
import io.fnwatch.service.IngestSources;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the service until stopped (embedded broker unless --bootstrap-servers is given).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--http-port",
            paramLabel = "N",
            description = "Accept logs over HTTP on this port (sets ingest.http.port; needs ingest.http.keys.file).")
    Integer httpPort;

    @Option(
            names = "--http-host",
            paramLabel = "ADDRESS",
            description = "Address HTTP ingest binds to (sets ingest.http.host; default 127.0.0.1). Another "
                    + "host's reach needs TLS (ingest.http.tls.*) or --insecure-http.")
    String httpHost;

    @Option(
            names = "--insecure-http",
            description = "Allow plain HTTP ingest on a non-loopback address, e.g. "
                    + "behind a proxy that terminates TLS (sets ingest.http.insecure).")
    boolean insecureHttp;

    @Option(names = "--cloudwatch", description = "Pull CloudWatch Logs (sets cloudwatch.enabled).")
    boolean cloudWatch;

    @Option(
            names = "--pubsub",
            description = "Pull Google Cloud logs from Pub/Sub subscriptions (sets pubsub.enabled; needs "
                    + "pubsub.subscriptions or pubsub.sources.file).")
    boolean pubSub;

    @Option(
            names = "--eventhubs",
            description = "Pull Azure logs from Event Hubs' Kafka endpoint (sets eventhubs.enabled; needs "
                    + "eventhubs.hubs or eventhubs.sources.file, and eventhubs.connection.string).")
    boolean eventHubs;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        if (httpPort != null) {
            flags.put(HttpIngestConfig.PORT, String.valueOf(httpPort));
        }
        if (httpHost != null) {
            flags.put(HttpIngestConfig.HOST, httpHost);
        }
        if (insecureHttp) {
            flags.put(HttpIngestConfig.INSECURE, "true");
        }
        if (cloudWatch) {
            flags.put(CloudWatchConfig.ENABLED, "true");
        }
        if (pubSub) {
            flags.put(io.fnwatch.config.PullConfig.PUBSUB_ENABLED, "true");
        }
        if (eventHubs) {
            flags.put(io.fnwatch.config.PullConfig.EVENTHUBS_ENABLED, "true");
        }
        FnwatchConfig config = common.load(flags);
        DetectorConfig detectors = CommonOptions.detectors(config);
        // settings of the sources are checked before anything starts: a bad keys file exits 2 at once
        HttpIngestSettings.from(config);
        if (config.bool(CloudWatchConfig.ENABLED)) {
            io.fnwatch.ingest.cloudwatch.CloudWatchSettings.from(config);
        }
        if (config.bool(io.fnwatch.config.PullConfig.PUBSUB_ENABLED)) {
            io.fnwatch.ingest.pubsub.PubSubSettings.from(config);
        }
        if (config.bool(io.fnwatch.config.PullConfig.EVENTHUBS_ENABLED)) {
            io.fnwatch.ingest.eventhubs.EventHubsSettings.from(config);
        }
        // a routes file with a problem exits 2 before anything starts
        io.fnwatch.notify.Routes routes = io.fnwatch.notify.RoutesFile.of(config);
        // one store per keys file, shared by ingest and /functions; a missing or invalid file exits 2 here
        KeysWatcher keys = KeysWatcher.open(config);
        FnwatchService.Started started;
        try {
            started = FnwatchService.startBroker(config, false);
        } catch (java.io.IOException | RuntimeException e) {
            keys.close();
            throw e;
        }
        FnwatchService service = FnwatchService.start(started, detectors, Duration.ofMinutes(5), keys);
        IngestSources sources = startSources(service);
        service.reportSources(sources::pullStatuses, sources::pullHealthy);
        io.fnwatch.notify.Notifier notifier = startDelivery(service, sources, routes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println("fnwatch: shutting down...");
                            if (notifier != null) {
                                notifier.close();
                            }
                            sources.close();
                            service.close();
                            System.err.println("fnwatch: stopped cleanly");
                            stopped.countDown();
                        },
                        "fnwatch-shutdown"));
        print(service, sources);
        if (notifier != null) {
            System.err.println("  delivering alerts to " + routes.sinks().size() + " sink(s) over "
                    + routes.routes().size() + " route(s) (" + io.fnwatch.config.NotifySettings.ROUTES_FILE + ")");
        }
        while (!stopped.await(0, java.util.concurrent.TimeUnit.SECONDS)) {
            if (service.awaitFailure(Duration.ofSeconds(1))) {
                // a supervisor (systemd, Kubernetes) restarts us; the new process resumes from the last commit
                System.err.println("fnwatch: a stream thread failed; exiting (status 1) to be restarted");
                if (notifier != null) {
                    notifier.close();
                }
                sources.close();
                service.close();
                return 1;
            }
        }
        return 0;
    }

    private static String internalHost(FnwatchConfig c) {
        return c.integer(OpsSettings.INTERNAL_PORT) == OpsSettings.OFF
                ? c.string(OpsSettings.HTTP_HOST)
                : c.string(OpsSettings.INTERNAL_HOST);
    }

    private static IngestSources startSources(FnwatchService service) throws Exception {
        try {
            // the service's registry, so that /metrics shows the ingest meters too
            return IngestSources.start(
                    service.config(), service.meters(), service.keys().ingest());
        } catch (Exception e) {
            service.close();
            throw e;
        }
    }

    /** Alert delivery in this process when a routes file is set; its meters on the service's /metrics. */
    private static io.fnwatch.notify.Notifier startDelivery(
            FnwatchService service, IngestSources sources, io.fnwatch.notify.Routes routes) {
        if (routes == null) {
            return null;
        }
        try {
            return io.fnwatch.notify.Notifier.start(service.config(), routes, service.meters());
        } catch (RuntimeException e) {
            sources.close();
            service.close();
            throw e;
        }
    }

    private static void print(FnwatchService service, IngestSources sources) {
        FnwatchConfig c = service.config();
        System.err.println("fnwatch running. Kafka bootstrap servers: " + c.string(FnwatchConfig.BOOTSTRAP_SERVERS));
        String raw = c.string(FnwatchConfig.TOPIC_RAW);
        System.err.println("  send logs to topic " + raw + " (tenant " + c.string(FnwatchConfig.DEFAULT_TENANT)
                + ") or " + raw + ".<tenant>, read alerts from " + c.string(FnwatchConfig.TOPIC_ALERTS)
                + "; Ctrl-C to stop.");
        System.err.println("  HTTP: functions on " + c.string(OpsSettings.HTTP_HOST) + ":" + service.apiPort()
                + ", /metrics /healthz /readyz on " + internalHost(c) + ":" + service.internalPort() + " (-1 = off)");
        if (sources.httpPort() >= 0) {
            HttpIngestSettings s = HttpIngestSettings.from(c);
            System.err.println("  HTTP ingest on " + (s.tls() == null ? "http" : "https") + "://" + s.host() + ":"
                    + sources.httpPort() + " (POST /firehose, /cloudwatch, /pubsub, /azure, /ndjson)");
            if (s.plainHttpExposed()) {
                System.err.println("  WARNING: plain HTTP on an address other hosts reach (--insecure-http): keys "
                        + "cross the network in clear unless a proxy in front terminates TLS");
            }
        }
        if (sources.pulling()) {
            System.err.println("  pulling CloudWatch Logs");
        }
        if (sources.pullingPubSub()) {
            System.err.println("  pulling Pub/Sub subscriptions (" + io.fnwatch.config.PullConfig.PUBSUB_SUBSCRIPTIONS
                    + ", " + io.fnwatch.config.PullConfig.PUBSUB_SOURCES_FILE + ")");
        }
        if (sources.pullingEventHubs()) {
            System.err.println("  pulling Event Hubs (" + io.fnwatch.config.PullConfig.EVENTHUBS_HUBS + ", "
                    + io.fnwatch.config.PullConfig.EVENTHUBS_SOURCES_FILE + ")");
        }
    }
}
