package io.fnwatch.detect;

import io.fnwatch.model.AlertState;
import io.fnwatch.model.AlertType;
import io.fnwatch.model.ConcurrencySlice;
import io.fnwatch.model.FunctionKey;
import io.fnwatch.model.Severity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The concurrency of one account in one region (of one tenant and provider): the sum of its functions'
 * {@link ConcurrencySlice}s per slice, against the account's limit.
 *
 * <p>Rule: for slice {@code a}, {@code C_j = Σ_functions B_fj / 10 s} per 10-second sub-slice {@code j};
 * {@code peak = max_j C_j}, {@code mean = Σ_j C_j / n}. With {@code A} the account's limit ({@code accountLimits}
 * by {@code account/region}, then by {@code account}, else {@code accountLimit}), {@code peak ≥ accountShare · A}
 * opens one CONCURRENCY_NEAR_LIMIT incident for the account (alert function {@code "*"}), updated once if its
 * severity rises; it resolves after {@code resolveSlices} closed slices below, and none opens within
 * {@code cooldown} of resolving.
 *
 * <p>Time: the aggregation's clock is the largest {@code closedAt} of the slices it received (event time, kept
 * with its state), never the wall clock. Busy time only adds up, so a slice that reaches the threshold stays
 * above it whatever order its records arrive in: the incident opens on the record that takes the sum over (the
 * same record after any replay of the partition). A slice counts as normal, towards RESOLVED, only once it is
 * closed: the clock is {@code accountWait} past its end. Records of a slice still arrive within the late grace
 * (bounded by the {@value #SLICES} slices kept) and are added, opening or re-opening as they would have; older
 * ones are dropped.
 */
public final class AccountConcurrency {

    /** Slices kept per account (late records for older ones are dropped). */
    static final int SLICES = 8;
    /** Functions listed as top contributors per slice. */
    static final int TOP = 3;

    // unknown until the first slice names them: a fresh aggregation can be written like any other
    private String tenant = FunctionKey.UNKNOWN;
    private String provider = FunctionKey.UNKNOWN;
    private String account = FunctionKey.UNKNOWN;
    private String region = FunctionKey.UNKNOWN;
    /** End of the last slice judged closed (Long.MIN_VALUE: none yet). */
    private long judgedTo = Long.MIN_VALUE;

    private final long[] starts = new long[SLICES];
    private final double[][] busy = new double[SLICES][];
    private final int[] functions = new int[SLICES];
    private final String[][] topNames = new String[SLICES][TOP];
    private final double[][] topBusy = new double[SLICES][TOP];
    private final Incident incident = new Incident();

    public AccountConcurrency() {
        Arrays.fill(starts, Long.MIN_VALUE);
    }

    /** The alert identity of the account: its function is {@code "*"}. */
    public FunctionKey key() {
        return new FunctionKey(tenant, provider, account, region, "*");
    }

    public boolean isOpen() {
        return incident.isOpen();
    }

    /**
     * Adds one function's slice at clock {@code clock} (already including this record).
     *
     * @return false when the record was dropped (too late, or of another slice length)
     */
    public boolean add(ConcurrencySlice r, ConcurrencyModel.Settings s, long graceMs, long clock, Emitter out) {
        tenant = part(r.tenant());
        provider = part(r.provider());
        account = part(r.account());
        region = part(r.region());
        int n = (int) (s.sliceMs() / ConcurrencyModel.SUB);
        if (r.sliceMs() != s.sliceMs()
                || r.subMs() != ConcurrencyModel.SUB
                || r.busyMs() == null
                || r.busyMs().length != n
                || Math.floorMod(r.sliceStart(), s.sliceMs()) != 0) {
            return false;
        }
        long a = r.sliceStart();
        if (a + s.sliceMs() + graceMs < clock) {
            return false; // later than the grace
        }
        int i = (int) Math.floorMod(Math.floorDiv(a, s.sliceMs()), (long) SLICES);
        if (starts[i] != a) {
            if (starts[i] != Long.MIN_VALUE && starts[i] > a) {
                return false; // older than the slices kept
            }
            // what it replaces is SLICES slices older: its anomaly took effect when it was added, and a slice no
            // longer held counts as normal when close() reaches it
            starts[i] = a;
            busy[i] = new double[n];
            functions[i] = 0;
            Arrays.fill(topNames[i], null);
            Arrays.fill(topBusy[i], 0);
        }
        if (judgedTo == Long.MIN_VALUE) {
            judgedTo = a;
        }
        double total = 0;
        for (int j = 0; j < n; j++) {
            double b = r.busyMs()[j];
            if (b > 0 && Double.isFinite(b)) {
                busy[i][j] += Math.min(b, ConcurrencyModel.SUB * 10_000_000.0);
                total += b;
            }
        }
        functions[i]++;
        top(i, r.function(), total);
        double peak = peak(i);
        ConcurrencyModel.Limit limit = s.limitFor(account, region);
        double threshold = s.accountShare() * limit.value();
        if (peak >= threshold) {
            incident.nextBucket();
            long now = Math.max(clock, r.closedAt());
            boolean opens = incident.anomalous(a, now, peak, 1, 1, s.cooldownMs());
            Severity severity = Severity.ofScore(Scoring.score(peak, threshold));
            if (opens | (incident.isOpen() && incident.severityRisesTo(severity))) {
                if (opens) {
                    incident.severityRisesTo(severity);
                }
                emit(AlertState.OPEN, incident.openedAt(), i, now, threshold, limit, s, out);
            }
        }
        return true;
    }

    /** Judges, oldest first, every slice that the clock has closed ({@code accountWait} past its end). */
    public void close(long clock, ConcurrencyModel.Settings s, Emitter out) {
        if (judgedTo == Long.MIN_VALUE) {
            return;
        }
        long last = Math.floorDiv(clock - s.accountWaitMs() - s.sliceMs(), s.sliceMs()) * s.sliceMs();
        ConcurrencyModel.Limit limit = s.limitFor(account, region);
        double threshold = s.accountShare() * limit.value();
        int steps = 0;
        for (long a = judgedTo; a <= last && steps <= SLICES + s.resolveSlices(); a += s.sliceMs(), steps++) {
            int i = (int) Math.floorMod(Math.floorDiv(a, s.sliceMs()), (long) SLICES);
            boolean held = starts[i] == a;
            double peak = held ? peak(i) : 0;
            if (peak < threshold) {
                long resolved = incident.normal(clock, s.resolveSlices());
                if (resolved >= 0) {
                    emit(AlertState.RESOLVED, resolved, held ? i : -1, clock, threshold, limit, s, out);
                }
            }
        }
        judgedTo = Math.max(judgedTo, last + s.sliceMs());
    }

    /** True when nothing is held that a later clock could still judge: the account's state can be dropped. */
    public boolean idle(long clock, ConcurrencyModel.Settings s, long graceMs) {
        if (incident.isOpen()
                || incident.resolvedAt() != Long.MIN_VALUE && clock - incident.resolvedAt() < s.cooldownMs()) {
            return false;
        }
        for (long start : starts) {
            if (start != Long.MIN_VALUE && start + s.sliceMs() + Math.max(graceMs, s.accountWaitMs()) >= clock) {
                return false;
            }
        }
        return true;
    }

    private static String part(String s) {
        return s == null || s.isEmpty() ? FunctionKey.UNKNOWN : s;
    }

    private double peak(int i) {
        double max = 0;
        for (double b : busy[i]) {
            max = Math.max(max, b);
        }
        return max / ConcurrencyModel.SUB;
    }

    private double mean(int i) {
        double sum = 0;
        for (double b : busy[i]) {
            sum += b;
        }
        return sum / (busy[i].length * (double) ConcurrencyModel.SUB);
    }

    /** Keeps the {@value #TOP} functions with the most busy time in slice {@code i} (a function sends one record). */
    private void top(int i, String function, double total) {
        String[] names = topNames[i];
        double[] values = topBusy[i];
        int at = TOP;
        while (at > 0 && (names[at - 1] == null || values[at - 1] < total)) {
            at--;
        }
        if (at >= TOP) {
            return;
        }
        for (int k = TOP - 1; k > at; k--) {
            names[k] = names[k - 1];
            values[k] = values[k - 1];
        }
        names[at] = function;
        values[at] = total;
    }

    private void emit(
            AlertState state,
            long start,
            int i,
            long now,
            double threshold,
            ConcurrencyModel.Limit limit,
            ConcurrencyModel.Settings s,
            Emitter out) {
        double peak = i < 0 ? 0 : peak(i);
        double mean = i < 0 ? 0 : mean(i);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("peakConcurrency", Scoring.round(peak));
        ev.put("meanConcurrency", Scoring.round(mean));
        ev.put("incidentPeak", Scoring.round(incident.peak()));
        ev.put("limit", limit.value());
        ev.put("limitSource", limit.source());
        ev.put("share", s.accountShare());
        ev.put("sliceSeconds", s.sliceMs() / 1000);
        ev.put("functionsInSlice", i < 0 ? 0 : functions[i]);
        List<Map<String, Object>> top = new ArrayList<>();
        for (int k = 0; i >= 0 && k < TOP && topNames[i][k] != null; k++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("function", topNames[i][k]);
            f.put("meanConcurrency", Scoring.round(topBusy[i][k] / s.sliceMs()));
            top.add(f);
        }
        ev.put("topFunctions", top);
        String where = FunctionKey.known(account) + " " + FunctionKey.known(region);
        String summary = state == AlertState.OPEN
                ? String.format(
                        "Account %s ran %.0f executions at once (mean %.1f), %.0f%% of its limit %d (%s); most from %s.",
                        where,
                        peak,
                        mean,
                        100 * peak / limit.value(),
                        limit.value(),
                        limit.source(),
                        top.isEmpty() ? "?" : top.get(0).get("function"))
                : String.format(
                        "Account %s concurrency is back below %.0f%% of its limit %d (peak was %.0f).",
                        where, 100 * s.accountShare(), limit.value(), incident.peak());
        long sliceStart = i < 0 ? start : starts[i];
        out.emit(new Emitter.Draft(
                AlertType.CONCURRENCY_NEAR_LIMIT,
                state,
                start,
                start,
                sliceStart + s.sliceMs(),
                now,
                Scoring.score(Math.max(peak, incident.peak()), threshold),
                peak,
                limit.value(),
                threshold,
                summary,
                ev));
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.writeByte(1);
            o.writeUTF(tenant);
            o.writeUTF(provider);
            o.writeUTF(account);
            o.writeUTF(region);
            o.writeLong(judgedTo);
            incident.write(o);
            for (int i = 0; i < SLICES; i++) {
                o.writeLong(starts[i]);
                if (starts[i] == Long.MIN_VALUE) {
                    continue;
                }
                o.writeByte(busy[i].length);
                for (double b : busy[i]) {
                    o.writeDouble(b);
                }
                o.writeInt(functions[i]);
                for (int k = 0; k < TOP; k++) {
                    o.writeUTF(topNames[i][k] == null ? "" : topNames[i][k]);
                    o.writeDouble(topBusy[i][k]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static AccountConcurrency fromBytes(byte[] data) {
        AccountConcurrency a = new AccountConcurrency();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != 1) {
                return a; // another layout: relearned
            }
            a.tenant = in.readUTF();
            a.provider = in.readUTF();
            a.account = in.readUTF();
            a.region = in.readUTF();
            a.judgedTo = in.readLong();
            a.incident.read(in);
            for (int i = 0; i < SLICES; i++) {
                a.starts[i] = in.readLong();
                if (a.starts[i] == Long.MIN_VALUE) {
                    continue;
                }
                a.busy[i] = new double[in.readUnsignedByte()];
                for (int j = 0; j < a.busy[i].length; j++) {
                    a.busy[i][j] = in.readDouble();
                }
                a.functions[i] = in.readInt();
                for (int k = 0; k < TOP; k++) {
                    String name = in.readUTF();
                    a.topNames[i][k] = name.isEmpty() ? null : name;
                    a.topBusy[i][k] = in.readDouble();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }
}
