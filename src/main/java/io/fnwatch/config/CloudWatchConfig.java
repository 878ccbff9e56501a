package io.fnwatch.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the CloudWatch Logs puller ({@code run --cloudwatch}); declared into {@link FnwatchConfig#DEF}. */
public final class CloudWatchConfig {

    public static final String ENABLED = "cloudwatch.enabled";
    public static final String REGION = "cloudwatch.region";
    public static final String ENDPOINT = "cloudwatch.endpoint";
    public static final String STS_ENDPOINT = "cloudwatch.sts.endpoint";
    public static final String LAMBDA_ENDPOINT = "cloudwatch.lambda.endpoint";
    public static final String ACCOUNTS_FILE = "cloudwatch.accounts.file";
    public static final String LOG_GROUP_PREFIX = "cloudwatch.log.group.prefix";
    public static final String LOG_GROUPS = "cloudwatch.log.groups";
    public static final String FILTER_PATTERN = "cloudwatch.filter.pattern";
    public static final String POLL_INTERVAL_MS = "cloudwatch.poll.interval.ms";
    public static final String DISCOVERY_INTERVAL_MS = "cloudwatch.discovery.interval.ms";
    public static final String OVERLAP_MS = "cloudwatch.overlap.ms";
    public static final String START_LOOKBACK_MS = "cloudwatch.start.lookback.ms";
    public static final String RATE_PER_SECOND = "cloudwatch.rate.per.second";
    public static final String BACKOFF_BASE_MS = "cloudwatch.backoff.base.ms";
    public static final String BACKOFF_MAX_MS = "cloudwatch.backoff.max.ms";
    public static final String MAX_ATTEMPTS = "cloudwatch.max.attempts";
    public static final String DEDUPE_MAX_IDS = "cloudwatch.dedupe.max.ids";
    public static final String INVENTORY = "cloudwatch.inventory.enabled";
    public static final String LAMBDA_INVENTORY = "cloudwatch.lambda.inventory.enabled";
    public static final String TRANSACTIONAL_ID = "cloudwatch.transactional.id";
    public static final String TOPIC_CHECKPOINTS = "topic.cloudwatch.checkpoints";

    private CloudWatchConfig() {}

    static ConfigDef define(ConfigDef d) {
        return d.define(ENABLED, Type.BOOLEAN, false, Importance.HIGH, "Pull CloudWatch Logs with FilterLogEvents.")
                .define(
                        REGION,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "AWS region to pull; empty takes the SDK's default region chain (AWS_REGION, profile).")
                .define(ENDPOINT, Type.STRING, "", Importance.LOW, "CloudWatch Logs endpoint override (tests, VPC).")
                .define(STS_ENDPOINT, Type.STRING, "", Importance.LOW, "STS endpoint override for role assumption.")
                .define(LAMBDA_ENDPOINT, Type.STRING, "", Importance.LOW, "Lambda endpoint override.")
                .define(
                        ACCOUNTS_FILE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "YAML/JSON list of accounts to watch (role to assume, external id, tenant, regions); empty "
                                + "watches the account of the default credentials.")
                .define(
                        LOG_GROUP_PREFIX,
                        Type.STRING,
                        "/aws/lambda/",
                        Importance.MEDIUM,
                        "Log groups whose names start with this are discovered; empty discovers none.")
                .define(LOG_GROUPS, Type.LIST, "", Importance.MEDIUM, "Log groups pulled besides the discovered ones.")
                .define(
                        FILTER_PATTERN,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "FilterLogEvents filter pattern; empty pulls every event (detectors need START and REPORT).")
                .define(
                        POLL_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        Range.between(1_000, 3_600_000),
                        Importance.MEDIUM,
                        "Pause between two sweeps over all log groups.")
                .define(
                        DISCOVERY_INTERVAL_MS,
                        Type.LONG,
                        600_000L,
                        Range.between(1_000, 86_400_000L),
                        Importance.LOW,
                        "How often log groups are discovered again (and inventory seeded).")
                .define(
                        OVERLAP_MS,
                        Type.LONG,
                        300_000L,
                        Range.between(0, 86_400_000L),
                        Importance.MEDIUM,
                        "Each query looks back this far before the previous one ended, catching late-ingested "
                                + "events; duplicates are removed by eventId.")
                .define(
                        START_LOOKBACK_MS,
                        Type.LONG,
                        900_000L,
                        Range.between(0, 14 * 86_400_000L),
                        Importance.LOW,
                        "How far back the first pull of a log group without checkpoint starts.")
                .define(
                        RATE_PER_SECOND,
                        Type.DOUBLE,
                        5.0,
                        Range.between(0.01, 1_000),
                        Importance.MEDIUM,
                        "CloudWatch Logs requests per second, shared per account and region.")
                .define(
                        BACKOFF_BASE_MS,
                        Type.LONG,
                        200L,
                        Range.between(0, 60_000),
                        Importance.LOW,
                        "First backoff after ThrottlingException or a 5xx; doubles per attempt, full jitter.")
                .define(
                        BACKOFF_MAX_MS,
                        Type.LONG,
                        20_000L,
                        Range.between(0, 600_000),
                        Importance.LOW,
                        "Longest backoff between two attempts.")
                .define(
                        MAX_ATTEMPTS,
                        Type.INT,
                        8,
                        Range.between(1, 100),
                        Importance.LOW,
                        "Attempts per request before the log group is left for the next sweep.")
                .define(
                        DEDUPE_MAX_IDS,
                        Type.INT,
                        20_000,
                        Range.between(100, 30_000),
                        Importance.LOW,
                        "Event ids kept per log group for overlap deduplication (16 bytes each in its "
                                + "checkpoint record).")
                .define(
                        INVENTORY,
                        Type.BOOLEAN,
                        true,
                        Importance.LOW,
                        "Seed the inventory from DescribeLogGroups/DescribeLogStreams.")
                .define(
                        LAMBDA_INVENTORY,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Also seed runtime and last-modified from Lambda ListFunctions (needs lambda:ListFunctions).")
                .define(
                        TRANSACTIONAL_ID,
                        Type.STRING,
                        "fnwatch-cloudwatch",
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        "Kafka transactional id of the puller; a second puller with the same id " + "fences the first.")
                .define(
                        TOPIC_CHECKPOINTS,
                        Type.STRING,
                        "fnwatch-cloudwatch-checkpoints",
                        Importance.LOW,
                        "Compacted topic of per-log-group checkpoints.");
    }
}
