package io.fnwatch.ingest.pubsub;

import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.config.PullConfig;
import io.fnwatch.ingest.pull.PullSource;
import io.fnwatch.ingest.pull.SourcesFile;
import java.util.ArrayList;
import java.util.List;

/** The Pub/Sub puller's settings, checked together when it is enabled. */
public record PubSubSettings(
        List<PullSource> sources,
        String emulatorEndpoint,
        String credentialsFile,
        long maxOutstandingMessages,
        long maxOutstandingBytes,
        int parallelPulls,
        int dedupeMaxIds,
        long dedupeWindowMs,
        long kafkaTimeoutMs,
        long backoffBaseMs,
        long backoffMaxMs) {

    public static PubSubSettings from(FnwatchConfig c) {
        List<String> problems = new ArrayList<>();
        List<PullSource> sources = SourcesFile.read(
                "pubsub",
                c.list(PullConfig.PUBSUB_SUBSCRIPTIONS),
                c.string(PullConfig.PUBSUB_SOURCES_FILE),
                c.string(FnwatchConfig.DEFAULT_TENANT),
                problems);
        if (sources.isEmpty() && problems.isEmpty()) {
            problems.add(PullConfig.PUBSUB_SUBSCRIPTIONS + ": with no subscription and no "
                    + PullConfig.PUBSUB_SOURCES_FILE + " there is nothing to pull");
        }
        String credentials = c.string(PullConfig.PUBSUB_CREDENTIALS_FILE);
        if (!credentials.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(credentials))) {
            problems.add(PullConfig.PUBSUB_CREDENTIALS_FILE + ": cannot read " + credentials);
        }
        ConfigErrors.throwIfAny(problems);
        return new PubSubSettings(
                sources,
                c.string(PullConfig.PUBSUB_ENDPOINT),
                credentials,
                c.longValue(PullConfig.PUBSUB_MAX_OUTSTANDING_MESSAGES),
                c.longValue(PullConfig.PUBSUB_MAX_OUTSTANDING_BYTES),
                c.integer(PullConfig.PUBSUB_PARALLEL_PULLS),
                c.integer(PullConfig.PUBSUB_DEDUPE_MAX_IDS),
                c.longValue(PullConfig.PUBSUB_DEDUPE_WINDOW_MS),
                c.longValue(PullConfig.KAFKA_TIMEOUT_MS),
                c.longValue(PullConfig.BACKOFF_BASE_MS),
                c.longValue(PullConfig.BACKOFF_MAX_MS));
    }

    public List<String> tenants() {
        return sources.stream().map(PullSource::tenant).distinct().toList();
    }
}
