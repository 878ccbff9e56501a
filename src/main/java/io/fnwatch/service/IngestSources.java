package io.fnwatch.service;

import io.fnwatch.auth.KeysStore;
import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import io.fnwatch.config.PullConfig;
import io.fnwatch.ingest.cloudwatch.CloudWatchPuller;
import io.fnwatch.ingest.eventhubs.EventHubsPuller;
import io.fnwatch.ingest.eventhubs.EventHubsSettings;
import io.fnwatch.ingest.http.HttpIngestServer;
import io.fnwatch.ingest.pubsub.PubSubPuller;
import io.fnwatch.ingest.pubsub.PubSubSettings;
import io.fnwatch.ingest.pull.PullHealth;
import io.fnwatch.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * The ingest sources {@code run} starts besides the streams application: the HTTP endpoint when
 * {@code ingest.http.port} is set, the CloudWatch puller when {@code cloudwatch.enabled}, the Pub/Sub and Event
 * Hubs pullers when {@code pubsub.enabled}, {@code eventhubs.enabled}. Closed in reverse.
 */
public final class IngestSources implements AutoCloseable {

    private final HttpIngestServer http;
    private final CloudWatchPuller cloudWatch;
    private PubSubPuller pubSub;
    private EventHubsPuller eventHubs;
    private final PullHealth pullHealth = new PullHealth(System::currentTimeMillis);

    private IngestSources(HttpIngestServer http, CloudWatchPuller cloudWatch) {
        this.http = http;
        this.cloudWatch = cloudWatch;
    }

    /** {@code meters}: the service's registry, which {@code /metrics} scrapes; {@code keys}: the ingest keys. */
    public static IngestSources start(FnwatchConfig c, MeterRegistry meters, KeysStore keys) throws Exception {
        HttpIngestServer http = c.integer(HttpIngestConfig.PORT) >= 0 ? HttpIngestServer.start(c, meters, keys) : null;
        try {
            CloudWatchPuller puller = c.bool(CloudWatchConfig.ENABLED) ? CloudWatchPuller.start(c) : null;
            IngestSources sources = new IngestSources(http, puller);
            try {
                sources.startPullers(c, meters);
            } catch (RuntimeException | InterruptedException e) {
                // the HTTP endpoint is closed below
                sources.closePullers();
                throw e;
            }
            return sources;
        } catch (RuntimeException | InterruptedException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
    }

    /** The Pub/Sub and Event Hubs pullers, after the raw topics of their sources' tenants exist. */
    private void startPullers(FnwatchConfig c, MeterRegistry meters) throws InterruptedException {
        if (c.bool(PullConfig.PUBSUB_ENABLED)) {
            TopicAdmin.ensure(c, PubSubSettings.from(c).tenants());
            pubSub = PubSubPuller.start(c, meters, pullHealth);
        }
        if (c.bool(PullConfig.EVENTHUBS_ENABLED)) {
            TopicAdmin.ensure(c, EventHubsSettings.from(c).tenants());
            eventHubs = EventHubsPuller.start(c, meters, pullHealth);
        }
    }

    /** Each pulled source's state, for {@code /readyz}; empty when nothing is pulled from Pub/Sub or Event Hubs. */
    public List<Map<String, Object>> pullStatuses() {
        return pullHealth.describe();
    }

    /** False while a pulled source is failing. */
    public boolean pullHealthy() {
        return pullHealth.healthy();
    }

    /** The HTTP port actually bound (useful with port 0), or -1 when the endpoint is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public boolean pulling() {
        return cloudWatch != null;
    }

    public boolean pullingPubSub() {
        return pubSub != null;
    }

    public boolean pullingEventHubs() {
        return eventHubs != null;
    }

    private void closePullers() {
        if (eventHubs != null) {
            eventHubs.close();
        }
        if (pubSub != null) {
            pubSub.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }

    @Override
    public void close() {
        if (eventHubs != null) {
            eventHubs.close();
        }
        if (pubSub != null) {
            pubSub.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (http != null) {
            http.close();
        }
    }
}
