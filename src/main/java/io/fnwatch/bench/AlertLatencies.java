package io.fnwatch.bench;

import io.fnwatch.model.AlertType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches alerts to the incidents of {@code bench latency}. Each incident has its own function, so an alert
 * belongs to the incident of its function and type; the first one counts (an escalation of the same incident
 * is not a second detection) and its delay is the time from the completing record's {@code send()} to the
 * alert being read. Called from the producer and the alert reader threads.
 */
final class AlertLatencies {

    private final Map<String, Long> sentAt = new HashMap<>();
    private final java.util.Set<String> matched = new java.util.HashSet<>();
    private final Map<AlertType, List<Long>> delays = new EnumMap<>(AlertType.class);
    private int early;
    private int repeats;
    private int other;

    private static String id(String function, AlertType type) {
        return type + "/" + function;
    }

    /** The completing record of the incident on {@code function} is being sent at {@code nanos}. */
    synchronized void sent(String function, AlertType type, long nanos) {
        sentAt.put(id(function, type), nanos);
    }

    /**
     * An OPEN alert was read at {@code nanos}. Returns its delay in nanoseconds when it is the first for its
     * incident, else -1: a repeat, an alert of no incident, or one read before its completing record was sent.
     */
    synchronized long received(String function, AlertType type, long nanos) {
        String id = id(function, type);
        Long sent = sentAt.remove(id);
        if (sent == null) {
            if (matched.contains(id)) {
                repeats++;
            } else if (function.startsWith(LatencyIncidents.PREFIX)) {
                early++;
            } else {
                other++;
            }
            return -1;
        }
        matched.add(id);
        long d = nanos - sent;
        delays.computeIfAbsent(type, t -> new ArrayList<>()).add(d);
        return d;
    }

    /** Incidents whose completing record was sent and whose alert has not been read yet. */
    synchronized int pending() {
        return sentAt.size();
    }

    /** Alerts of no incident: those of the background functions. */
    synchronized int otherAlerts() {
        return other;
    }

    /** Further OPEN alerts of an incident already detected (a severity escalation). */
    synchronized int repeats() {
        return repeats;
    }

    /** Incident alerts read before their completing record was sent: the plan is wrong if this is not 0. */
    synchronized int earlyAlerts() {
        return early;
    }

    /** Delays in nanoseconds, by alert type, in the order they were read. */
    synchronized Map<AlertType, long[]> delays() {
        Map<AlertType, long[]> out = new LinkedHashMap<>();
        delays.forEach(
                (t, d) -> out.put(t, d.stream().mapToLong(Long::longValue).toArray()));
        return out;
    }

    /**
     * The q-quantile (0 &lt; q ≤ 1) by the nearest-rank method: the smallest value with at least q of all values
     * at or below it. NaN for no values.
     */
    static double percentile(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
