package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
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
 * <p>Rule: the window is the last {@code W} one-minute slots; with r the exponentially weighted denials per
 * minute (weight α, minutes of open incidents excluded), expected {@code E = r·W}, the window count
 * {@code k} is a burst when {@code k ≥ T = max(minDenials, ratio·E + z·√E)}. During warm-up the baseline
 * is unknown and only the floor {@code minDenials} applies — a burst of denials is suspicious on any
 * function. The incident resolves after {@code resolveMinutes} minutes below T.
 */
public final class DenialBurstModel {

    public record Settings(int windowMinutes, double alpha, int warmupMinutes, int minDenials, double ratio,
            double z, int resolveMinutes, long cooldownMs) {
    }

    private static final long MINUTE = 60_000L;
    private static final int MAX_SLOTS = 60;

    private long minute = -1;
    private final int[] slots = new int[MAX_SLOTS];
    private double rate;
    private long minutesSeen;
    private long firstSeen;
    private long lastSeen;
    private String recentAction;
    private String recentResource;
    private String recentPrincipal;
    private final Incident incident = new Incident();

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
        slots[(int) (minute % s.windowMinutes())]++;
        int k = windowCount(s);
        if (!incident.isOpen() && (firstSeen == 0 || t - firstSeen > s.windowMinutes() * MINUTE)) {
            firstSeen = t;
        }
        lastSeen = t;
        recentAction = e.action() != null ? e.action() : recentAction;
        recentResource = e.resource() != null ? e.resource() : recentResource;
        recentPrincipal = e.principal() != null ? e.principal() : recentPrincipal;
        double threshold = threshold(s);
        if (k >= threshold) {
            incident.observe(k);
            if (!incident.isOpen() && incident.anomalous(windowStart(s), t, k, 1, s.cooldownMs())) {
                emit(AlertState.OPEN, incident.openedAt(), t, k, threshold, s, out);
            }
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
            int k = windowCount(s);
            double threshold = threshold(s);
            if (k < threshold) {
                long resolved = incident.normal(now, s.resolveMinutes());
                if (resolved >= 0) {
                    emit(AlertState.RESOLVED, resolved, now, k, threshold, s, out);
                    firstSeen = 0;
                }
            }
            minutesSeen++;
        }
        long skipped = to - minute;
        if (skipped > 0) {
            rate *= Math.pow(1 - s.alpha(), skipped);
            minutesSeen += skipped;
            minute = to;
            Arrays.fill(slots, 0);
        }
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
        if (minutesSeen < s.warmupMinutes()) {
            return s.minDenials();
        }
        double expected = rate * s.windowMinutes();
        return Math.max(s.minDenials(), s.ratio() * expected + s.z() * Math.sqrt(expected));
    }

    private void emit(AlertState state, long start, long now, int k, double threshold, Settings s, Emitter out) {
        double expected = rate * s.windowMinutes();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("windowMinutes", s.windowMinutes());
        ev.put("deniedInWindow", k);
        ev.put("peakInWindow", (int) incident.peak());
        ev.put("baselinePerWindow", Scoring.round(expected));
        ev.put("warmingUp", minutesSeen < s.warmupMinutes());
        ev.put("recentAction", recentAction);
        ev.put("recentResource", recentResource);
        ev.put("recentPrincipal", recentPrincipal);
        ev.put("firstSeen", firstSeen > 0 ? Instant.ofEpochMilli(firstSeen).toString() : null);
        ev.put("lastSeen", lastSeen > 0 ? Instant.ofEpochMilli(lastSeen).toString() : null);
        String summary = state == AlertState.OPEN
                ? String.format("%s was denied %d times in %d min (usual %.1f), e.g. %s on %s.",
                        out.key().function(), k, s.windowMinutes(), expected, recentAction, recentResource)
                : String.format("%s permission denials are back to normal (peak %d in %d min).",
                        out.key().function(), (int) incident.peak(), s.windowMinutes());
        long end = (minute + 1) * MINUTE;
        out.emit(new Emitter.Draft(AlertType.PERMISSION_DENIED_BURST, state, start, start, end, now,
                Scoring.score(Math.max(k, incident.peak()), threshold), k, expected, threshold, summary, ev));
    }

    void write(DataOutput o) throws IOException {
        o.writeLong(minute);
        o.writeByte(MAX_SLOTS);
        for (int slot : slots) {
            o.writeInt(slot);
        }
        o.writeDouble(rate);
        o.writeLong(minutesSeen);
        o.writeLong(firstSeen);
        o.writeLong(lastSeen);
        o.writeUTF(recentAction == null ? "" : recentAction);
        o.writeUTF(recentResource == null ? "" : recentResource);
        o.writeUTF(recentPrincipal == null ? "" : recentPrincipal);
        incident.write(o);
    }

    void read(DataInput in) throws IOException {
        minute = in.readLong();
        int n = in.readByte();
        for (int i = 0; i < n; i++) {
            slots[i] = in.readInt();
        }
        rate = in.readDouble();
        minutesSeen = in.readLong();
        firstSeen = in.readLong();
        lastSeen = in.readLong();
        recentAction = emptyToNull(in.readUTF());
        recentResource = emptyToNull(in.readUTF());
        recentPrincipal = emptyToNull(in.readUTF());
        incident.read(in);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
