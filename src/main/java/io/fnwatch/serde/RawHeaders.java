package io.fnwatch.serde;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers of raw log records. {@code fnwatch-tenant} carries the tenant a trusted source vouched for (the
 * tenant bound to an HTTP ingest key, or to a pulled CloudWatch account); the parse step gives it to every
 * event of the record, overriding whatever the payload claims.
 */
public final class RawHeaders {

    public static final String TENANT = "fnwatch-tenant";

    private RawHeaders() {
    }

    /** The tenant header's value, or null when the record has none. */
    public static String tenant(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(TENANT);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void setTenant(Headers headers, String tenant) {
        headers.remove(TENANT);
        headers.add(TENANT, tenant.getBytes(StandardCharsets.UTF_8));
    }
}
