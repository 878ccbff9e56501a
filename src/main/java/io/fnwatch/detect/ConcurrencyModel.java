package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.EventKind;
import io.fnwatch.model.FunctionEvent;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Concurrent executions of one function, estimated from its invocation intervals, against its reserved
 * concurrency; and the per-slice figures its account's aggregation ({@link AccountConcurrency}) sums.
 *
 * <p>Estimate: an INVOCATION event at time {@code t} ran over {@code [t − d, t)} with {@code d = duration + init
 * duration} (NaN, negative or missing parts count 0, each part is capped at 1 h, and every invocation occupies at
 * least 1 ms). Its overlap with each 10-second sub-slice is added to that sub-slice's busy time {@code B_j}
 * (whole milliseconds). A slice of length {@code L = slice} (a multiple of 10 s) closes when the function's
 * stream time reaches its end plus {@code hold}; over it {@code mean = ΣB_j / L} and {@code peak = max_j B_j / 10 s}
 * (the busiest 10 seconds). The part of an interval before the oldest open slice (an invocation longer than
 * {@code slice + hold}, or a late event within the grace) is spread over that oldest open slice instead of lost:
 * busy time is conserved and, in steady state, the slice's mean is still right (Little's law).
 *
 * <p>Rule: with {@code R = reservedConcurrency} (the setting, else the inventory's {@code reservedConcurrency},
 * else no rule), a closed slice with {@code peak ≥ share · R} opens one CONCURRENCY_NEAR_LIMIT incident (one
 * update if its severity rises); it resolves after {@code resolveSlices} closed slices below, and none opens
 * within {@code cooldown} of resolving. Every closed slice whose mean is at least {@code activeConcurrency} also
 * goes to the account aggregation as one {@link ConcurrencySlice} ({@link Emitter#emitSlice}); the account
 * settings ({@code accountLimit}, {@code accountShare}, {@code accountWait}, the {@code accountLimits} table) are
 * read there. Leaving out the slices below that floor (0.05 by default: less than 3 busy seconds a minute) keeps
 * the account topic at one record per busy function per slice, and costs the account's sum less than
 * {@code activeConcurrency} per function left out (5 % of the default limit for 1,000 such functions).
 *
 * <p>Cost: a few integer additions per invocation (its 10-second sub-slices), no allocation. Slices close on
 * the function's own events; a tick is asked for ({@link #deadline}) only while its incident is open, so that
 * it resolves while the function is silent. The last slice of a function that stops is therefore sent at its
 * next event, and counted by the account if that comes within the late grace.
 */
public final class ConcurrencyModel implements Detector<ConcurrencyModel.Settings> {

    /** Account limits by {@code account/region} or {@code account}. */
    public record Settings(
            long sliceMs,
            long holdMs,
            double share,
            int reservedConcurrency,
            int accountLimit,
            double accountShare,
            long accountWaitMs,
            double activeConcurrency,
            int resolveSlices,
            long cooldownMs,
            Map<String, Integer> accountLimits) {

        /** The account limit that applies and where it comes from. */
        public Limit limitFor(String account, String region) {
            Integer l = accountLimits.get(account + "/" + region);
            if (l != null) {
                return new Limit(l, "accountLimits[" + account + "/" + region + "]");
            }
            l = accountLimits.get(account);
            if (l != null) {
                return new Limit(l, "accountLimits[" + account + "]");
            }
            return new Limit(accountLimit, "accountLimit");
        }
    }

    /** A concurrency limit and the setting it was read from. */
    public record Limit(int value, String source) {}

    public static final DetectorSpec<Settings, ConcurrencyModel> SPEC = DetectorSpec.of(
                    "concurrency", 8, ConcurrencyModel::new, AlertType.CONCURRENCY_NEAR_LIMIT)
            .withParams(
                    Param.duration("slice", "10s", "2m", "concurrency is judged per slice (a multiple of 10s)"),
                    Param.duration("hold", "0s", "1m", "a slice closes this long after its end (late REPORT lines)"),
                    Param.decimal(
                            "share", 0.01, 1, "alert when the peak reaches this share of the reserved concurrency"),
                    Param.integer(
                            "reservedConcurrency",
                            0,
                            10_000_000,
                            "the function's reserved concurrency (0: the inventory's, or no per-function rule)"),
                    Param.integer("accountLimit", 1, 10_000_000, "concurrent executions an account allows per region"),
                    Param.decimal(
                            "accountShare", 0.01, 1, "alert when an account's peak reaches this share of its limit"),
                    Param.duration("accountWait", "0s", "10m", "an account's slice is closed this long after its end"),
                    Param.decimal(
                            "activeConcurrency",
                            0,
                            1_000_000,
                            "slices below this mean are not sent to the account sum"),
                    Param.integer("resolveSlices", 1, 10_000, "slices below the threshold before RESOLVED"),
                    Param.duration("cooldown", "0s", "7d", "no new incident this soon after one resolved"))
            .withTable(new DetectorSpec.Table(
                    "accountLimits",
                    "account id, or account/region, to its concurrency limit (else accountLimit)",
                    ConcurrencyModel::readLimits))
            .withCheck(ConcurrencyModel::checkSlice)
            .withSettings(v -> new Settings(
                    v.millis("slice"),
                    v.millis("hold"),
                    v.decimal("share"),
                    v.integer("reservedConcurrency"),
                    v.integer("accountLimit"),
                    v.decimal("accountShare"),
                    v.millis("accountWait"),
                    v.decimal("activeConcurrency"),
                    v.integer("resolveSlices"),
                    v.millis("cooldown"),
                    v.table("accountLimits")));

    /** Sub-slice length: peaks are the busiest sub-slice. */
    public static final long SUB = 10_000L;
    /** Sub-slices the ring holds: {@code slice + hold} must fit (150 s). */
    static final int RING = 16;
    /** Longest duration or init duration believed (Cloud Run and Azure allow an hour; Lambda 15 minutes). */
    static final double MAX_PART_MS = 3_600_000;

    private static final long NONE = Long.MIN_VALUE;

    private long latest = Long.MIN_VALUE;
    /** Start of the oldest slice not closed that may hold busy time, or {@link #NONE}. */
    private long open = NONE;
    /** End of the last closed slice (Long.MIN_VALUE: none). */
    private long closedTo = Long.MIN_VALUE;
    /** Busy milliseconds per sub-slice, at floorMod(sub, RING). */
    private final int[] ring = new int[RING];
    /** Sum of {@link #ring} (not stored: recomputed on read). */
    private long pending;
    /** Reserved concurrency from the inventory (0: unknown). */
    private int seeded;

    private final Incident incident = new Incident();

    private static void checkSlice(DetectorSpec.Values v, String where, List<String> problems) {
        if (v.has("slice") && v.millis("slice") % SUB != 0) {
            problems.add(where + ": slice must be a multiple of 10s");
        }
        if (v.has("slice") && v.has("hold") && v.millis("slice") + v.millis("hold") > (RING - 1) * SUB) {
            problems.add(where + ": slice + hold must not exceed " + (RING - 1) * SUB / 1000 + "s");
        }
    }

    private static Map<String, Integer> readLimits(Object raw, String where, List<String> problems) {
        Map<String, Integer> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(where + ": must be a mapping of account (or account/region) to a limit");
            return out;
        }
        m.forEach((k, v) -> {
            if (v instanceof Number n
                    && n.doubleValue() >= 1
                    && n.doubleValue() <= 10_000_000
                    && n.intValue() == n.doubleValue()) {
                out.put(String.valueOf(k), n.intValue());
            } else {
                problems.add(where + ": " + k + " = '" + v + "' is not a limit between 1 and 10000000");
            }
        });
        return out;
    }

    /** The reserved concurrency the inventory reports (0 or less: unknown); true when it changed. */
    public boolean seedReserved(int reserved) {
        int r = Math.max(0, reserved);
        if (r == seeded) {
            return false;
        }
        seeded = r;
        return true;
    }

    @Override
    public long openSince() {
        return incident.isOpen() ? incident.openedAt() : -1;
    }

    @Override
    public void onEvent(FunctionEvent e, Settings s, Emitter out) {
        long t = e.epochMillis();
        if (t > latest) {
            latest = t;
            if (deadline(s) <= t || (open != NONE && open + s.sliceMs() + s.holdMs() <= t)) {
                close(t, s, out);
            }
        }
        if (e.kind() != EventKind.INVOCATION) {
            return;
        }
        long d = (long) Math.ceil(part(e.durationMs()) + part(e.initDurationMs()));
        add(t - Math.max(1, d), t, s);
    }

    /** A duration part in ms: NaN, negative, infinite or missing count 0, anything else at most an hour. */
    static double part(Double ms) {
        if (ms == null || !(ms > 0)) {
            return 0;
        }
        return Math.min(ms, MAX_PART_MS);
    }

    /** Adds the interval {@code [start, end)} (end ≤ latest) to the open sub-slices. */
    private void add(long start, long end, Settings s) {
        long oldest = Math.floorDiv(latest - s.holdMs(), s.sliceMs()) * s.sliceMs();
        if (closedTo != Long.MIN_VALUE) {
            oldest = Math.max(oldest, closedTo);
        }
        long lo = Math.max(start, oldest);
        long first = Math.floorDiv(Math.min(lo, end - 1), s.sliceMs()) * s.sliceMs();
        if (end > lo) {
            for (long k = Math.floorDiv(lo, SUB); k * SUB < end; k++) {
                long overlap = Math.min(end, (k + 1) * SUB) - Math.max(lo, k * SUB);
                put(k, overlap);
            }
        }
        long before = Math.min(end, oldest) - start;
        if (before > 0) { // carried into the oldest open slice, spread over its sub-slices
            int n = (int) (s.sliceMs() / SUB);
            long k0 = Math.floorDiv(oldest, SUB);
            long each = before / n;
            put(k0, each + before % n);
            for (int i = 1; i < n; i++) {
                put(k0 + i, each);
            }
            first = oldest;
        }
        open = open == NONE ? first : Math.min(open, first);
    }

    private void put(long sub, long ms) {
        int i = (int) Math.floorMod(sub, (long) RING);
        int was = ring[i];
        ring[i] = (int) Math.min(Integer.MAX_VALUE, was + ms);
        pending += ring[i] - was;
    }

    @Override
    public void advance(long now, Settings s, Emitter out) {
        close(now, s, out);
    }

    @Override
    public long deadline(Settings s) {
        if (!incident.isOpen()) {
            return Long.MAX_VALUE; // slices close on the function's own events
        }
        if (open != NONE) {
            return open + s.sliceMs() + s.holdMs();
        }
        if (closedTo != Long.MIN_VALUE) {
            return closedTo + s.sliceMs() + s.holdMs();
        }
        return Long.MAX_VALUE;
    }

    /** Closes every slice whose end plus the hold is at or before {@code now}, oldest first. */
    private void close(long now, Settings s, Emitter out) {
        long a = open != NONE ? open : incident.isOpen() && closedTo != Long.MIN_VALUE ? closedTo : NONE;
        if (a == NONE) {
            return;
        }
        int n = (int) (s.sliceMs() / SUB);
        int idle = 0;
        while (a + s.sliceMs() + s.holdMs() <= now) {
            long total = 0;
            int peakMs = 0;
            double[] busy = null;
            for (int i = 0; i < n; i++) {
                int slot = (int) Math.floorMod(Math.floorDiv(a, SUB) + i, (long) RING);
                int b = ring[slot];
                if (b > 0) {
                    if (busy == null) {
                        busy = new double[n];
                    }
                    busy[i] = b;
                    total += b;
                    peakMs = Math.max(peakMs, b);
                    ring[slot] = 0;
                }
            }
            pending -= total;
            if (busy != null && total >= s.activeConcurrency() * s.sliceMs()) {
                FunctionKey k = out.key();
                out.emitSlice(new ConcurrencySlice(
                        k.tenant(),
                        k.provider(),
                        k.account(),
                        k.region(),
                        k.function(),
                        a,
                        s.sliceMs(),
                        SUB,
                        busy,
                        now));
            }
            judge(a, now, peakMs / (double) SUB, total / (double) s.sliceMs(), s, out);
            closedTo = a + s.sliceMs();
            a += s.sliceMs();
            if (pending <= 0) {
                pending = 0;
                if (!incident.isOpen() || ++idle > s.resolveSlices()) {
                    break; // nothing left to close or to judge
                }
            }
        }
        open = pending > 0 ? a : NONE;
    }

    private Limit limit(Settings s) {
        if (s.reservedConcurrency() > 0) {
            return new Limit(s.reservedConcurrency(), "reservedConcurrency");
        }
        return seeded > 0 ? new Limit(seeded, "inventory") : null;
    }

    private void judge(long a, long now, double peak, double mean, Settings s, Emitter out) {
        int limit = s.reservedConcurrency() > 0 ? s.reservedConcurrency() : seeded;
        double threshold = s.share() * limit;
        if (limit > 0 && peak >= threshold) {
            incident.nextBucket();
            boolean opens = incident.anomalous(a, now, peak, 1, 1, s.cooldownMs());
            Severity severity = Severity.ofScore(Scoring.score(peak, threshold));
            if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
                if (opens) {
                    incident.severityRisesTo(severity);
                }
                emit(AlertState.OPEN, incident.openedAt(), a, now, peak, mean, threshold, s, out);
            }
            return;
        }
        long resolved = incident.normal(now, s.resolveSlices());
        if (resolved >= 0) {
            emit(AlertState.RESOLVED, resolved, a, now, peak, mean, threshold, s, out);
        }
    }

    private void emit(
            AlertState state,
            long start,
            long slice,
            long now,
            double peak,
            double mean,
            double threshold,
            Settings s,
            Emitter out) {
        Limit l = limit(s);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("peakConcurrency", Scoring.round(peak));
        ev.put("meanConcurrency", Scoring.round(mean));
        ev.put("incidentPeak", Scoring.round(incident.peak()));
        ev.put("limit", l == null ? null : l.value());
        ev.put("limitSource", l == null ? null : l.source());
        ev.put("share", s.share());
        ev.put("sliceSeconds", s.sliceMs() / 1000);
        String fn = out.key().function();
        String summary = state == AlertState.OPEN
                ? String.format(
                        "%s ran %.0f executions at once (mean %.1f over %ds), %.0f%% of its reserved concurrency %s.",
                        fn,
                        peak,
                        mean,
                        s.sliceMs() / 1000,
                        l == null ? 0 : 100 * peak / l.value(),
                        l == null ? "?" : String.valueOf(l.value()))
                : String.format(
                        "%s concurrency is back below %.0f%% of its reserved concurrency (peak was %.0f).",
                        fn, 100 * s.share(), incident.peak());
        out.emit(new Emitter.Draft(
                AlertType.CONCURRENCY_NEAR_LIMIT,
                state,
                start,
                start,
                slice + s.sliceMs(),
                now,
                Scoring.score(Math.max(peak, incident.peak()), threshold),
                peak,
                l == null ? 0 : l.value(),
                threshold,
                summary,
                ev));
    }

    @Override
    public void write(DataOutput o) throws IOException {
        o.writeLong(latest);
        o.writeLong(open);
        o.writeLong(closedTo);
        o.writeInt(seeded);
        incident.write(o);
        // only the sub-slices from the open slice's first to the last that holds busy time
        int n = 0;
        for (int i = 0; open != NONE && i < RING; i++) {
            if (ring[(int) Math.floorMod(Math.floorDiv(open, SUB) + i, (long) RING)] != 0) {
                n = i + 1;
            }
        }
        o.writeByte(n);
        for (int i = 0; i < n; i++) {
            o.writeInt(ring[(int) Math.floorMod(Math.floorDiv(open, SUB) + i, (long) RING)]);
        }
    }

    @Override
    public void read(DataInput in) throws IOException {
        latest = in.readLong();
        open = in.readLong();
        closedTo = in.readLong();
        seeded = in.readInt();
        incident.read(in);
        int n = in.readUnsignedByte();
        if (n > RING) {
            throw new IOException("concurrency state holds " + n + " sub-slices, at most " + RING);
        }
        java.util.Arrays.fill(ring, 0);
        pending = 0;
        for (int i = 0; i < n; i++) {
            int b = in.readInt();
            ring[(int) Math.floorMod(Math.floorDiv(open, SUB) + i, (long) RING)] = b;
            pending += b;
        }
    }
}
