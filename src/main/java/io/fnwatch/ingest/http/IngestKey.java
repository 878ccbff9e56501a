package io.fnwatch.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the keys file: the SHA-256 (hex) of a key, never the key itself, the tenant every record sent
 * with it belongs to, and the cloud accounts it may send for (empty: any).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngestKey(String id, String sha256, String tenant, List<String> accounts, boolean revoked) {

    public IngestKey {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /** True when a record naming {@code account} may be sent with this key; unknown accounts are the key's own. */
    public boolean mayUseAccount(String account) {
        if (accounts.isEmpty() || account == null) {
            return true;
        }
        String a = account.toLowerCase(Locale.ROOT);
        return accounts.stream().anyMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(a));
    }

    public IngestKey revoke() {
        return new IngestKey(id, sha256, tenant, accounts, true);
    }
}
