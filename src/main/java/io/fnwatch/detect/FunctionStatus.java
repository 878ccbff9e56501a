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

    private FunctionStatus() {}

    public static Map<String, Object> of(FunctionKey key, FunctionState state, DetectorSettings s) {
        StaleFunctionModel stale = state.model(StaleFunctionModel.SPEC);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key.asString());
        m.put("tenant", key.tenant());
        m.put("provider", key.provider());
        m.put("account", FunctionKey.known(key.account()));
        m.put("region", FunctionKey.known(key.region()));
        m.put("function", key.function());
        m.put("lastSeen", time(state.watermark() == Long.MIN_VALUE ? -1 : state.watermark()));
        m.put("firstInvoked", time(stale == null ? -1 : stale.firstSeen()));
        m.put("lastInvoked", time(stale == null ? -1 : stale.lastInvoked()));
        m.put("runtime", stale == null ? null : stale.runtime());
        m.put("warmingUp", state.warmingUp(s));
        m.put("baselines", baselines(state, s));
        m.put("openIncidents", openIncidents(key, state, s));
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> baselines(FunctionState state, DetectorSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < state.registry().size(); i++) {
            if (s.at(i) != null) {
                ((Detector) state.model(i)).describe(s.at(i), m);
            }
        }
        return m;
    }

    private static List<Map<String, Object>> openIncidents(FunctionKey key, FunctionState state, DetectorSettings s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < state.registry().size(); i++) {
            if (s.at(i) != null) {
                open(
                        out,
                        key,
                        state.registry().get(i).types().get(0),
                        state.model(i).openSince());
            }
        }
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
