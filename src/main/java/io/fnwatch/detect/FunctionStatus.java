package io.fnwatch.detect;

import io.fnwatch.model.Alert;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.FunctionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only picture of one function's detector state, for the {@code /functions/{key}} status page: its
 * baselines, which detectors are still warming up, when it was last seen and on which runtime, and its open
 * incidents with the ids their alerts carry. Building it never changes the state.
 */
public final class FunctionStatus {

    private FunctionStatus() {
    }

    public static Map<String, Object> of(FunctionKey key, FunctionState state, DetectorSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key.asString());
        m.put("tenant", key.tenant());
        m.put("provider", key.provider());
        m.put("account", FunctionKey.known(key.account()));
        m.put("region", FunctionKey.known(key.region()));
        m.put("function", key.function());
        m.put("lastSeen", time(state.watermark() == Long.MIN_VALUE ? -1 : state.watermark()));
        m.put("firstInvoked", time(state.stale().firstSeen()));
        m.put("lastInvoked", time(state.stale().lastInvoked()));
        m.put("runtime", state.stale().runtime());
        m.put("warmingUp", state.warmingUp(s));
        m.put("baselines", baselines(state, s));
        m.put("openIncidents", openIncidents(key, state, s));
        return m;
    }

    private static Map<String, Object> baselines(FunctionState state, DetectorSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.traffic() != null) {
            m.put("traffic", state.traffic().baseline(s.traffic()));
        }
        if (s.duration() != null) {
            m.put("duration", state.duration().baseline());
        }
        if (s.denials() != null) {
            m.put("permissionDenials", state.denials().baseline(s.denials()));
        }
        return m;
    }

    private static List<Map<String, Object>> openIncidents(FunctionKey key, FunctionState state,
            DetectorSettings s) {
        List<Map<String, Object>> out = new ArrayList<>();
        open(out, key, AlertType.TRAFFIC_SPIKE, s.traffic() == null ? -1 : state.traffic().openSince());
        open(out, key, AlertType.DURATION_ANOMALY, s.duration() == null ? -1 : state.duration().openSince());
        open(out, key, AlertType.PERMISSION_DENIED_BURST, s.denials() == null ? -1 : state.denials().openSince());
        return out;
    }

    /** The id is the one the incident's alerts carry, so a caller can find them on the alerts topic. */
    private static void open(List<Map<String, Object>> out, FunctionKey key, AlertType type, long since) {
        if (since < 0) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type.name());
        m.put("id", Alert.incidentId(type, key, since));
        m.put("since", time(since));
        out.add(m);
    }

    private static String time(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
