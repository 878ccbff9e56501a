package io.fnwatch.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fnwatch.model.FunctionKey;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the keys file: the SHA-256 (hex) of a key, never the key itself, the tenant every record sent
 * with it belongs to and whose functions it may read, and the cloud accounts it may send for and read
 * (empty: any), and optionally the AWS region of what it sends ({@code region}, for payloads that name none, such as
 * CloudWatch Logs subscription payloads sent by a forwarder).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TenantKey(
        String id, String sha256, String tenant, List<String> accounts, String region, boolean revoked) {

    public TenantKey {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /** A key with no region setting. */
    public TenantKey(String id, String sha256, String tenant, List<String> accounts, boolean revoked) {
        this(id, sha256, tenant, accounts, null, revoked);
    }

    /** True when a record naming {@code account} may be sent with this key; unknown accounts are the key's own. */
    public boolean mayUseAccount(String account) {
        if (accounts.isEmpty() || account == null) {
            return true;
        }
        String a = account.toLowerCase(Locale.ROOT);
        return accounts.stream()
                .anyMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(a));
    }

    /**
     * True when this key may read the function's status: its own tenant, and an account it may send for. A
     * function whose account is unknown ({@code -}) can only have come from a key of the tenant, so it passes
     * as it does on ingest.
     */
    public boolean mayRead(FunctionKey function) {
        return tenant.equals(function.tenant()) && mayUseAccount(FunctionKey.known(function.account()));
    }

    public TenantKey revoke() {
        return new TenantKey(id, sha256, tenant, accounts, region, true);
    }
}
