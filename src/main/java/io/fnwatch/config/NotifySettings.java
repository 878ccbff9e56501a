package io.fnwatch.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of alert delivery ({@code notify}, and {@code run} with a routes file); part of {@link FnwatchConfig#DEF}. */
public final class NotifySettings {

    public static final String ROUTES_FILE = "notify.routes.file";
    public static final String GROUP_ID = "notify.group.id";
    public static final String GIVE_UP_AFTER_MS = "notify.give.up.after";
    public static final String BACKOFF_BASE_MS = "notify.backoff.base.ms";
    public static final String BACKOFF_MAX_MS = "notify.backoff.max.ms";
    public static final String CONNECT_TIMEOUT_MS = "notify.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "notify.request.timeout.ms";
    public static final String MAX_PENDING = "notify.max.pending";
    public static final String TOPIC_DEAD_LETTERS = "topic.notify.dead.letters";

    private NotifySettings() {}

    static ConfigDef define(ConfigDef d) {
        return d.define(
                        ROUTES_FILE,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "YAML file of sinks (Slack, PagerDuty, Alertmanager, webhooks) and routes; `run` delivers "
                                + "alerts when it is set, `notify` needs it. Empty: no delivery.")
                .define(
                        GROUP_ID,
                        Type.STRING,
                        "fnwatch-notify",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Consumer group of delivery on topic.alerts; instances with the same group share the "
                                + "partitions.")
                .define(
                        GIVE_UP_AFTER_MS,
                        Type.LONG,
                        3_600_000L,
                        Range.between(1_000, 7 * 86_400_000L),
                        Importance.MEDIUM,
                        "Milliseconds a notice may keep failing after its first attempt before it is given up "
                                + "and written to topic.notify.dead.letters.")
                .define(
                        BACKOFF_BASE_MS,
                        Type.LONG,
                        1_000L,
                        Range.between(0, 60_000),
                        Importance.LOW,
                        "Wait after a first failed attempt; doubles with each failure, jittered between half and all "
                                + "of it. A Retry-After on 429 or 503 is followed instead.")
                .define(
                        BACKOFF_MAX_MS,
                        Type.LONG,
                        300_000L,
                        Range.between(0, 3_600_000),
                        Importance.LOW,
                        "Longest wait between two attempts (at least notify.backoff.base.ms).")
                .define(
                        CONNECT_TIMEOUT_MS,
                        Type.LONG,
                        5_000L,
                        Range.between(100, 60_000),
                        Importance.LOW,
                        "Time to connect to a receiver.")
                .define(
                        REQUEST_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        Range.between(100, 300_000),
                        Importance.LOW,
                        "Time for a receiver's answer; past it the attempt failed and is retried.")
                .define(
                        MAX_PENDING,
                        Type.INT,
                        10_000,
                        Range.between(1, 1_000_000),
                        Importance.LOW,
                        "Alerts read but not yet delivered (or given up) everywhere; past it reading pauses until "
                                + "half are done.")
                .define(
                        TOPIC_DEAD_LETTERS,
                        Type.STRING,
                        "fnwatch-notify-dead-letters",
                        Importance.LOW,
                        "Notices given up, with the sink and the last error.");
    }
}
