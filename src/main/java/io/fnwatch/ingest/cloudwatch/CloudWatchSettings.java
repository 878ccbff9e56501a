package io.fnwatch.ingest.cloudwatch;

import io.fnwatch.config.CloudWatchConfig;
import io.fnwatch.config.ConfigErrors;
import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.serde.TenantTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The puller's settings, checked together when it is enabled. */
public record CloudWatchSettings(
        List<CloudWatchSource> sources,
        String endpoint,
        String stsEndpoint,
        String lambdaEndpoint,
        String logGroupPrefix,
        List<String> logGroups,
        String filterPattern,
        long pollIntervalMs,
        long discoveryIntervalMs,
        long overlapMs,
        long startLookbackMs,
        double ratePerSecond,
        long backoffBaseMs,
        long backoffMaxMs,
        int maxAttempts,
        int dedupeMaxIds,
        boolean inventory,
        boolean lambdaInventory,
        String transactionalId,
        String checkpointsTopic,
        TenantTopics rawTopics,
        String inventoryTopic) {

    public static CloudWatchSettings from(FnwatchConfig c) {
        List<String> problems = new ArrayList<>();
        String region = region(c, problems);
        String tenant = c.string(FnwatchConfig.DEFAULT_TENANT);
        String accounts = c.string(CloudWatchConfig.ACCOUNTS_FILE);
        List<CloudWatchSource> sources = accounts.isEmpty()
                ? List.of(new CloudWatchSource(null, tenant, region, null, null))
                : AccountsFile.read(Path.of(accounts), region, tenant, problems);
        if (c.string(CloudWatchConfig.LOG_GROUP_PREFIX).isEmpty()
                && c.list(CloudWatchConfig.LOG_GROUPS).isEmpty()) {
            problems.add(CloudWatchConfig.LOG_GROUP_PREFIX + ": with no prefix and no " + CloudWatchConfig.LOG_GROUPS
                    + " there is nothing to pull");
        }
        ConfigErrors.throwIfAny(problems);
        return new CloudWatchSettings(
                sources,
                c.string(CloudWatchConfig.ENDPOINT),
                c.string(CloudWatchConfig.STS_ENDPOINT),
                c.string(CloudWatchConfig.LAMBDA_ENDPOINT),
                c.string(CloudWatchConfig.LOG_GROUP_PREFIX),
                c.list(CloudWatchConfig.LOG_GROUPS),
                c.string(CloudWatchConfig.FILTER_PATTERN),
                c.longValue(CloudWatchConfig.POLL_INTERVAL_MS),
                c.longValue(CloudWatchConfig.DISCOVERY_INTERVAL_MS),
                c.longValue(CloudWatchConfig.OVERLAP_MS),
                c.longValue(CloudWatchConfig.START_LOOKBACK_MS),
                c.doubleValue(CloudWatchConfig.RATE_PER_SECOND),
                c.longValue(CloudWatchConfig.BACKOFF_BASE_MS),
                c.longValue(CloudWatchConfig.BACKOFF_MAX_MS),
                c.integer(CloudWatchConfig.MAX_ATTEMPTS),
                c.integer(CloudWatchConfig.DEDUPE_MAX_IDS),
                c.bool(CloudWatchConfig.INVENTORY),
                c.bool(CloudWatchConfig.LAMBDA_INVENTORY),
                c.string(CloudWatchConfig.TRANSACTIONAL_ID),
                c.string(CloudWatchConfig.TOPIC_CHECKPOINTS),
                TenantTopics.from(c),
                c.string(FnwatchConfig.TOPIC_INVENTORY));
    }

    private static String region(FnwatchConfig c, List<String> problems) {
        String region = c.string(CloudWatchConfig.REGION);
        if (!region.isEmpty()) {
            return region;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            problems.add(CloudWatchConfig.REGION + ": not set, and no default region found (set AWS_REGION)");
            return "unset";
        }
    }
}
