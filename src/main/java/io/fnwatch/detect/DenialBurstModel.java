package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Permission denials in a sliding window against the function's own denial rate, with an absolute floor.
 *
 * <p>Rule: the window is the last {@code W} one-minute slots; each denial adds 1, or {@code newActionWeight}
 * when the function was never denied that action before (a new action is what probing with stolen
 * credentials looks like). With r the exponentially weighted weight per minute (weight α; minutes of open
 * incidents excluded) and expected {@code E = r·W}, the window's weight k is a burst when
 * {@code k ≥ T = max(minDenials, ratio·E + z·√E)}. During warm-up only the floor applies: a burst of denials
 * is suspicious on any function. The incident resolves after {@code resolveMinutes} minutes below T.
 */
public final class DenialBurstModel implements Detector<DenialBurstModel.Settings> {

    public record Settings(
            int windowMinutes,
            double alpha,
            int warmupMinutes,
            int minDenials,
            double ratio,
            double z,
            int newActionWeight,
            int resolveMinutes,
            long cooldownMs) {}

    public static final DetectorSpec<Settings, DenialBurstModel> SPEC = DetectorSpec.of(
                    "permission-denied-burst", 3, DenialBurstModel::new, AlertType.PERMISSION_DENIED_BURST)
            .withParams(
                    Param.integer("windowMinutes", 1, 60, "length of the sliding window in minutes"),
                    Param.decimal("alpha", 0.00001, 1, "weight of the newest minute in the baseline rate"),
                    Param.integer("warmupMinutes", 0, 10_000_000, "minutes of history before the baseline counts"),
                    Param.integer(
                            "minDenials", 1, 1_000_000, "absolute floor: denials in the window that always alert"),
                    Param.decimal("ratio", 1, 10_000, "a burst is this multiple of the usual denials"),
                    Param.decimal("z", 0, 100, "plus this many Poisson standard deviations"),
                    Param.integer(
                            "newActionWeight", 1, 100, "a denial of an action never denied before counts this much"),
                    Param.integer("resolveMinutes", 1, 10_000, "minutes below the threshold before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withSettings(v -> new Settings(
                    v.integer("windowMinutes"),
                    v.decimal("alpha"),
                    v.integer("warmupMinutes"),
                    v.integer("minDenials"),
                    v.decimal("ratio"),
                    v.decimal("z"),
                    v.integer("newActionWeight"),
                    v.integer("resolveMinutes"),
                    v.millis("cooldown")));

    private static final long MINUTE = 60_000L;
    private static final int MAX_SLOTS = 60;
    private static final int KNOWN_ACTIONS = 8;

    private long minute = -1;
    private final int[] slots = new int[MAX_SLOTS];
    private final int[] known = new int[KNOWN_ACTIONS];
    private int knownNext;
    private double rate;
    private long minutesSeen;
    private long firstSeen;
    private long lastSeen;
    private int denied;
    private final TopCounts actions = new TopCounts(3);
    private final TopCounts resources = new TopCounts(3);
    private final TopCounts principals = new TopCounts(2);
    private final Incident incident = new Incident();

    @Override
    public boolean warmingUp(Settings s) {
        return minutesSeen < s.warmupMinutes();
    }

    /** Read-only baseline figures for the status page (no state changes). */
    public Map<String, Object> baseline(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deniedPerMinute", Scoring.round(rate));
        m.put("inWindow", windowCount(s));
        m.put("windowMinutes", s.windowMinutes());
        m.put("minutesSeen", minutesSeen);
        return m;
    }

    @Override
    public void describe(Settings s, Map<String, Object> baselines) {
        baselines.put("permissionDenials", baseline(s));
    }

