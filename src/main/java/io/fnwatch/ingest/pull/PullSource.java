package io.fnwatch.ingest.pull;

import java.util.List;
import java.util.Locale;

/**
 * One subscription or hub to pull, bound to the tenant whose raw topic its logs go to, and to the cloud accounts
 * (GCP projects, Azure subscriptions) its logs may name — as an ingest key is. {@code accounts} empty: any.
 * {@code kind} is {@code pubsub} or {@code eventhubs}; {@code name} the subscription's full name or the hub.
 */
public record PullSource(String kind, String name, String tenant, List<String> accounts) {

    public PullSource {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /** True when a log naming {@code account} may come from this source; logs that name none pass. */
    public boolean allows(String account) {
        if (accounts.isEmpty() || account == null) {
            return true;
        }
        String a = account.toLowerCase(Locale.ROOT);
        return accounts.stream()
                .anyMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(a));
    }
}
