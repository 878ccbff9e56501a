package io.fnwatch.service;

import io.fnwatch.auth.KeysWatcher;
import io.fnwatch.config.DetectorConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.OpsSettings;
import io.fnwatch.http.FunctionsEndpoint;
import io.fnwatch.http.HealthEndpoints;
import io.fnwatch.http.OpsLimits;
import io.fnwatch.http.OpsServer;
import io.fnwatch.http.console.Console;
import io.fnwatch.http.console.ConsoleHandler;
import io.fnwatch.kafka.EmbeddedKafka;
import io.fnwatch.kafka.KafkaClients;
import io.fnwatch.kafka.TopicAdmin;
import io.fnwatch.serde.TenantTopics;
import io.fnwatch.topology.FnwatchTopology;
import io.fnwatch.topology.PipelineMeters;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: an optional embedded broker, the topics, the Kafka Streams application of
 * {@link FnwatchTopology}, its meters and its HTTP endpoints. {@link #close()} shuts down in reverse order.
 */
public final class FnwatchService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FnwatchService.class);

    private final FnwatchConfig config;
    private final EmbeddedKafka broker;
    private final KafkaStreams streams;
    private final OpsServer ops;
    private final ServiceMeters meters;
    private final Admin admin;
    private final StreamsLifecycle lifecycle;
    private final PrometheusMeterRegistry registry;
    private final KeysWatcher keys;
    private HealthEndpoints health;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FnwatchService(
            FnwatchConfig config,
            EmbeddedKafka broker,
            KafkaStreams streams,
            OpsServer ops,
            ServiceMeters meters,
            Admin admin,
            StreamsLifecycle lifecycle,
            PrometheusMeterRegistry registry,
            KeysWatcher keys) {
        this.config = config;
        this.broker = broker;
        this.streams = streams;
        this.ops = ops;
        this.meters = meters;
        this.admin = admin;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.keys = keys;
    }

    /** Starts a broker when {@code bootstrap.servers} is empty; returns the config pointing at it. */
    public static Started startBroker(FnwatchConfig config, boolean temporary) throws IOException {
        if (!config.string(FnwatchConfig.BOOTSTRAP_SERVERS).isEmpty()) {
            return new Started(config, null);
        }
        EmbeddedKafka broker = temporary
                ? EmbeddedKafka.startTemporary()
                : EmbeddedKafka.start(
                        Path.of(config.string(FnwatchConfig.EMBEDDED_DATA_DIR)),
                        config.integer(FnwatchConfig.EMBEDDED_PORT),
                        false);
        LOG.info("embedded Kafka broker listening on {}", broker.bootstrapServers());
        return new Started(config.with(FnwatchConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()), broker);
    }

    /** A broker (maybe null, when external) and the config that reaches it. */
    public record Started(FnwatchConfig config, EmbeddedKafka broker) {}

    /**
     * Creates missing topics, starts the HTTP endpoints and the streams application, and waits until it is
     * RUNNING. The service owns the started broker from here on: it is closed with the service, or at once
     * if starting fails.
     */
    public static FnwatchService start(Started started, DetectorConfig detectors, Duration timeout)
            throws InterruptedException {
        KeysWatcher keys;
        try {
            keys = KeysWatcher.open(started.config());
        } catch (RuntimeException e) {
            if (started.broker() != null) {
                started.broker().close();
            }
            throw e;
        }
        return start(started, detectors, timeout, keys);
    }

    /**
     * As above with keys files already opened (by {@code run}, to refuse a bad file before a broker starts);
     * the service owns {@code keys} from here on, and HTTP ingest is to use its {@link KeysWatcher#ingest()}.
     */
    public static FnwatchService start(Started started, DetectorConfig detectors, Duration timeout, KeysWatcher keys)
            throws InterruptedException {
        try {
            return startStreams(started, detectors, timeout, keys);
        } catch (RuntimeException | InterruptedException e) {
            keys.close();
            if (started.broker() != null) {
                started.broker().close();
            }
            throw e;
        }
    }

    private static FnwatchService startStreams(
            Started started, DetectorConfig detectors, Duration timeout, KeysWatcher keys) throws InterruptedException {
        FnwatchConfig config = started.config();
        LOG.info("configuration: {}", config.describe().replace("\n", ", "));
        // every ingest key's tenant gets its raw topic, so a key made with `keys create` works without more steps
        TopicAdmin.ensure(config, keys.ingest().tenants());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OpsServer ops = bindOps(config, registry);
        String server = ops.applicationServer(config);
        KafkaStreams streams = new KafkaStreams(
                FnwatchTopology.build(config, detectors, new PipelineMeters(registry)),
                StreamsSettings.of(config, server));
        StreamsLifecycle lifecycle = new StreamsLifecycle(streams);
        streams.setGlobalStateRestoreListener(new RestoreProgress(registry));
        ServiceMeters meters = new ServiceMeters(registry, streams, inputTopics(config));
        Admin admin = Admin.create(KafkaClients.common(config));
        HealthEndpoints health = new HealthEndpoints(streams::state, admin, keys::statuses);
        keys.bindTo(registry);
        HostInfo self = server == null ? null : HostInfo.buildFromEndpoint(server);
        ops.start(
                Map.of(
                        FunctionsEndpoint.PATH,
                        new FunctionsEndpoint(streams, detectors, keys.functions(), self, ops.limits()),
                        ConsoleHandler.PATH,
                        Console.start(config, streams, detectors, keys.functions(), self, registry, ops.limits())),
                Map.of(
                        "/metrics",
                        HealthEndpoints.metrics(registry),
                        "/healthz",
                        health.healthz(),
                        "/readyz",
                        health.readyz()));
        FnwatchService service =
                new FnwatchService(config, started.broker(), streams, ops, meters, admin, lifecycle, registry, keys);
        service.health = health;
        try {
            lifecycle.startAndAwaitRunning(timeout);
        } catch (RuntimeException | InterruptedException e) {
            service.closeQuietly(false);
            throw e;
        }
        return service;
    }

    private static OpsServer bindOps(FnwatchConfig c, MeterRegistry registry) {
        try {
            return OpsServer.bind(c, OpsLimits.of(c, registry, TimeMeter.SYSTEM_NANOTIME));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot bind the HTTP endpoints (" + OpsSettings.HTTP_PORT + ", " + OpsSettings.INTERNAL_PORT
                            + "): " + e.getMessage(),
                    e);
        }
    }

    /** The raw topic's lag gauge sums every tenant's raw topic: their number is not known up front. */
    private static Map<String, Predicate<String>> inputTopics(FnwatchConfig c) {
        String repartition = FnwatchTopology.repartitionTopic(c);
        return Map.of(c.string(FnwatchConfig.TOPIC_RAW), TenantTopics.from(c)::isRaw, repartition, repartition::equals);
    }

    public FnwatchConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The registry {@code /metrics} serves: every other part of the process registers its meters here. */
    public MeterRegistry meters() {
        return registry;
    }

    /** The keys files in use; {@link KeysWatcher#ingest()} is what HTTP ingest accepts. */
    public KeysWatcher keys() {
        return keys;
    }

    /** Adds the pulled sources' states to {@code /readyz} (see {@link HealthEndpoints#sources}). */
    public void reportSources(
            java.util.function.Supplier<java.util.List<Map<String, Object>>> statuses,
            java.util.function.BooleanSupplier healthy) {
        health.sources(statuses, healthy);
    }

    /** Bound port of {@code /functions}, or -1. */
    public int apiPort() {
        return ops.apiPort();
    }

    /** Bound port of {@code /metrics}, {@code /healthz} and {@code /readyz}, or -1. */
    public int internalPort() {
        return ops.internalPort();
    }

    /**
     * Waits up to {@code timeout} for a stream thread to fail (which stops the instance, see
     * {@link StreamsLifecycle}); true when it has. {@code run} then exits for its supervisor to restart it.
     */
    public boolean awaitFailure(Duration timeout) throws InterruptedException {
        return lifecycle.awaitFailure(timeout);
    }

    @Override
    public void close() {
        closeQuietly(true);
    }

    private void closeQuietly(boolean includingBroker) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ops.close();
        streams.close(Duration.ofSeconds(30));
        meters.close();
        admin.close(Duration.ofSeconds(5));
        keys.close();
        if (broker != null && includingBroker) {
            broker.close();
        }
        LOG.info("fnwatch stopped");
    }
}
