package io.fnwatch.service;

import io.fnwatch.auth.KeysStore;
import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.HttpIngestConfig;
import io.fnwatch.ingest.cloudwatch.CloudWatchPuller;
import io.fnwatch.ingest.http.HttpIngestServer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingest sources {@code run} starts besides the streams application: the HTTP endpoint when
 * {@code ingest.http.port} is set, the CloudWatch puller when {@code cloudwatch.enabled}. Closed in reverse.
 */
public final class IngestSources implements AutoCloseable {

    private final HttpIngestServer http;
    private final CloudWatchPuller cloudWatch;

    private IngestSources(HttpIngestServer http, CloudWatchPuller cloudWatch) {
        this.http = http;
        this.cloudWatch = cloudWatch;
    }

    /** {@code meters}: the service's registry, which {@code /metrics} scrapes; {@code keys}: the ingest keys. */
    public static IngestSources start(FnwatchConfig c, MeterRegistry meters, KeysStore keys) throws Exception {
        HttpIngestServer http = c.integer(HttpIngestConfig.PORT) >= 0 ? HttpIngestServer.start(c, meters, keys) : null;
        try {
            CloudWatchPuller puller = c.bool(CloudWatchConfig.ENABLED) ? CloudWatchPuller.start(c) : null;
            return new IngestSources(http, puller);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
    }

    /** The HTTP port actually bound (useful with port 0), or -1 when the endpoint is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public boolean pulling() {
        return cloudWatch != null;
    }

    @Override
    public void close() {
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (http != null) {
            http.close();
        }
    }
}
