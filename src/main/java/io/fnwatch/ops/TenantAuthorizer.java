package io.fnwatch.ops;

import java.util.Optional;

/**
 * Tells which tenant a caller's bearer token belongs to. The status endpoints only ask this question; how
 * keys are issued and stored belongs to whoever issues them (the ingest keys, shared with this service).
 */
public interface TenantAuthorizer {

    /** The tenant of {@code bearerToken}, or empty when the token is unknown (or null). */
    Optional<String> tenantOf(String bearerToken);

    /** Knows no key: every caller is refused. The default when no keys file is configured. */
    static TenantAuthorizer nobody() {
        return token -> Optional.empty();
    }
}
