package io.fnwatch.serde;

import io.fnwatch.config.FnwatchConfig;
import io.fnwatch.model.Tenants;
import java.util.regex.Pattern;

/**
 * Where a raw record's tenant comes from: the topic it was written to, nothing else. The raw topic itself
 * ({@code fnwatch-logs-raw}) carries the default tenant; {@code fnwatch-logs-raw.<tenant>} carries
 * {@code <tenant>}. Kafka ACLs decide who may write which topic, so a producer can only speak for the tenants
 * whose topics its principal may write; headers and payload fields never name a tenant.
 *
 * <p>Tenant names are 1-64 of {@code A-Z a-z 0-9 _ -}: legal in topic names, and without the '.' that
 * separates the tenant from the base name, so a topic name splits into base and tenant one way only. Grant
 * producers LITERAL WRITE on their topic: a PREFIXED grant on {@code fnwatch-logs-raw.acme} would also
 * match {@code fnwatch-logs-raw.acmecorp}.
 */
public final class TenantTopics {

    /** Kafka refuses longer topic names. */
    static final int MAX_TOPIC_CHARS = 249;

    private final String base;
    private final String defaultTenant;
    private final Pattern pattern;

    public TenantTopics(String base, String defaultTenant) {
        if (base == null || base.isEmpty() || base.length() + 1 + Tenants.MAX_CHARS > MAX_TOPIC_CHARS) {
            throw new IllegalArgumentException("raw topic name must be 1-" + (MAX_TOPIC_CHARS - 1 - Tenants.MAX_CHARS)
                    + " characters, leaving room for '.<tenant>': " + base);
        }
        this.base = base;
        this.defaultTenant = Tenants.requireValid(defaultTenant);
        this.pattern = Pattern.compile(Pattern.quote(base) + "(\\." + Tenants.REGEX + ")?");
    }

    public static TenantTopics from(FnwatchConfig c) {
        return new TenantTopics(c.string(FnwatchConfig.TOPIC_RAW), c.string(FnwatchConfig.DEFAULT_TENANT));
    }

    /** The default tenant's topic, {@code topic.logs.raw}. */
    public String base() {
        return base;
    }

    public String defaultTenant() {
        return defaultTenant;
    }

    /** Every raw topic, the default tenant's and each tenant's: the streams application's one source. */
    public Pattern pattern() {
        return pattern;
    }

    /** The topic that carries {@code tenant}'s logs; refuses names that are not valid tenants. */
    public String topicOf(String tenant) {
        return Tenants.requireValid(tenant).equals(defaultTenant) ? base : base + "." + tenant;
    }

    /** The tenant a raw topic carries, or null when {@code topic} is not a raw topic. */
    public String tenantOf(String topic) {
        if (topic == null || !pattern.matcher(topic).matches()) {
            return null;
        }
        return topic.length() == base.length() ? defaultTenant : topic.substring(base.length() + 1);
    }

    public boolean isRaw(String topic) {
        return topic != null && pattern.matcher(topic).matches();
    }
}
