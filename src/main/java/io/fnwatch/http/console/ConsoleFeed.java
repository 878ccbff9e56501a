package io.fnwatch.http.console;

import io.fnwatch.config.DetectorConfig;
import io.fnwatch.detect.RuntimeLifecycle;
import io.fnwatch.detect.StaleFunctionModel;
import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.DeadLetter;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import io.fnwatch.serde.TenantTopics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the console lists, kept in memory by every instance from the alerts, inventory and dead-letter topics
 * (each read whole, without a consumer group, by {@link ConsoleTopics}): the functions' inventory records, the
 * incidents their alerts tell of, and the latest dead letters by reason. Each instance thus answers the lists
 * for every tenant; what only the instance holding a function knows (its state and history) is asked of that
 * instance. Bounded: the oldest incidents, and dead letters beyond {@link #DEAD_LETTERS_PER_REASON} per tenant and
 * reason, are dropped.
 */
final class ConsoleFeed {

    static final int MAX_INCIDENTS = 100_000;
    static final int DEAD_LETTERS_PER_REASON = 50;
    static final int RECENT_ALERTS = 500;

    /** One function as the Functions page lists it. */
    record Row(
            FunctionKey key,
            String keyString,
            Map<String, Object> inventory,
            long lastInvoked,
            String runtime,
            boolean outdatedRuntime,
            List<String> warmup) {}

    /** One incident: its alerts in order, OPEN first (when seen). */
    static final class Incident {
        final String id;
        final AlertType type;
        final FunctionKey key;
        final List<Alert> alerts = new ArrayList<>(2);

        Incident(Alert first) {
            this.id = first.id();
            this.type = first.type();
            this.key = first.key();
        }

        Alert first() {
            return alerts.get(0);
        }

        Alert last() {
            return alerts.get(alerts.size() - 1);
        }

        boolean open() {
            return last().state() != AlertState.RESOLVED;
        }

        /** When it began: the first alert's window start. */
        Instant start() {
            return first().windowStart();
        }

        Instant opened() {
            return first().detectedAt();
        }

        /** The RESOLVED alert's time, or null while open. */
        Instant resolved() {
            return open() ? null : last().detectedAt();
        }

        Severity severity() {
            Severity s = Severity.values()[0];
            for (Alert a : alerts) {
                s = a.severity().compareTo(s) > 0 ? a.severity() : s;
            }
            return s;
        }
    }

    /** A dead letter with the tenant it belongs to (null: none could be told, shown to no one). */
    record Dead(String tenant, DeadLetter letter) {}

    private final DetectorConfig detectors;
    private final TenantTopics tenants;
    private final Map<String, Map<String, Row>> rows = new HashMap<>();
    private final LinkedHashMap<String, Incident> incidents = new LinkedHashMap<>();
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final Map<String, Map<String, Deque<Dead>>> dead = new HashMap<>();
    /** Per tenant: dead letters per minute (epoch minute to count), the last 60 minutes seen. */
    private final Map<String, TreeMap<Long, Integer>> deadPerMinute = new HashMap<>();

    ConsoleFeed(DetectorConfig detectors, TenantTopics tenants) {
        this.detectors = detectors;
        this.tenants = tenants;
    }

    synchronized void alert(Alert a) {
        if (a == null || a.id() == null || a.type() == null || a.tenant() == null) {
            return;
        }
        Incident i = incidents.get(a.id());
        if (i == null) {
            i = new Incident(a);
            incidents.put(a.id(), i);
            if (incidents.size() > MAX_INCIDENTS) {
                Iterator<String> oldest = incidents.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        i.alerts.add(a);
        recent.addFirst(a);
        if (recent.size() > RECENT_ALERTS) {
            recent.removeLast();
        }
    }

    @SuppressWarnings("unchecked")
    synchronized void inventory(String key, Map<String, Object> record) {
        FunctionKey k;
        try {
            k = FunctionKey.parse(key);
        } catch (RuntimeException e) {
            return;
        }
        Map<String, Row> tenant = rows.computeIfAbsent(k.tenant(), t -> new HashMap<>());
        if (record == null) {
            tenant.remove(key); // a tombstone
            return;
        }
        Row old = tenant.get(key);
        Map<String, Object> merged = new LinkedHashMap<>(old == null ? Map.of() : old.inventory());
        record.forEach((f, v) -> {
            if (v != null) {
                merged.put(f, v);
            }
        });
        String runtime = merged.get("runtime") instanceof String r ? r : null;
        long last = millis(merged.get("lastInvoked"));
        List<String> warmup = merged.get("warmup") instanceof List<?> w
                ? (List<String>) w.stream().map(String::valueOf).toList()
                : List.of();
        tenant.put(key, new Row(k, key, merged, last, runtime, outdated(k, runtime), warmup));
    }

    synchronized void deadLetter(String recordKey, DeadLetter d) {
        if (d == null || d.reason() == null) {
            return;
        }
        String tenant = null;
        try {
            tenant = recordKey == null ? null : FunctionKey.parse(recordKey).tenant();
        } catch (RuntimeException notAFunction) {
            // a raw record's key: the tenant is the raw topic's
        }
        if (tenant == null && d.topic() != null && tenants.isRaw(d.topic())) {
            tenant = tenants.tenantOf(d.topic());
        }
        if (tenant == null) {
            return; // no tenant can be told: shown to no one
        }
        Deque<Dead> q =
                dead.computeIfAbsent(tenant, t -> new TreeMap<>()).computeIfAbsent(d.reason(), r -> new ArrayDeque<>());
        q.addFirst(new Dead(tenant, d));
        if (q.size() > DEAD_LETTERS_PER_REASON) {
            q.removeLast();
        }
        if (d.receivedAt() != null) {
            TreeMap<Long, Integer> perMinute = deadPerMinute.computeIfAbsent(tenant, t -> new TreeMap<>());
            perMinute.merge(d.receivedAt().toEpochMilli() / 60_000, 1, Integer::sum);
            while (perMinute.size() > 60) {
                perMinute.pollFirstEntry();
            }
        }
    }

    /** The tenant's functions (a copy the caller may change: a tenant with none gets an empty list, not List.of()). */
    synchronized List<Row> rows(String tenant) {
        Map<String, Row> t = rows.get(tenant);
        return t == null ? new ArrayList<>() : new ArrayList<>(t.values());
    }

    synchronized Row row(String key) {
        try {
            Map<String, Row> t = rows.get(FunctionKey.parse(key).tenant());
            return t == null ? null : t.get(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The tenant's incidents, newest first (copies of their alert lists). */
    synchronized List<Incident> incidents(String tenant) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if (tenant.equals(i.key.tenant())) {
                Incident copy = new Incident(i.first());
                copy.alerts.clear();
                copy.alerts.addAll(i.alerts);
                out.add(copy);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    synchronized List<Alert> recentAlerts(String tenant, int limit) {
        return recent.stream()
                .filter(a -> tenant.equals(a.tenant()))
                .limit(limit)
                .toList();
    }

    /** The tenant's latest dead letters by reason, newest first. */
    synchronized Map<String, List<Dead>> deadLetters(String tenant) {
        Map<String, List<Dead>> out = new TreeMap<>();
        dead.getOrDefault(tenant, Map.of()).forEach((reason, q) -> out.put(reason, new ArrayList<>(q)));
        return out;
    }

    synchronized Map<Long, Integer> deadLettersPerMinute(String tenant) {
        return new TreeMap<>(deadPerMinute.getOrDefault(tenant, new TreeMap<>()));
    }

    private boolean outdated(FunctionKey key, String runtime) {
        if (runtime == null) {
            return false;
        }
        StaleFunctionModel.Settings s = detectors.forFunction(key).of(StaleFunctionModel.SPEC);
        RuntimeLifecycle life = s == null ? null : s.deprecatedRuntimes().get(runtime);
        return life != null && life.deprecated() <= System.currentTimeMillis();
    }

    private static long millis(Object time) {
        if (time instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    static <T> List<T> page(Collection<T> all, int page, int size) {
        List<T> list = all instanceof List<T> l ? l : new ArrayList<>(all);
        int from = Math.min(list.size(), Math.max(0, page) * size);
        return list.subList(from, Math.min(list.size(), from + size));
    }
}