    /** Start of the open incident, or -1. */
    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    /** The weighted denials of the minute starting at {@code minuteStart}, if it is the current one, else 0. */
    int denialsIn(long minuteStart, Settings s) {
        return minute >= 0 && minute * MINUTE == minuteStart ? slots[(int) (minute % s.windowMinutes())] : 0;
    }

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        long t = e.epochMillis();
        long m = Math.floorDiv(t, MINUTE);
        if (minute < 0) {
            minute = m;
        } else if (m > minute) {
            advance(m, t, s, out);
        }
        if (e.kind() != EventKind.PERMISSION_DENIED) {
            return;
        }
        slots[(int) (minute % s.windowMinutes())] += isNew(e.action()) ? s.newActionWeight() : 1;
        remember(e.action());
        if (firstSeen == 0) {
            firstSeen = t;
        }
        lastSeen = t;
        denied++;
        actions.add(e.action());
        resources.add(e.resource());
        principals.add(e.principal());
        int k = windowCount(s);
        double threshold = threshold(s);
        if (k < threshold) {
            return;
        }
        incident.observe(k);
        boolean opens = !incident.isOpen() && incident.anomalous(windowStart(s), t, k, 1, 1, s.cooldownMs());
        Severity severity = Severity.ofScore(Scoring.score(k, threshold));
        if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
            if (opens) {
                incident.severityRisesTo(severity);
            }
            emit(AlertState.OPEN, incident.openedAt(), t, k, threshold, s, out);
        }
    }

    /** While an incident is open, stream time closes its minutes so it resolves while the function is silent. */
    @Override
    public void advance(long now, Settings s, Emitter out) {
        long m = Math.floorDiv(now, MINUTE);
        if (minute >= 0 && m > minute) {
            advance(m, now, s, out);
        }
    }

    @Override
    public long deadline(Settings s) {
        return incident.isOpen() ? (minute + 1) * MINUTE : Long.MAX_VALUE;
    }

    private boolean isNew(String action) {
        if (action == null) {
            return false;
        }
        int h = action.hashCode() | 1;
        for (int k : known) {
            if (k == h) {
                return false;
            }
        }
        return true;
    }

    private void remember(String action) {
        if (action != null && isNew(action)) {
            known[knownNext] = action.hashCode() | 1;
            knownNext = (knownNext + 1) % KNOWN_ACTIONS;
        }
    }

    private void advance(long to, long now, Settings s, Emitter out) {
        long steps = Math.min(to - minute, s.windowMinutes() + (long) s.resolveMinutes() + 1);
        for (long i = 0; i < steps; i++) {
            int closing = slots[(int) (minute % s.windowMinutes())];
            if (!incident.isOpen()) {
                rate = minutesSeen == 0 ? closing : rate + s.alpha() * (closing - rate);
            }
            minute++;
            slots[(int) (minute % s.windowMinutes())] = 0;
            minutesSeen++;
            int k = windowCount(s);
            double threshold = threshold(s);
            if (k < threshold) {
                long resolved = incident.normal(now, s.resolveMinutes());
                if (resolved >= 0) {
                    emit(AlertState.RESOLVED, resolved, now, k, threshold, s, out);
                }
            }
            if (k == 0 && !incident.isOpen()) {
                resetEpisode();
            }
        }
        long skipped = to - minute;
        if (skipped > 0) {
            rate *= Math.pow(1 - s.alpha(), skipped);
            minutesSeen += skipped;
            minute = to;
            Arrays.fill(slots, 0);
        }
    }

    private void resetEpisode() {
        if (denied == 0 && firstSeen == 0) {
            return; // nothing to forget: every denial counts in denied, so the top lists are empty too
        }
        firstSeen = 0;
        denied = 0;
        actions.clear();
        resources.clear();
        principals.clear();
    }

    private int windowCount(Settings s) {
        int k = 0;
        for (int i = 0; i < s.windowMinutes(); i++) {
            k += slots[i];
        }
        return k;
    }

    private long windowStart(Settings s) {
        return (minute - s.windowMinutes() + 1) * MINUTE;
    }

    double threshold(Settings s) {
        if (warmingUp(s)) {
            return s.minDenials();
        }
        double expected = rate * s.windowMinutes();
        return Math.max(s.minDenials(), s.ratio() * expected + s.z() * Math.sqrt(expected));
    }

    private void emit(AlertState state, long start, long now, int k, double threshold, Settings s, Emitter out) {
        double expected = rate * s.windowMinutes();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("windowMinutes", s.windowMinutes());
        ev.put("weightInWindow", k);
        ev.put("deniedInEpisode", denied);
        ev.put("peakWeight", (int) incident.peak());
        ev.put("baselinePerWindow", Scoring.round(expected));
        ev.put("warmingUp", warmingUp(s));
        ev.put("topActions", actions.top());
        ev.put("topResources", resources.top());
        ev.put("topPrincipals", principals.top());
        ev.put("firstSeen", firstSeen > 0 ? Instant.ofEpochMilli(firstSeen).toString() : null);
        ev.put("lastSeen", lastSeen > 0 ? Instant.ofEpochMilli(lastSeen).toString() : null);
        String summary = state == AlertState.OPEN
                ? String.format(
                        "%s was denied %d times since %s (weight %d in %d min, usual %.1f), mostly %s on %s.",
                        out.key().function(),
                        denied,
                        Instant.ofEpochMilli(firstSeen),
                        k,
                        s.windowMinutes(),
                        expected,
                        actions.first(),
                        resources.first())
                : String.format(
                        "%s permission denials are back to normal (%d denials, peak weight %d in %d min).",
                        out.key().function(), denied, (int) incident.peak(), s.windowMinutes());
        out.emit(new Emitter.Draft(
                AlertType.PERMISSION_DENIED_BURST,
                state,
                start,
                start,
                (minute + 1) * MINUTE,
                now,
                Scoring.score(Math.max(k, incident.peak()), threshold),
                k,
                expected,
                threshold,
                summary,
                ev));
        if (state == AlertState.RESOLVED) {
            resetEpisode();
        }
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(minute);
        o.writeByte(MAX_SLOTS);
        for (int slot : slots) {
            o.writeShort(Math.min(slot, Short.MAX_VALUE));
        }
        for (int k : known) {
            o.writeInt(k);
        }
        o.writeByte(knownNext);
        o.writeDouble(rate);
        o.writeLong(minutesSeen);
        o.writeLong(firstSeen);
        o.writeLong(lastSeen);
        o.writeInt(denied);
        actions.write(o);
        resources.write(o);
        principals.write(o);
        incident.write(o);
    }

    @Override
    public void read(DataInput in) throws IOException {
        minute = in.readLong();
        int n = in.readByte();
        for (int i = 0; i < n; i++) {
            slots[i] = in.readShort();
        }
        for (int i = 0; i < KNOWN_ACTIONS; i++) {
            known[i] = in.readInt();
        }
        knownNext = in.readByte();
        rate = in.readDouble();
        minutesSeen = in.readLong();
        firstSeen = in.readLong();
        lastSeen = in.readLong();
        denied = in.readInt();
        actions.read(in);
        resources.read(in);
        principals.read(in);
        incident.read(in);
    }
}
